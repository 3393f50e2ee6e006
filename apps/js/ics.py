"""Inline caches for property loads, stores and method calls in compiled
code, patched in place in the protected code cache.

Each site ``o.name`` compiles to WAYS inline entries, each one
``movabsq $imm64, %reg`` whose immediate packs (shape id << 24 | slot).
The code compares the object's shape with each entry's; a hit reads the
slot without leaving native code.  A miss calls :func:`miss` (Python),
which looks the key up in the shape, and -- while the site has a free entry
-- patches the next entry's immediate in the machine code, through the code
cache's write window (:meth:`CodeCache.patch`: scanned first; under PKU a
window of this thread, no system call).  The site is then monomorphic, up
to WAYS-way polymorphic, and past that megamorphic: every further new
shape is looked up by the handler and nothing more is patched (V8 moves such
sites to a shared stub cache).  A key that is absent, inherited, an
accessor or not of the kind the site was compiled for -- a number, or for
a load typed as one (its feedback, interp._seen_bit) or a store of one a
boolean (1.0 / 0.0) or a packed array's descriptor -- answers -1 and compiled code deoptimises.

A *call* site ``o.m(...)`` is compiled as a direct call of the function
the interpreter saw there (its call-site feedback); its entries say "this
shape's prototype chain resolves m to that function".  Where it saw up to
four, each has a site of its own, tried in turn, whose entries may also say
"not that function" (slot 0: the next site is tried, without a miss).  A read ``o.p`` that went
through an inherited user getter is compiled as such a call of the getter:
its entries say "resolves p to an accessor whose getter is that function"
(a receiver's own property p, even one holding that function, does not); a
store ``o.p = v`` through an inherited setter, the same with the setter.  A prototype the
interpreter changes later can make an entry wrong, so before compiled code
with call sites is entered, each patched entry is checked again, and a
stale site is reset -- its immediates patched back to their markers: code
invalidated in place.

Before any patch, an entry holds a *marker*: a value no shape id can match
(bits 63..48 = 0x7E5A, then the site and the way), by which the loader's
output is searched for the entry's address -- every copy, should LLVM have
duplicated the block.  A site may live in two builds of its module: the
baseline that runs first, and the optimised one built in the background
(apps.js.tier).  A patch goes to both; when the optimised build loads, the
entries the baseline has learnt are patched into it (V8 keeps its feedback
apart from its code for the same reason: a new tier starts warm).
"""

from __future__ import annotations

import ctypes

from .shapes import NEVER_NULL, SHAPES, code_word, mirror_in, native_view, owner_at, transition
from .values import Accessor, find

WAYS = 4
SLOT_BITS = 24
SLOT_MASK = (1 << SLOT_BITS) - 1
assert NEVER_NULL == SLOT_MASK  # (a null test's answer for a slot that holds no reference fits an entry)
_MARK = 0x7E5A << 48


def marker(site: int, way: int) -> int:
    return _MARK | site << 4 | way


class Site:
    __slots__ = (
        "id", "name", "store", "addrs", "filled", "imms", "megamorphic", "target", "shapes", "kind", "ids", "probe",
        "code_imm", "accessor",
    )  # fmt: skip

    def __init__(
        self,
        sid: int,
        name: str,
        store: bool,
        target=None,
        kind: str = "num",
        probe: bool = False,
        accessor: str = "",
    ) -> None:
        self.id = sid
        self.name = name
        self.store = store
        self.kind = kind  # what the slot holds (shapes.KINDS), or "null?" (shapes.NULL_TEST)
        self.ids: set = set()  # shape ids patched in (a stale mirror of one misses too: no second entry)
        self.addrs: list[list[tuple]] = [[] for _ in range(WAYS + 1)]  # each way's immediates: (commit, address)
        self.filled = 0
        self.imms: list[bytes] = []  # what each filled way holds (replayed into a build loaded later)
        self.megamorphic = False
        self.target = target  # a call site's function
        self.shapes: list = []  # a call site's patched (shape, resolves to target), checked again before entry
        self.probe = probe  # one of a polymorphic call's sites: "not this function" (0) is cached too
        self.code_imm: bytes | None = None  # a call site's own-method code word, once patched (way WAYS)
        # "get" / "set": a call site of a read ``o.p`` / a store ``o.p = v``, whose entries say p resolves
        # to an accessor whose getter / setter is target
        self.accessor = accessor

    def resolves(self, proto) -> bool:
        """Whether a call site's name, looked up from ``proto``, is its target
        (an accessor site's: an accessor whose getter or setter is)."""
        v = find(proto, self.name)
        if self.accessor:
            return type(v) is Accessor and (v.get if self.accessor == "get" else v.set) is self.target
        return v is self.target


class Sites:
    """Every IC site of one engine, and the counts --stats reports."""

    def __init__(self, stats: dict) -> None:
        self.sites: list[Site] = [Site(0, "", False)]
        self.stats = stats
        self.cache = None
        self.run: dict | None = None  # the running entry's objects (apps.js.tier), while compiled code runs
        self.fresh: list = []  # this engine's mirrors refreshed since its last run began (apps.js.shapes)
        # whether calling function f runs the code compiled for g (the tier's answer: another closure of g's
        # template, when g's unit uses no closure environment -- each makeAcc()'s literal its own functions)
        self.same_code = lambda f, g: False

    def new(
        self, name: str, store: bool, target=None, kind: str = "num", probe: bool = False, accessor: str = ""
    ) -> Site:
        s = Site(len(self.sites), name, store, target, kind, probe, accessor)
        self.sites.append(s)
        return s

    def locate(self, sites: list[Site], handle: int, code: int, size: int) -> None:
        """Find the sites' entries in a just-loaded build's code; in a second
        build of their module, patch in what the first has learnt."""
        text = ctypes.string_at(code, size)
        for s in sites:
            for way in range(WAYS + 1):  # (the last: a call site's own-method code word)
                needle = marker(s.id, way).to_bytes(8, "little")
                at = text.find(needle)
                found = []
                while at >= 0:
                    found.append((handle, code + at))
                    at = text.find(needle, at + 1)
                s.addrs[way] += found
                imm = s.imms[way] if way < len(s.imms) else s.code_imm if way == WAYS else None
                if imm is not None and found:
                    self._patch(s, found, imm)

    def _patch(self, site: Site, addrs: list, imm: bytes) -> None:
        try:
            for handle, addr in addrs:
                self.cache.patch(handle, addr, imm)
                self.stats["ic_patches"] += 1
        except Exception:  # (a refused patch -- a gadget across its bytes -- or a retired commit)
            site.filled = WAYS  # this site patches no more; the handler serves it
            self.stats["ic_patch_refused"] += 1

    def miss(self, sid: int, desc: int) -> int:
        """Compiled code's slow path: the slot of the site's key in the
        object's shape (patching the site when it can), or -1 to deoptimise."""
        site = self.sites[sid]
        sid_word = ctypes.c_int64.from_address(desc).value
        st = self.stats
        st["ic_misses"] += 1
        if sid_word == 0:  # a stale mirror, reached through a property: refresh it for this run
            o = owner_at(desc)
            if o is None or self.run is None or not mirror_in(o, self.fresh, self.run):
                return -1
            self.run[desc] = o  # (written back when the run ends)
            sid_word = o.native.shape.id
        shape = SHAPES[sid_word]
        if site.target is not None:  # a call: 1 if the method is the one compiled in
            if shape is not None and site.name in shape.index:  # an own method: its slot is the object's own
                if site.accessor:  # (an own data property shadows the accessor)
                    return 0 if site.probe else -1
                ok = self._own_method(site, desc)
                if ok == 1 and shape.id not in site.ids:
                    self._own_entry(site, shape)
                return ok
            ok = shape is not None and site.resolves(shape.proto)
            slot = 1 if ok else 0 if site.probe and shape is not None else -1  # (0: try the next site)
        elif shape is None:
            slot = -1
        else:
            slot = shape.slot(site.name, site.kind)
            if slot < 0 and site.store:  # (a reference of another kind: the object moves to a new shape)
                m = native_view(desc, self.run)
                slot = -1 if m is None or m.shape is not shape else transition(m, site.name, site.kind)
                if slot >= 0:
                    st["ic_transitions"] += 1
                return slot  # (not patched: each store from this shape moves its object)
        if slot < 0:
            return -1
        if shape.id in site.ids:
            return slot
        if site.filled >= WAYS or slot > SLOT_MASK or shape.id >> (63 - SLOT_BITS):  # (an entry cannot say it)
            if not site.megamorphic:
                site.megamorphic = True
                st["ic_megamorphic"] += 1
            return slot
        imm = (shape.id << SLOT_BITS | slot).to_bytes(8, "little")
        way = site.filled
        site.filled += 1
        site.ids.add(shape.id)
        site.imms.append(imm)
        if site.target is not None:
            site.shapes.append((shape, slot == 1))
        self._patch(site, site.addrs[way], imm)
        return slot

    def _own_method(self, site: Site, desc: int) -> int:
        """A call site's receiver whose own property holds the method (an
        object literal's ``{ add(x) {...} }``): 1 if that property is the
        function compiled in (or a closure of it the same code serves).
        Never patched -- objects of one shape may hold different functions
        there -- so every such call asks here, as a megamorphic site's do."""
        o = owner_at(desc)
        f = o.props.get(site.name) if o is not None and type(o.props) is dict else None
        self.stats["ic_own_methods"] += 1
        return 1 if f is site.target or (f is not None and self.same_code(f, site.target)) else 0 if site.probe else -1

    def _own_entry(self, site: Site, shape) -> None:
        """Patch an entry saying "this shape holds the method in its own slot
        k" (2 + k), and once the site's code word -- the compiled function's
        identity, which a slot holding it reads as (apps.js.shapes.code_word)
        -- so compiled code calls on after comparing the slot with it; any
        other function there (another closure of the method: each object a
        factory made holds its own) asks the handler, as before.  While the
        site has a free entry."""
        k = shape.index[site.name]
        if site.filled >= WAYS or k + 2 > SLOT_MASK or shape.id >> (63 - SLOT_BITS):
            return
        if site.code_imm is None:
            site.code_imm = code_word(site.target).to_bytes(8, "little")
            self._patch(site, site.addrs[WAYS], site.code_imm)
            if site.filled >= WAYS:  # (refused)
                return
        imm = (shape.id << SLOT_BITS | (k + 2)).to_bytes(8, "little")
        way = site.filled
        site.filled += 1
        site.ids.add(shape.id)
        site.imms.append(imm)
        site.shapes.append((shape, False))  # (an own property: no prototype change makes it stale)
        self._patch(site, site.addrs[way], imm)

    def revalidate(self, sites: list[Site]) -> None:
        """Before compiled code runs: a call site whose patched shapes no longer
        resolve its method to its target (a prototype changed) is reset, its
        immediates patched back to their markers."""
        for site in sites:
            if site.shapes and not all(
                (site.name not in sh.index and site.resolves(sh.proto)) == ok for sh, ok in site.shapes
            ):
                for way in range(len(site.imms)):
                    for handle, addr in site.addrs[way]:
                        self.cache.patch(handle, addr, marker(site.id, way).to_bytes(8, "little"))
                site.filled = 0
                site.imms.clear()
                site.ids.clear()
                site.shapes.clear()
                site.megamorphic = False
                self.stats["ic_invalidated"] += 1
