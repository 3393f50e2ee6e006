"""memcached's meta commands: ``mg ms md ma mn me``.

One key per command and single-letter flags, some with a token (``T30``,
``Oabc``); answers are two-letter codes (HD VA EN NF NS EX MN ME) followed by
the flags asked to be returned, in the order asked.  The rules are memcached
1.6's (its protocol.txt and proto_text.c): duplicate or unknown flags are a
``CLIENT_ERROR``, ``q`` silences only the nominal answer (EN for mg, HD for
the others), errors are always sent, and the recache flags N/R/W/X/Z let one
client win the right to refill a missing or stale item.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable

from .store import MAX_KEY, Item, Store, StoreError

MAX_TOKENS = 19  # memcached refuses a command of 20 tokens or more
MAX_OPAQUE = 32
COMMANDS = ("mg", "ms", "md", "ma", "mn", "me")
_KNOWN = set("bNTRlOPLkstcfvhuqFCMJDI")
_BAD_TOKEN = "CLIENT_ERROR bad token in command line format"


class Flags:
    """A command's flags, parsed and checked once."""

    def __init__(self, key: bytes, tokens: list[bytes]) -> None:
        self.order: list[tuple[str, bytes]] = []
        self.error: str | None = None  # first bad token (the command still knows its length)
        seen: set[int] = set()
        for t in tokens:
            if t[0] >= 127 or t[0] in seen:
                raise StoreError("CLIENT_ERROR duplicate flag")
            seen.add(t[0])
            c = chr(t[0])
            if c not in _KNOWN:
                raise StoreError("CLIENT_ERROR invalid flag")
            self.order.append((c, t[1:]))
        self.has = {c: tok for c, tok in self.order}
        self.binary = "b" in self.has
        self.key = key
        if self.binary:
            try:
                self.key = base64.b64decode(key, validate=True)
            except (binascii.Error, ValueError):
                self._fail("CLIENT_ERROR error decoding key")
        self.quiet = "q" in self.has
        self.cas = self._int("C", 64, _BAD_TOKEN) if "C" in self.has else None
        self.client_flags = self._int("F", 32, "CLIENT_ERROR bad command line format") if "F" in self.has else 0
        self.delta = self._int("D", 64, "CLIENT_ERROR invalid numeric delta value") if "D" in self.has else 1
        self.initial = self._int("J", 64, "CLIENT_ERROR invalid numeric initial value") if "J" in self.has else 0
        self.ttl = {c: self._ttl(c) for c in "NTR" if c in self.has}
        mode = self.has.get("M")
        if mode is not None and len(mode) != 1:
            self._fail("CLIENT_ERROR incorrect length for M token")
        self.mode = mode.decode("latin-1") if mode else ""

    def _fail(self, msg: str) -> None:
        if self.error is None:
            self.error = msg

    def _int(self, c: str, bits: int, msg: str) -> int:
        tok = self.has[c]
        if tok.isdigit() and int(tok) < 1 << bits:
            return int(tok)
        self._fail(msg)
        return 0

    def _ttl(self, c: str) -> int:
        tok = self.has[c]
        try:
            n = int(tok)
        except ValueError:
            n = None
        if n is None or not -(1 << 31) <= n < 1 << 31:
            self._fail(_BAD_TOKEN)
            return 0
        return n

    def check(self) -> None:
        if self.error:
            raise StoreError(self.error)

    def echo(self, item: Item | None = None, now: float = 0.0, extra: Callable[[str, bytes], bytes | None] = None):
        """The returned flags, in the order asked: O and k always, the
        item's own (c f s t l h) when there is one; ``extra`` answers the
        command's own letters first."""
        out = []
        for c, tok in self.order:
            got = extra(c, tok) if extra else None
            if got is not None:
                out.append(got)
            elif c == "O":
                if len(tok) > MAX_OPAQUE:
                    raise StoreError("CLIENT_ERROR opaque token too long")
                out.append(b"O" + tok)
            elif c == "k":
                out.append(b"k" + (base64.b64encode(self.key) + b" b" if self.binary else self.key))
            elif item is not None:
                if c == "c":
                    out.append(b"c%d" % item.cas)
                elif c == "f":
                    out.append(b"f%d" % item.flags)
                elif c == "s":
                    out.append(b"s%d" % item.nbytes)
                elif c == "t":
                    out.append(b"t-1" if item.exptime == 0 else b"t%d" % max(int(item.exptime - now + 0.5), -1))
        return out


def _line(code: bytes, flags: list[bytes]) -> bytes:
    return b" ".join([code, *flags])


def _parse(parts: list[bytes], first_flag: int, flag_error: str | None = None) -> Flags:
    """The command's flags, checked; ``flag_error``: the one answer memcached
    gives for any bad flag of this command (md and ma word it so)."""
    if len(parts) < 2:
        raise StoreError("CLIENT_ERROR bad command line format")
    if len(parts[1]) > MAX_KEY:
        raise StoreError("CLIENT_ERROR bad command line format")
    if len(parts) > MAX_TOKENS:
        raise StoreError("CLIENT_ERROR options flags are too long")
    try:
        f = Flags(parts[1], parts[first_flag:])
        f.check()
    except StoreError:
        if flag_error is None:
            raise
        raise StoreError(flag_error) from None
    return f


def mg(store: Store, parts: list[bytes]) -> bytes | None:
    f = _parse(parts, 2)
    now = store.now()
    with store.lock:
        it = store.find(f.key, bump=False)
        created = False
        if it is None and "N" in f.ttl:
            store.store("add", f.key, 0, 0, b"")
            it, created = store.find(f.key, bump=False), True
        if it is None:
            store.stats["cmd_get"] += 1
            store.stats["get_misses"] += 1
            return None if f.quiet else _line(b"EN", f.echo(now=now))
        hit_before, last = it.fetched, it.atime
        won = False

        def own(c: str, tok: bytes) -> bytes | None:
            nonlocal won
            if c == "T":
                it.exptime = store.expiry(f.ttl["T"])
            elif c == "N" and created:
                it.exptime = store.expiry(f.ttl["N"])
                won = True
            elif c == "R" and not (it.won or created) and it.exptime and it.exptime < store.expiry(f.ttl["R"]):
                won = True
            elif c == "l":
                return b"l%d" % int(now - last)
            elif c == "h":
                return b"h%d" % hit_before
            elif c == "v":
                return b""
            return None

        flags = [x for x in f.echo(it, now, own) if x]
        if it.won:
            flags.append(b"Z")
        if it.stale:
            flags.append(b"X")
            won = won or not it.won
        if won:
            flags.append(b"W")
            it.won = True
        store.stats["cmd_touch" if "T" in f.ttl else "cmd_get"] += 1
        store.stats["get_hits"] += 1
        data = store.value(it) if "v" in f.has else None
        if "u" not in f.has:
            it.fetched, it.atime = True, now
            store.find(f.key)  # the LRU bump, after h and l were read
    if data is None:
        return _line(b"HD", flags)
    return _line(b"VA %d" % len(data), flags) + b"\r\n" + data


def ms_header(parts: list[bytes]) -> tuple[int, Flags | None, str | None]:
    """The data length to read after an ``ms`` line and its flags, or the
    error to answer once the data has been swallowed (None: no data follows,
    as memcached when the length itself is unreadable)."""
    if len(parts) < 3 or len(parts[1]) > MAX_KEY:
        raise StoreError("CLIENT_ERROR bad command line format")
    if len(parts) > MAX_TOKENS:
        raise StoreError("CLIENT_ERROR options flags too long")
    try:
        n = int(parts[2])
    except ValueError:
        n = -1
    if not 0 <= n <= (1 << 31) - 3:
        raise StoreError("CLIENT_ERROR bad command line format")
    try:
        f = Flags(parts[1], parts[3:])
    except StoreError as e:
        return n, None, str(e)
    if f.error:
        return n, f, f.error
    if f.mode not in ("", "E", "A", "P", "R", "S"):
        return n, f, "CLIENT_ERROR invalid mode for ms M token"
    return n, f, None


_MS_MODES = {"": "set", "S": "set", "E": "add", "A": "append", "P": "prepend", "R": "replace"}
_MS_CODES = {"STORED": b"HD", "NOT_STORED": b"NS", "EXISTS": b"EX", "NOT_FOUND": b"NF"}


def ms(store: Store, f: Flags, data: bytes) -> bytes | None:
    mode = _MS_MODES[f.mode]
    stale_ok = "I" in f.has and f.cas is not None and mode in ("set", "replace")
    status, cas = store.store(mode, f.key, f.client_flags, f.ttl.get("T", 0), data, f.cas, stale_ok=stale_ok)
    if status == "STORED" and f.quiet:
        return None
    return _line(_MS_CODES[status], f.echo(extra=lambda c, tok: b"c%d" % cas if c == "c" else None))


def md(store: Store, parts: list[bytes]) -> bytes | None:
    f = _parse(parts, 2, "CLIENT_ERROR invalid or duplicate flag")
    with store.lock:
        it = store.find(f.key, bump=False)
        if it is None:
            store.stats["delete_misses"] += 1
            code = b"NF"
        elif f.cas is not None and it.cas != f.cas:
            store.stats["delete_misses"] += 1
            code = b"EX"
        elif "I" in f.has:  # stale, not gone: the next mg wins the recache
            if "T" in f.ttl:
                it.exptime = store.expiry(f.ttl["T"])
            it.stale, it.won, it.cas = True, False, store.new_cas()
            code = b"HD"
        else:
            store.delete(f.key)
            code = b"HD"
    if code == b"HD" and f.quiet:
        return None
    return _line(code, f.echo())


def ma(store: Store, parts: list[bytes]) -> bytes | None:
    f = _parse(parts, 2, "CLIENT_ERROR invalid or duplicate flag")
    modes = {"": True, "I": True, "+": True, "D": False, "-": False}
    if f.mode not in modes:
        raise StoreError("CLIENT_ERROR invalid mode for ma M token")
    now = store.now()
    with store.lock:
        status, n, it = store.arith(f.key, f.delta, modes[f.mode], f.cas or 0)
        created = False
        if status == "NON_NUMERIC":
            raise StoreError("CLIENT_ERROR cannot increment or decrement non-numeric value")
        if status == "NOT_FOUND" and "N" in f.ttl:
            store.store("add", f.key, 0, 0, b"%d" % f.initial)
            it, n, created = store.find(f.key, bump=False), f.initial, True
        if it is None:
            return _line(b"NF" if status == "NOT_FOUND" else b"EX", f.echo())
        if status == "OK" and f.quiet:
            return None

        def own(c: str, tok: bytes) -> bytes | None:
            if c == "T":
                it.exptime = store.expiry(f.ttl["T"])
            elif c == "N" and created:
                it.exptime = store.expiry(f.ttl["N"])
            elif c in "fs":
                return b""  # not answered by ma
            return None

        flags = [x for x in f.echo(it, now, own) if x]
    text = b"%d" % n
    if "v" in f.has:
        return _line(b"VA %d" % len(text), flags) + b"\r\n" + text
    return _line(b"HD", flags)


def me(store: Store, parts: list[bytes]) -> bytes:
    if len(parts) < 2 or len(parts[1]) > MAX_KEY:
        raise StoreError("CLIENT_ERROR bad command line format")
    key = parts[1]
    if parts[2:3] == [b"b"]:
        try:
            key = base64.b64decode(key, validate=True)
        except (binascii.Error, ValueError):
            raise StoreError("CLIENT_ERROR error decoding key") from None
    now = store.now()
    with store.lock:
        it = store.find(key, bump=False)
        if it is None:
            return b"EN"
        exp = -1 if it.exptime == 0 else int(it.exptime - now)
        return b"ME %s exp=%d la=%d cas=%d fetch=%s cls=%d size=%d" % (
            parts[1],
            exp,
            int(now - it.atime),
            it.cas,
            b"yes" if it.fetched else b"no",
            it.cls.index + 1,
            it.nbytes + len(key),
        )
