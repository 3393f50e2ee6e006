"""apps/js strings as UTF-16 units: the conversions at the engine's edges
agree with Python's own UTF-16 codec for any text."""

from hypothesis import given
from hypothesis import strategies as st

from libmpk.apps.js import utf16
from libmpk.apps.js.engine import run_source

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@given(text)
def test_units_are_the_utf16_code_units_and_print_back_as_the_text(s):
    units = utf16.to_units(s)
    encoded = s.encode("utf-16-le")
    assert [ord(u) for u in units] == [int.from_bytes(encoded[i : i + 2], "little") for i in range(0, len(encoded), 2)]
    assert utf16.to_text(units) == s
    assert "".join(utf16.code_points(units)) == units
    assert len(utf16.code_points(units)) == len(s)
    assert utf16.is_well_formed(units)


@given(st.lists(st.integers(0, 0xFFFF), max_size=12))
def test_any_unit_sequence_prints_as_node_writes_it(codes):
    units = "".join(map(chr, codes))
    expected = units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    assert utf16.to_text(units) == expected
    try:
        units.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        paired = True
    except UnicodeDecodeError:
        paired = False
    assert utf16.is_well_formed(units) == paired
    assert utf16.is_well_formed(utf16.to_well_formed(units))
    assert "".join(utf16.code_points(units)) == units


@given(text)
def test_a_program_sees_lengths_and_code_points_as_node_does(s):
    literal = "".join(f"\\u{{{ord(c):x}}}" for c in s)
    cps = ", ".join(str(ord(c)) for c in s)
    src = f'const s = "{literal}"; const t = String.fromCodePoint({cps});'
    src += "console.log(s.length, [...s].length, s.codePointAt(0), s === t)"
    status, out, err = run_source(src, jit=False)
    assert status == 0, err
    first = str(ord(s[0])) if s else "undefined"
    assert out == f"{len(s.encode('utf-16-le')) // 2} {len(s)} {first} true\n"
