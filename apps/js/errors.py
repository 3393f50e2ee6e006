"""JS errors as Python exceptions, printed the way node prints uncaught ones."""

from __future__ import annotations


def pack_pos(line: int, col: int) -> int:
    """A source position as one int, the form tokens and AST nodes keep it
    in (a tuple costs ~80 bytes a node, and a big program is millions)."""
    return (line << 32) | col


def unpack_pos(p: int) -> tuple[int, int]:
    return (p >> 32, p & 0xFFFFFFFF)


class ProgramExit(BaseException):
    """``process.exit(code)``: the program ends here with ``status`` --
    no catch, finally block, microtask or timer runs after it, as in node.
    (Not an Exception: nothing in the engine that handles errors may take it.)"""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class JSError(Exception):
    """A JS exception (SyntaxError, TypeError, ...) with a source position."""

    kind = "Error"
    source = None  # (path, text) of the module its position is in; "" for the program (set as it unwinds)

    def __init__(self, message: str, pos: tuple[int, int] | int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if pos.__class__ is int:  # a token's packed position (apps.js.lexer.Token)
            pos = unpack_pos(pos)
        self.pos = pos  # (line, column), 1-based

    def render(self, filename: str, source: str) -> str:
        """``file:line:col``, the offending line, a caret, then ``Kind: message``."""
        head = ""
        if self.pos is not None:
            line, col = self.pos
            lines = source.splitlines()
            text = lines[line - 1] if 0 < line <= len(lines) else ""
            head = f"{filename}:{line}:{col}\n{text}\n{' ' * (col - 1)}^\n\n"
        return f"{head}{self.kind}: {self.message}"


class JSThrow(JSError):
    """A value thrown by ``throw``: caught by ``catch``, else reported as node
    reports an uncaught exception."""

    def __init__(self, value, pos: tuple[int, int] | None = None) -> None:
        from .values import JSErrorObject

        if isinstance(value, JSErrorObject):
            self.kind, message = value.name, value.message
        else:
            from .inspect import inspect

            self.kind, message = "Uncaught", inspect(value)
        super().__init__(message, pos)
        self.value = value

    def render(self, filename: str, source: str) -> str:
        text = super().render(filename, source)
        if self.kind == "Uncaught":  # node: the bare value, no "Kind: "
            return text[: len(text) - len(f"Uncaught: {self.message}")] + f"Uncaught {self.message}"
        return text


class JSSyntaxError(JSError):
    kind = "SyntaxError"


class JSRuntimeSyntaxError(JSError):
    """A SyntaxError a running program can catch (``BigInt("x")``); the
    parser's JSSyntaxError never reaches a catch."""

    kind = "SyntaxError"


class JSTypeError(JSError):
    kind = "TypeError"


class JSReferenceError(JSError):
    kind = "ReferenceError"


class JSRangeError(JSError):
    kind = "RangeError"


class JSURIError(JSError):
    kind = "URIError"


class JSInternalError(JSError):
    """Not a JS error: the engine itself failed (reported, never hidden)."""

    kind = "InternalError"
