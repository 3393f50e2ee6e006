"""Recursive-descent parser for the supported JavaScript subset."""

from __future__ import annotations

from . import ast as A
from .errors import JSSyntaxError
from .lexer import UNSUPPORTED, Lexer, Token
from .values import UNDEFINED

ASSIGN_OPS = {"=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^=", "&&=", "||=", "??="}
_CALL_MEMBER_NEXT = frozenset((".", "[", "(", "?."))  # what continues a call/member chain
BINARY_PREC = {
    "??": 1, "||": 1, "&&": 2, "|": 3, "^": 4, "&": 5,
    "==": 6, "!=": 6, "===": 6, "!==": 6,
    "<": 7, ">": 7, "<=": 7, ">=": 7, "in": 7, "instanceof": 7,
    "<<": 8, ">>": 8, ">>>": 8,
    "+": 9, "-": 9, "*": 10, "/": 10, "%": 10, "**": 11,
}  # fmt: skip


class Parser:
    def __init__(self, src: str, start: int = 0, end: int | None = None, source: tuple | None = None) -> None:
        self.src = src
        self.source = source  # (path, text) of a required module, noted in each of its functions
        self.stream = Lexer(src).stream(start, end)
        self.toks: list[Token] = []  # a window of the tokens, self.k the current one in it
        self.k = 0
        self._fill(self.CHUNK)
        self.in_function = 0
        self.depth = 0  # (statements being parsed, nested)
        self.covers: dict = {}  # id(object literal) -> (depth, position of its first {name = value})
        self.assigned: dict = {}  # id(a destructuring assignment's Seq) -> (it, its pattern, its value)
        self.top_await = False
        self.saw_export = False
        self.module_temps: list[str] = []
        self.in_loop = 0
        self.in_switch = 0  # (break leaves a switch too; continue only loops)
        self.labels: list[tuple[str, bool]] = []  # enclosing labels, and whether each labels a loop
        self.expr_temps: list[str] = []  # destructuring assignments' temporaries: vars of this function
        self.in_generator = False
        self.in_async = False
        self.param_patterns: list = []

    # --- token helpers -------------------------------------------------------------

    CHUNK = 4096  # tokens lexed at a time; the window drops the consumed ones between top-level statements

    def _fill(self, n: int) -> bool:
        """Lex up to n more tokens into the window; whether there were any."""
        toks = self.toks
        if toks and toks[-1].kind == "eof":
            return False
        before = len(toks)
        for t in self.stream:
            toks.append(t)
            if len(toks) - before >= n:
                break
        return len(toks) > before

    def _at(self, j: int) -> Token:
        """The token at window index j (the final eof past the end)."""
        while j >= len(self.toks):
            if not self._fill(self.CHUNK):
                return self.toks[-1]
        return self.toks[j]

    @property
    def tok(self) -> Token:
        try:
            return self.toks[self.k]
        except IndexError:
            return self._at(self.k)

    def peek(self, n: int = 1) -> Token:
        try:
            return self.toks[self.k + n]
        except IndexError:
            return self._at(self.k + n)

    def next(self) -> Token:
        try:
            t = self.toks[self.k]
        except IndexError:
            t = self._at(self.k)
        self.k += 1
        return t

    def is_(self, value: str, kind: str | None = None) -> bool:
        try:
            t = self.toks[self.k]
        except IndexError:
            t = self._at(self.k)
        return t.value == value and t.kind in ((kind,) if kind else ("punct", "keyword"))

    def eat(self, value: str) -> bool:
        if self.is_(value):
            self.k += 1
            return True
        return False

    def error(self, tok: Token | None = None, msg: str | None = None) -> JSSyntaxError:
        t = tok or self.tok
        if msg is None:
            msg = "Unexpected end of input" if t.kind == "eof" else f"Unexpected token '{t.value}'"
            if t.kind in ("num", "str", "template"):
                msg = {
                    "num": "Unexpected number",
                    "str": "Unexpected string",
                    "template": "Unexpected template string",
                }[t.kind]
            elif t.kind == "name":
                msg = "Unexpected identifier"
        return JSSyntaxError(msg, t.pos)

    def expect(self, value: str) -> Token:
        if not self.is_(value):
            raise self.error()
        return self.next()

    def semicolon(self) -> None:
        """Explicit ';', or automatic insertion before '}', EOF or a line break."""
        if self.eat(";"):
            return
        t = self.tok
        if t.kind == "eof" or t.value == "}" or t.nl_before:
            return
        raise self.error()

    # --- program and statements ---------------------------------------------------

    def program(self) -> A.Program:
        body: list = []
        imports: list = []  # (hoisted: a module's imports are loaded before its body runs)
        exports: list = []
        while self.tok.kind != "eof":
            t = self.tok
            if t.kind == "keyword" and t.value == "import" and not self._import_expression_ahead():
                imports.extend(self.import_decl())
            elif t.kind == "keyword" and t.value == "export":
                body.extend(self.export_decl(exports, imports))
            else:
                body.append(self.statement())
            if self.k > self.CHUNK:  # nothing looks back past a top-level statement
                del self.toks[: self.k]
                self.k = 0
        module = self.top_await or bool(imports) or self.saw_export
        prog = A.Program((1, 1), self._with_temps(imports + body, self.expr_temps), top_await=self.top_await)
        prog.module, prog.exports = module, exports
        return prog

    # --- ES module syntax (top level only) ----------------------------------------------------

    def _import_expression_ahead(self) -> bool:
        """``import(...)`` or ``import.meta``: an expression, not a declaration."""
        nxt = self.peek()
        return nxt.kind == "punct" and nxt.value in ("(", ".")

    def _module_specifier(self) -> A.Str:
        t = self.next()
        if t.kind != "str":
            raise self.error(t)
        return A.Str(t.pos, t.value)

    def _namespace(self, spec: A.Str, out: list) -> A.Ident:
        """A temporary bound to the module ``spec``'s namespace object."""
        tmp = A.Ident(spec.pos, f"%m{len(self.module_temps)}")
        self.module_temps.append(tmp.name)
        out.append(A.VarDecl(spec.pos, "const", [(tmp, A.Helper(spec.pos, "import", [spec]))]))
        return tmp

    def _import_name(self) -> str:
        t = self.next()
        if t.kind == "str" or t.kind in ("name", "keyword"):
            return t.value
        raise self.error(t)

    def _named_list(self) -> list[tuple[str, str]]:
        """``{ a, b as c, default as d }``: (imported/local name, its alias)."""
        self.expect("{")
        pairs = []
        while not self.eat("}"):
            name = self._import_name()
            alias = name
            if self.tok.kind == "name" and self.tok.value == "as":
                self.next()
                alias = self._import_name()
            pairs.append((name, alias))
            if not self.eat(","):
                self.expect("}")
                break
        return pairs

    def import_decl(self) -> list:
        t = self.next()
        out: list = []
        if self.tok.kind == "str":  # import "m": for its effects
            out.append(A.ExprStmt(t.pos, A.Helper(t.pos, "import", [self._module_specifier()])))
            self.semicolon()
            return out
        bindings: list[tuple[str | None, A.Ident]] = []  # (exported name, or None for the namespace; local)
        if self.tok.kind == "name":
            bindings.append(("default", self.binding()))
            if not self.eat(","):
                self._import_from(t, bindings, out)
                return out
        if self.eat("*"):
            if not (self.tok.kind == "name" and self.tok.value == "as"):
                raise self.error()
            self.next()
            bindings.append((None, self.binding()))
        elif self.is_("{"):
            for name, alias in self._named_list():
                bindings.append((name, A.Ident(t.pos, alias)))
        self._import_from(t, bindings, out)
        return out

    def _import_from(self, t, bindings: list, out: list) -> None:
        if not (self.tok.kind == "name" and self.tok.value == "from"):
            raise self.error()
        self.next()
        ns = self._namespace(self._module_specifier(), out)
        self.semicolon()
        decls = [
            (local, A.Ident(t.pos, ns.name) if name is None else A.Member(t.pos, A.Ident(t.pos, ns.name),
                                                                          A.Str(t.pos, name), False))
            for name, local in bindings
        ]  # fmt: skip
        if decls:
            out.append(A.VarDecl(t.pos, "const", decls))

    def export_decl(self, exports: list, imports: list) -> list:
        t = self.next()
        self.saw_export = True
        if self.eat("default"):
            nxt = self.tok
            named_decl = nxt.kind == "keyword" and nxt.value in ("function", "class") and self.peek().kind == "name"
            if nxt.kind == "keyword" and nxt.value == "async" and self._async_function_ahead():
                named_decl = self.peek(2).kind == "name"
            if named_decl:
                stmt = self.statement()
                name = stmt.ident.name
                exports.append(("default", name))
                return [stmt]
            value = self.assignment()
            self.semicolon()
            if isinstance(value, (A.Func, A.Class)) and not value.name:
                value.name = "default"
            exports.append(("default", "%default"))
            return [A.VarDecl(t.pos, "const", [(A.Ident(t.pos, "%default"), value)])]
        if self.eat("*"):  # export * from "m" / export * as ns from "m"
            alias = None
            if self.tok.kind == "name" and self.tok.value == "as":
                self.next()
                alias = self._import_name()
            if not (self.tok.kind == "name" and self.tok.value == "from"):
                raise self.error()
            self.next()
            ns = self._namespace(self._module_specifier(), imports)
            self.semicolon()
            exports.append((alias or "*", ns.name))
            return []
        if self.is_("{"):
            pairs = self._named_list()
            if self.tok.kind == "name" and self.tok.value == "from":  # re-exports
                self.next()
                ns = self._namespace(self._module_specifier(), imports)
                self.semicolon()
                out = []
                for name, alias in pairs:
                    tmp = f"%e{len(self.module_temps)}"
                    self.module_temps.append(tmp)
                    member = A.Member(t.pos, A.Ident(t.pos, ns.name), A.Str(t.pos, name), False)
                    imports.append(A.VarDecl(t.pos, "const", [(A.Ident(t.pos, tmp), member)]))
                    exports.append((alias, tmp))
                return out
            self.semicolon()
            exports.extend((alias, name) for name, alias in pairs)
            return []
        stmt = self.statement()
        if isinstance(stmt, (A.FuncDecl, A.ClassDecl)):
            exports.append((stmt.ident.name, stmt.ident.name))
        elif isinstance(stmt, A.VarDecl):
            exports.extend((ident.name, ident.name) for ident, _ in stmt.decls if not ident.name.startswith("%"))
        else:
            raise self.error(t)
        return [stmt]

    @staticmethod
    def _with_temps(body: list, temps: list[str]) -> list:
        if not temps:
            return body
        return [A.VarDecl((1, 1), "var", [(A.Ident((1, 1), name), None) for name in dict.fromkeys(temps)])] + body

    def statement(self) -> A.Node:
        """One statement; an object literal in it left with a shorthand
        initializer (``{b = 1}``, valid only as a pattern) is V8's early error."""
        depth = self.depth = self.depth + 1
        try:
            node = self._statement()
        finally:
            self.depth -= 1
        if self.covers and max(self.covers.values())[0] >= depth:
            pos = min(p for d, p in self.covers.values() if d >= depth)
            raise JSSyntaxError("Invalid shorthand property initializer", pos)
        return node

    def _statement(self) -> A.Node:
        t = self.tok
        if t.kind == "punct":
            if t.value == "{":
                return self.block()
            if t.value == ";":
                self.next()
                return A.Empty(t.pos)
        if t.kind == "keyword":
            v = t.value
            if v in ("var", "let", "const"):
                d = self.var_decl()
                self.semicolon()
                return d
            if v == "function":
                return self.function_decl()
            if v == "async" and self._async_function_ahead():
                self.next()
                decl = self.function_decl(is_async=True)
                decl.func.start = t.pos
                return decl
            if v == "class":
                cls = self.class_(t)
                if cls.name is None:
                    raise JSSyntaxError("Unexpected token '{'", cls.pos)
                return A.ClassDecl(t.pos, cls, A.Ident(cls.name_pos, cls.name))
            if v == "return":  # allowed at top level too, as in node's CommonJS modules
                self.next()
                value = None
                if not (self.tok.nl_before or self.is_(";") or self.is_("}") or self.tok.kind == "eof"):
                    value = self.expression()
                self.semicolon()
                return A.Return(t.pos, value)
            if v == "if":
                self.next()
                self.expect("(")
                test = self.expression()
                self.expect(")")
                then = self.statement()
                other = self.statement() if self.eat("else") else None
                return A.If(t.pos, test, then, other)
            if v == "while":
                self.next()
                self.expect("(")
                test = self.expression()
                self.expect(")")
                return A.While(t.pos, test, self.loop_body())
            if v == "do":
                self.next()
                body = self.loop_body()
                self.expect("while")
                self.expect("(")
                test = self.expression()
                self.expect(")")
                self.eat(";")
                return A.DoWhile(t.pos, body, test)
            if v == "for":
                return self.for_statement()
            if v == "switch":
                return self.switch_statement()
            if v == "throw":
                self.next()
                if self.tok.nl_before:
                    raise JSSyntaxError("Illegal newline after throw", self.tok.pos)
                value = self.expression()
                self.semicolon()
                return A.Throw(t.pos, value)
            if v == "try":
                return self.try_statement()
            if v in ("break", "continue"):
                self.next()
                label = None
                if self.tok.kind == "name" and not self.tok.nl_before:
                    lt = self.next()
                    label = lt.value
                    found = [is_loop for name, is_loop in self.labels if name == label]
                    if not found or (v == "continue" and not found[-1]):
                        msg = (
                            f"Undefined label '{label}'"
                            if not found
                            else f"Illegal continue statement: '{label}' does not denote an iteration statement"
                        )
                        raise JSSyntaxError(msg, lt.pos)
                elif not self.in_loop and not (v == "break" and self.in_switch):
                    tail = ": no surrounding iteration statement" if v == "continue" else ""
                    raise JSSyntaxError(f"Illegal {v} statement{tail}", t.pos)
                self.semicolon()
                return A.Break(t.pos, label) if v == "break" else A.Continue(t.pos, label)
        if t.kind == "name" and self.peek().kind == "punct" and self.peek().value == ":":
            return self.labeled()
        expr = self.expression()
        self.semicolon()
        return A.ExprStmt(t.pos, expr)

    def labeled(self) -> A.Labeled:
        t = self.next()
        self.next()  # :
        if any(name == t.value for name, _ in self.labels):
            raise JSSyntaxError(f"Label '{t.value}' has already been declared", t.pos)
        nxt = self.tok
        is_loop = nxt.kind == "keyword" and nxt.value in ("for", "while", "do")
        self.labels.append((t.value, is_loop))
        try:
            body = self.statement()
        finally:
            self.labels.pop()
        if is_loop:
            body.labels = getattr(body, "labels", ()) + (t.value,)
        return A.Labeled(t.pos, t.value, body)

    def try_statement(self) -> A.Try:
        t = self.expect("try")
        block = self.block()
        param = handler = finalizer = None
        if self.eat("catch"):
            pattern = None
            if self.eat("("):
                if self.is_("[") or self.is_("{"):  # catch ({ message }): a temporary, destructured first
                    pattern = self.pattern()
                    param = self.temp(self.tok.pos)
                else:
                    param = self.binding()
                self.expect(")")
            handler = self.block()
            if pattern is not None:  # (in the block itself: a body's let of the same name is redeclared)
                decls: list = []
                self.destructure(pattern, A.Ident(param.pos, param.name), decls)
                handler.body.insert(0, A.VarDecl(handler.pos, "let", decls))
        if self.eat("finally"):
            finalizer = self.block()
        if handler is None and finalizer is None:
            raise JSSyntaxError("Missing catch or finally after try", self.tok.pos)
        return A.Try(t.pos, block, param, handler, finalizer)

    def switch_statement(self) -> A.Switch:
        t = self.expect("switch")
        self.expect("(")
        disc = self.expression()
        self.expect(")")
        brace = self.expect("{")
        tests: list[A.Node | None] = []
        starts: list[int] = []
        body: list[A.Node] = []
        self.in_switch += 1
        try:
            while not self.eat("}"):
                if self.eat("case"):
                    tests.append(self.expression())
                elif self.is_("default"):
                    if None in tests:
                        raise JSSyntaxError("More than one default clause in switch statement", self.tok.pos)
                    self.next()
                    tests.append(None)
                else:
                    raise self.error()
                self.expect(":")
                starts.append(len(body))
                while not (self.is_("case") or self.is_("default") or self.is_("}")):
                    if self.tok.kind == "eof":
                        raise self.error()
                    body.append(self.statement())
        finally:
            self.in_switch -= 1
        return A.Switch(t.pos, disc, tests, starts, A.Block(brace.pos, body))

    def loop_body(self) -> A.Node:
        self.in_loop += 1
        try:
            return self.statement()
        finally:
            self.in_loop -= 1

    def block(self) -> A.Block:
        t = self.expect("{")
        body = []
        while not self.is_("}"):
            if self.tok.kind == "eof":
                raise self.error()
            body.append(self.statement())
        self.next()
        return A.Block(t.pos, body)

    def binding(self, pattern: bool = False):
        """A name being declared -- or, where ``pattern``, a destructuring
        pattern: ('array', pos, [(target, default) | None], rest) or
        ('object', pos, [(key, target, default)], rest)."""
        t = self.tok
        if t.kind != "name":
            if t.kind == "punct" and t.value in ("[", "{"):
                if not pattern:
                    raise JSSyntaxError("destructuring is not supported here by this engine", t.pos)
                return self.pattern()
            raise self.error()
        self.next()
        return A.Ident(t.pos, t.value)

    def pattern(self):
        t = self.next()
        rest = None
        if t.value == "[":
            elems: list = []
            while not self.is_("]"):
                if self.eat(","):
                    elems.append(None)
                    continue
                if self.eat("..."):
                    rest = self.binding(True)
                    break
                target = self.binding(True)
                default = self.assignment() if self.eat("=") else None
                elems.append((target, default))
                if not self.eat(","):
                    break
            self.expect("]")
            return ("array", t.pos, elems, rest)
        props: list = []
        while not self.is_("}"):
            if self.eat("..."):
                rest = self.binding(True)
                break
            key_tok = self.tok
            key = self.prop_key()
            if self.eat(":"):
                target = self.binding(True)
            elif key_tok.kind == "name":
                target = A.Ident(key_tok.pos, key)
            else:
                raise self.error()
            default = self.assignment() if self.eat("=") else None
            props.append((key, target, default))
            if not self.eat(","):
                break
        self.expect("}")
        return ("object", t.pos, props, rest)

    def temp(self, pos) -> A.Ident:  # (jittypes.parser_temp knows these names)
        self.ntemps = getattr(self, "ntemps", 0) + 1
        return A.Ident(pos, f"%d{self.ntemps}")

    def destructure(self, pat, value: A.Node, out: list) -> None:
        """(target, value) pairs that assign ``pat`` from ``value`` in order;
        temporaries (named so no program can name them) hold what is
        reused."""
        if not isinstance(pat, tuple):
            out.append((pat, value))
            return
        kind, pos, items, rest = pat
        src = self.temp(pos)
        if kind == "array":
            wanted = A.Num(pos, float(len(items) if rest is None else -1))  # (values to take; -1: all)
            out.append((src, A.Helper(pos, "iter", [value, wanted])))
            for i, item in enumerate(items):
                if item is None:
                    continue
                target, default = item
                self._with_default(target, A.Member(pos, src, A.Num(pos, float(i)), True), default, out)
            if rest is not None:
                self.destructure(rest, A.Helper(pos, "rest", [src, A.Num(pos, float(len(items)))]), out)
            return
        first = [A.Str(pos, items[0][0])] if items and isinstance(items[0][0], str) else []  # (named by node's error)
        out.append((src, A.Helper(pos, "object", [value, *first])))
        keys = []
        for key, target, default in items:
            prop = key if isinstance(key, A.Node) else A.Str(pos, key)
            keys.append(prop)
            named = isinstance(key, str) and key.isidentifier()  # (src.key: what compiled code loads by name)
            self._with_default(target, A.Member(pos, src, prop, not named), default, out)
        if rest is not None:
            self.destructure(rest, A.Helper(pos, "omit", [src, *keys]), out)

    def _with_default(self, target, value: A.Node, default, out: list) -> None:
        if default is not None:
            v = self.temp(value.pos)
            out.append((v, value))
            test = A.Binary(value.pos, "===", A.Ident(v.pos, v.name), A.Lit(value.pos, UNDEFINED))
            value = A.Cond(value.pos, test, default, A.Ident(v.pos, v.name))
        self.destructure(target, value, out)

    def _pattern_from_literal(self, e: A.Node):
        """An array/object literal on the left of '=' read as a pattern."""
        if isinstance(e, A.ArrayLit):
            elems: list = []
            rest = None
            for x in e.items:
                if x is None:
                    elems.append(None)
                elif isinstance(x, A.Spread):
                    rest = self._pattern_from_literal(x.arg)
                elif isinstance(x, A.Assign) and x.op == "=":
                    elems.append((self._pattern_from_literal(x.target), x.value))
                elif id(x) in self.assigned:  # [[b] = []]: read as a pattern already
                    elems.append(self.assigned[id(x)][1:])
                else:
                    elems.append((self._pattern_from_literal(x), None))
            return ("array", e.pos, elems, rest)
        if isinstance(e, A.ObjectLit):
            props: list = []
            rest = None
            self.covers.pop(id(e), None)
            for key, v, kind in e.props:
                if kind == "spread":
                    rest = self._pattern_from_literal(v)
                elif kind == "cover":  # {x = 1}
                    props.append((key, v[0], v[1]))
                elif kind == "init" and isinstance(v, A.Assign) and v.op == "=":  # {a: b = 1}
                    props.append((key, self._pattern_from_literal(v.target), v.value))
                elif kind == "init" and id(v) in self.assigned:  # {a: {b} = {}}: read as a pattern already
                    props.append((key, *self.assigned[id(v)][1:]))
                elif kind == "init":
                    props.append((key, self._pattern_from_literal(v), None))
                else:
                    raise JSSyntaxError("Invalid destructuring assignment target", e.pos)
            return ("object", e.pos, props, rest)
        if isinstance(e, (A.Ident, A.Member)):
            return e
        raise JSSyntaxError("Invalid destructuring assignment target", e.pos)

    def var_decl(self, in_for: bool = False) -> A.VarDecl:
        t = self.next()
        decls = []
        while True:
            ident = self.binding(pattern=True)
            init = None
            if self.eat("="):
                init = self.assignment()
            elif isinstance(ident, tuple) and not (in_for and (self.is_("of", "name") or self.is_("in"))):
                raise JSSyntaxError("Missing initializer in destructuring declaration", self.tok.pos)
            elif t.value == "const" and not (in_for and (self.is_("of", "name") or self.is_("in"))):
                raise JSSyntaxError("Missing initializer in const declaration", self.tok.pos)
            if isinstance(ident, tuple):
                if init is None:  # (for-of heads: the caller destructures)
                    return ident
                self.destructure(ident, init, decls)
            else:
                decls.append((ident, init))
            if not self.eat(","):
                break
        return A.VarDecl(t.pos, t.value, decls)

    def for_statement(self) -> A.For | A.ForOf:
        t = self.next()
        if self.tok.kind == "keyword" and self.tok.value == "await":  # for await (x of it)
            w = self.next()
            if not self.in_async:
                if self.in_function:
                    raise JSSyntaxError("Unexpected reserved word", w.pos)
                self.top_await = True  # (at the top level: the file runs as a module, as with await)
            self.expect("(")
            of = self._for_of_head(t)
            if of is None or of.keys:
                raise JSSyntaxError("Unexpected token", self.tok.pos if of is None else of.pos)
            of.awaits = True
            return of
        self.expect("(")
        of = self._for_of_head(t)
        if of is not None:
            return of
        init = None
        if not self.is_(";"):
            if self.tok.value in ("var", "let", "const") and self.tok.kind == "keyword":
                init = self.var_decl(in_for=True)
            else:
                init = A.ExprStmt(self.tok.pos, self.expression())
        if self.tok.kind == "name" and self.tok.value == "of":
            raise JSSyntaxError("for...of is not supported by this engine", self.tok.pos)
        self.expect(";")
        test = None if self.is_(";") else self.expression()
        self.expect(";")
        update = None if self.is_(")") else self.expression()
        self.expect(")")
        return A.For(t.pos, init, test, update, self.loop_body())

    def _for_of_head(self, t) -> A.ForOf | None:
        """``for (let x of ...)`` / ``for (x in ...)`` and the like, else None
        (nothing eaten)."""

        def of_or_in(tok) -> bool:
            return (tok.kind == "name" and tok.value == "of") or (tok.kind == "keyword" and tok.value == "in")

        kind = None
        pattern = None
        assigned = None  # a head that assigns to what exists: a pattern (``[a, b]``, ``{x = 1}``) or a property
        if self.tok.kind == "keyword" and self.tok.value in ("var", "let", "const"):
            if self.peek(1).kind == "punct" and self.peek(1).value in ("[", "{"):
                save = self.k
                kind = self.next().value
                pattern = self.pattern()
                if not of_or_in(self.tok):
                    self.k = save
                    return None
            elif not (self.peek(1).kind == "name" and of_or_in(self.peek(2))):
                return None
            else:
                kind = self.next().value
        elif not (self.tok.kind == "name" and of_or_in(self.peek(1))):
            save = self.k
            try:
                lhs = self.call_member()
            except JSSyntaxError:
                lhs = None
            if not (isinstance(lhs, (A.ArrayLit, A.ObjectLit, A.Member)) and of_or_in(self.tok)):
                self.k = save
                self.covers.pop(id(lhs), None)
                return None
            assigned = lhs if isinstance(lhs, A.Member) else self._pattern_from_literal(lhs)
            kind = "let"  # (of the temporary each value arrives in)
        target = self.binding() if pattern is None and assigned is None else self.temp(self.tok.pos)
        keys = self.next().value == "in"
        iterable = self.expression() if keys else self.assignment()
        self.expect(")")
        body = self.loop_body()
        if assigned is not None:  # for ([a, b] of pairs), for (o.p of xs): each value assigned first thing
            pairs: list = [(assigned, A.Ident(target.pos, target.name))]
            if not isinstance(assigned, A.Member):
                pairs = []
                self.destructure(assigned, A.Ident(target.pos, target.name), pairs)
                self.expr_temps.extend(x.name for x, _ in pairs if isinstance(x, A.Ident) and x.name.startswith("%"))
            stores = [A.ExprStmt(body.pos, A.Assign(body.pos, "=", x, v)) for x, v in pairs]
            body = A.Block(body.pos, [*stores, body])
        if pattern is not None:  # for (const [k, v] of m): a temporary, destructured first thing in the body
            decls: list = []
            self.destructure(pattern, A.Ident(target.pos, target.name), decls)
            body = A.Block(body.pos, [A.VarDecl(body.pos, kind, decls), body])
            kind = "let" if kind != "var" else "var"
        return A.ForOf(t.pos, kind, target, iterable, body, keys=keys)

    def _async_function_ahead(self) -> bool:
        """At ``async``: is ``function`` next, on the same line?"""
        nxt = self.peek()
        return nxt.kind == "keyword" and nxt.value == "function" and not nxt.nl_before

    def _async_method_ahead(self) -> bool:
        """At ``async`` in an object literal or class body: an async method's prefix?"""
        t, nxt = self.tok, self.peek()
        if not (t.kind == "keyword" and t.value == "async") or nxt.nl_before:
            return False
        return not (nxt.kind == "punct" and nxt.value in _NOT_ACCESSOR)

    def function_decl(self, is_async: bool = False) -> A.FuncDecl:
        t = self.next()
        generator = self.eat("*")
        ident = self.binding()
        func = self.function_rest(t.pos, ident.name, generator=generator, is_async=is_async)
        return A.FuncDecl(t.pos, func, ident)

    def function_rest(
        self, pos, name: str | None, kind: str = "function", generator: bool = False, is_async: bool = False
    ) -> A.Func:
        self.expect("(")
        saved_async, self.in_async = self.in_async, is_async
        saved, self.in_generator = self.in_generator, generator
        try:
            params, defaults, rest = self.params(")")
            patterns = self.param_patterns
            body = self.function_body()
        finally:
            self.in_generator = saved
            self.in_async = saved_async
        f = self._func(pos, name, params, defaults, rest, body, kind, patterns=patterns)
        f.generator = generator
        f.is_async = is_async
        return f

    def params(self, close: str) -> tuple[list[A.Ident], list, bool]:
        """A parameter list up to ``close``: names, (name, default) pairs, rest."""
        self.param_patterns = []
        params: list[A.Ident] = []
        defaults = []
        rest = False
        while not self.is_(close):
            if self.eat("..."):
                params.append(self.binding())
                rest = True
                if not self.is_(close):
                    raise JSSyntaxError("Rest parameter must be last formal parameter", self.tok.pos)
                break
            p = self.binding(pattern=True)
            if isinstance(p, tuple):  # a temporary parameter, destructured after the defaults
                tmp = self.temp(p[1])
                self.param_patterns.append((tmp, p))
                p = tmp
            params.append(p)
            if self.eat("="):
                defaults.append((p, self.assignment()))
            if not self.eat(","):
                break
        self.expect(close)
        return params, defaults, rest

    def _func(self, pos, name, params, defaults, rest, body, kind, **kw) -> A.Func:
        """A Func whose default parameters became ``if (p === undefined) p = d``
        statements at the top of its body (what they mean, bar TDZ corners)."""
        pre = []
        for p, d in defaults:
            test = A.Binary(p.pos, "===", A.Ident(p.pos, p.name), A.Lit(p.pos, UNDEFINED))
            pre.append(A.If(p.pos, test, A.ExprStmt(p.pos, A.Assign(p.pos, "=", A.Ident(p.pos, p.name), d)), None))
        for tmp, pat in kw.pop("patterns", ()):
            decls: list = []
            self.destructure(pat, A.Ident(tmp.pos, tmp.name), decls)
            pre.append(A.VarDecl(tmp.pos, "var", decls))
        if pre and kw.get("arrow_expr"):
            kw["arrow_expr"] = False
        f = A.Func(pos, name, params, pre + body, rest=rest, kind=kind, source=self.source, **kw)
        if defaults:  # (a function's length counts the parameters before the first default)
            first = {id(p) for p, _ in defaults}
            f.arity = next(i for i, p in enumerate(params) if id(p) in first)
        if kind == "arrow":
            f.is_arrow = True
        f.src, f.end = self.src, self.toks[self.k - 1].end  # (the body's last token was just consumed)
        return f

    def function_body(self) -> list[A.Node]:
        self.expect("{")
        saved_loop, saved_switch, saved_labels = self.in_loop, self.in_switch, self.labels
        saved_temps = self.expr_temps
        self.in_function += 1
        self.in_loop = self.in_switch = 0
        self.labels = []
        self.expr_temps = []
        body = []
        try:
            while not self.is_("}"):
                if self.tok.kind == "eof":
                    raise self.error()
                body.append(self.statement())
            body = self._with_temps(body, self.expr_temps)
        finally:
            self.in_function -= 1
            self.in_loop, self.in_switch, self.labels = saved_loop, saved_switch, saved_labels
            self.expr_temps = saved_temps
        self.next()
        return body

    # --- expressions ------------------------------------------------------------------

    def expression(self) -> A.Node:
        first = self.assignment()
        if not self.is_(","):
            return first
        exprs = [first]
        while self.eat(","):
            exprs.append(self.assignment())
        return A.Seq(first.pos, exprs)

    def _arrow_ahead(self) -> bool:
        """At '(' or a name: is this an arrow function's parameter list?"""
        t = self.tok
        if t.kind == "name":
            return self.peek().value == "=>" and self.peek().kind == "punct"
        if t.value != "(":
            return False
        depth, j = 0, self.k
        while True:
            v = self._at(j)
            if v.kind == "punct" and v.value == "(":
                depth += 1
            elif v.kind == "punct" and v.value == ")":
                depth -= 1
                if depth == 0:
                    nxt = self._at(j + 1)
                    return nxt.kind == "punct" and nxt.value == "=>"
            elif v.kind == "eof":
                return False
            j += 1

    def arrow(self, is_async: bool = False) -> A.Func:
        saved, self.in_generator = self.in_generator, False  # (yield is not an arrow's)
        saved_async, self.in_async = self.in_async, is_async
        try:
            f = self._arrow()
        finally:
            self.in_generator = saved
            self.in_async = saved_async
        f.is_async = is_async
        return f

    def _arrow(self) -> A.Func:
        t = self.tok
        if t.kind == "name":
            params, defaults, rest = [self.binding()], [], False
            patterns = []
        else:
            self.expect("(")
            params, defaults, rest = self.params(")")
            patterns = self.param_patterns
        arrow_tok = self.expect("=>")
        if arrow_tok.nl_before:
            raise self.error(arrow_tok)
        if self.is_("{"):
            body = self.function_body()
            return self._func(t.pos, None, params, defaults, rest, body, "arrow", patterns=patterns)
        self.in_function += 1
        saved_loop, self.in_loop = self.in_loop, 0
        try:
            expr = self.assignment()
        finally:
            self.in_function -= 1
            self.in_loop = saved_loop
        ret = [A.Return(expr.pos, expr)]
        return self._func(t.pos, None, params, defaults, rest, ret, "arrow", arrow_expr=True, patterns=patterns)

    def assignment(self) -> A.Node:
        t = self.tok
        if t.kind == "keyword" and t.value == "yield" and self.in_generator:
            self.next()
            delegate = self.eat("*")
            if delegate and self.in_async:
                raise JSSyntaxError("yield* in async generators is not supported by this engine", t.pos)
            arg = None
            nxt = self.tok
            closing = nxt.kind == "punct" and nxt.value in (")", "]", "}", ",", ";", ":")
            ends = nxt.kind == "eof" or nxt.nl_before or closing
            if delegate or not ends:
                arg = self.assignment()
            return A.Yield(t.pos, arg, delegate)
        if self._arrow_ahead():
            return self.arrow()
        left = self.conditional()
        t = self.tok
        if t.kind == "punct" and t.value == "=" and isinstance(left, (A.ArrayLit, A.ObjectLit)):
            self.next()
            pat = self._pattern_from_literal(left)
            value = self.assignment()
            whole = self.temp(t.pos)
            pairs: list = [(whole, value)]
            self.destructure(pat, A.Ident(t.pos, whole.name), pairs)
            self.expr_temps.extend(x.name for x, _ in pairs if isinstance(x, A.Ident) and x.name.startswith("%"))
            exprs: list[A.Node] = [A.Assign(t.pos, "=", target, v) for target, v in pairs]
            exprs.append(A.Ident(t.pos, whole.name))  # the value of the whole: the right-hand side
            seq = A.Seq(t.pos, exprs)
            self.assigned[id(seq)] = (seq, pat, value)  # (a pattern with a default, should it be in one)
            if _parallel(pat, value):
                seq.parallel = True
            return seq
        if t.kind == "punct" and t.value in ASSIGN_OPS:
            if not isinstance(left, (A.Ident, A.Member, A.SuperMember)):
                raise JSSyntaxError("Invalid left-hand side in assignment", left.pos)
            self.next()
            return A.Assign(t.pos, t.value, left, self.assignment())
        return left

    def conditional(self) -> A.Node:
        test = self.binary(1)
        if self.is_("?"):
            t = self.next()
            then = self.assignment()
            self.expect(":")
            return A.Cond(t.pos, test, then, self.assignment())
        return test

    def binary(self, min_prec: int) -> A.Node:
        left = self.unary()
        steps: list = []  # (op, pos, operand): folded onto left, left to right
        while True:
            t = self.tok
            if t.kind == "punct" or (t.kind == "keyword" and t.value in ("in", "instanceof")):
                prec = BINARY_PREC.get(t.value)
            else:
                prec = None
            if prec is None or prec < min_prec:
                break
            self.next()
            if t.value == "**":
                if not steps and isinstance(left, A.Unary) and not getattr(left, "parenthesized", False):
                    raise JSSyntaxError(
                        "Unary operator used immediately before exponentiation expression. "
                        "Parenthesis must be used to disambiguate operator precedence",
                        left.pos,
                    )
                right = self.binary(prec)  # right-associative
            else:
                right = self.binary(prec + 1)
            steps.append((t.value, t.pos, right))
        if len(steps) > CHAIN_MIN:
            return A.Chain(left.pos, left, steps)
        for op, pos, right in steps:
            if op in ("&&", "||", "??"):
                left = A.Logical(pos, op, left, right)
            else:
                left = A.Binary(pos, op, left, right)
        return left

    def unary(self) -> A.Node:
        t = self.tok
        if (t.kind == "punct" and t.value in ("!", "-", "+", "~")) or (
            t.kind == "keyword" and t.value in ("typeof", "delete", "void")
        ):
            self.next()
            return A.Unary(t.pos, t.value, self.unary())
        if t.kind == "keyword" and t.value == "await":
            if not self.in_async:
                if self.in_function:
                    raise JSSyntaxError(
                        "await is only valid in async functions and the top level bodies of modules", t.pos
                    )
                self.top_await = True  # (node reruns such a file as an ES module, whose body may await)
            self.next()
            return A.Await(t.pos, self.unary())
        if t.kind == "punct" and t.value in ("++", "--"):
            self.next()
            target = self.unary()
            if not isinstance(target, (A.Ident, A.Member, A.SuperMember)):
                raise JSSyntaxError("Invalid left-hand side expression in prefix operation", target.pos)
            return A.Update(t.pos, t.value, True, target)
        expr = self.postfix()
        return expr

    def postfix(self) -> A.Node:
        expr = self.call_member()
        t = self.tok
        if t.kind == "punct" and t.value in ("++", "--") and not t.nl_before:
            if not isinstance(expr, (A.Ident, A.Member, A.SuperMember)):
                raise JSSyntaxError("Invalid left-hand side expression in postfix operation", expr.pos)
            self.next()
            return A.Update(t.pos, t.value, False, expr)
        return expr

    def arguments(self) -> list[A.Node]:
        self.expect("(")
        args = []
        while not self.is_(")"):
            args.append(self.spread_or_assignment())
            if not self.eat(","):
                break
        self.expect(")")
        return args

    def spread_or_assignment(self) -> A.Node:
        t = self.tok
        if self.eat("..."):
            return A.Spread(t.pos, self.assignment())
        return self.assignment()

    def call_member(self) -> A.Node:
        t = self.tok
        if t.kind == "keyword" and t.value == "new":
            self.next()
            callee = self.primary()
            while self.is_(".") or self.is_("["):
                callee = self.member(callee)
            args = self.arguments() if self.is_("(") else []
            expr: A.Node = A.New(t.pos, callee, args)
        else:
            expr = self.primary()
        optional = False
        while True:
            t = self.tok
            if t.kind != "template" and (t.kind != "punct" or t.value not in _CALL_MEMBER_NEXT):
                return A.OptChain(expr.pos, expr) if optional else expr  # (the common case, at once)
            if self.is_("."):
                expr = self.member(expr)
            elif self.is_("["):
                expr = self.member(expr)
            elif self.is_("("):
                pos = self.tok.pos
                expr = A.Call(pos, expr, self.arguments())
            elif self.is_("?."):
                optional = True
                q = self.next()
                if self.is_("("):
                    expr = A.Call(q.pos, expr, self.arguments(), optional=True)
                elif self.is_("["):
                    self.next()
                    prop = self.expression()
                    self.expect("]")
                    expr = A.Member(q.pos, expr, prop, True, optional=True)
                else:
                    name = self.tok
                    if name.kind not in ("name", "keyword"):
                        raise self.error()
                    self.next()
                    expr = A.Member(name.pos, expr, A.Str(name.pos, name.value), False, optional=True)
            elif self.tok.kind == "template":  # tag`...`: tag(strings, ...values)
                tpl = self.primary()
                strings = A.TemplateStrings(tpl.pos, tpl.quasis, tpl.raws)
                expr = A.Call(tpl.pos, expr, [strings, *tpl.exprs])
            else:
                return A.OptChain(expr.pos, expr) if optional else expr

    # --- object literals and classes -------------------------------------------------

    def prop_key(self):
        """A property name: a str, or the expression of a computed ``[key]``."""
        key = self.next()
        if key.kind in ("name", "keyword", "str"):
            return key.value
        if key.kind == "num":
            from .values import to_str

            return to_str(key.value)  # (a BigInt key: its digits)
        if key.kind == "punct" and key.value == "[":
            e = self.assignment()
            self.expect("]")
            return e
        raise self.error(key)

    def _accessor_kind(self) -> str | None:
        """At ``get``/``set`` followed by a property name: eat it, say which."""
        t = self.tok
        if t.kind == "name" and t.value in ("get", "set"):
            nxt = self.peek()
            if not (nxt.kind == "punct" and nxt.value in _NOT_ACCESSOR):
                self.next()
                return t.value
        return None

    def object_literal(self, t) -> A.ObjectLit:
        props: list = []
        cover = None  # (the position of its first {name = value})
        while not self.is_("}"):
            if self.eat("..."):
                props.append((None, self.assignment(), "spread"))
            else:
                first = self.tok  # (a method's text starts at its modifiers)
                is_async = self._async_method_ahead() and self.next() is not None
                kind = (not is_async and self._accessor_kind()) or "init"
                generator = kind == "init" and self.eat("*")
                key_tok = self.tok
                key = self.prop_key()
                name = key if isinstance(key, str) else None
                if kind != "init":
                    fn = self.function_rest(key_tok.pos, name, "method")
                    fn.start = first.pos
                    props.append((key, fn, kind))
                elif self.is_("(") or generator or is_async:
                    fn = self.function_rest(key_tok.pos, name, "method", generator=generator, is_async=is_async)
                    fn.start = first.pos
                    props.append((key, fn, "init"))
                elif self.eat(":"):
                    props.append((key, self.assignment(), "init"))
                elif key_tok.kind == "name" and (self.is_(",") or self.is_("}")):
                    props.append((key, A.Ident(key_tok.pos, key), "init"))  # shorthand {x}
                elif key_tok.kind == "name" and self.is_("="):  # {x = 1}: only as a pattern (checked)
                    self.next()
                    props.append((key, (A.Ident(key_tok.pos, key), self.assignment()), "cover"))
                    cover = key_tok.pos if cover is None else cover
                else:
                    raise self.error()
            if not self.eat(","):
                break
        self.expect("}")
        lit = A.ObjectLit(t.pos, props)
        if cover is not None:
            self.covers[id(lit)] = (self.depth, cover)
        return lit

    def class_(self, t) -> A.Class:
        self.expect("class")
        name = name_pos = None
        if self.tok.kind == "name":
            nt = self.next()
            name, name_pos = nt.value, nt.pos
        parent = None
        if self.eat("extends"):
            parent = self.call_member()
        self.expect("{")
        members: list[A.ClassMember] = []
        ctor = None
        fields: list = []
        statics: list = []
        while not self.eat("}"):
            if self.eat(";"):
                continue
            static = False
            if self.tok.kind == "name" and self.tok.value == "static":
                nxt = self.peek()
                if not (nxt.kind == "punct" and nxt.value in _NOT_ACCESSOR):
                    self.next()
                    static = True
                    if self.is_("{"):  # a static block: run on the class, in order with the static fields
                        pos = self.tok.pos
                        body = self.function_body()
                        block = A.Func(pos, None, [], body, is_arrow=True, kind="arrow", source=self.source)
                        statics.append((pos, None, A.Call(pos, block, [])))
                        continue
            first = self.tok
            is_async = self._async_method_ahead() and self.next() is not None
            kind = (not is_async and self._accessor_kind()) or "method"
            generator = kind == "method" and self.eat("*")
            key_tok = self.tok
            key = self.prop_key()
            if is_async and not self.is_("("):
                raise self.error()
            if self.is_("("):
                is_ctor = key == "constructor" and not static and kind == "method" and key_tok.kind != "str"
                if is_ctor:
                    if is_async:
                        raise JSSyntaxError("Class constructor may not be an async method", key_tok.pos)
                    if ctor is not None:
                        raise JSSyntaxError("A class may only have one constructor", key_tok.pos)
                    ctor = self.function_rest(key_tok.pos, name, "derived" if parent else "class")
                else:
                    fname = key if isinstance(key, str) else None
                    fn = self.function_rest(key_tok.pos, fname, "method", generator=generator, is_async=is_async)
                    fn.start = first.pos
                    members.append(A.ClassMember(key, kind, static, fn))
                continue
            if kind != "method" or self.tok.kind == "eof":
                raise self.error()
            if not isinstance(key, str):
                raise JSSyntaxError("computed field names are not supported by this engine", key_tok.pos)
            init = self.assignment() if self.eat("=") else None
            self.semicolon()
            (statics if static else fields).append((key_tok.pos, key, init))
        cls = A.Class(t.pos, name, parent, ctor, members)
        cls.src, cls.end = self.src, self.toks[self.k - 1].end
        cls.name_pos = name_pos or t.pos
        cls.fields = self._initialiser(fields)
        cls.statics = self._initialiser(statics)
        return cls

    def _initialiser(self, fields: list) -> A.Func | None:
        """Field definitions as a method run on the new instance (or, for
        static fields and blocks, on the class): ``this.key = init`` in
        order; a static block (key None) is an arrow called in its place."""
        if not fields:
            return None
        body = []
        for pos, key, init in fields:
            if key is None:  # a static block (an arrow: its this is the class's), called
                body.append(A.ExprStmt(pos, init))
                continue
            target = A.Member(pos, A.This(pos), A.Str(pos, key), False, define=True)
            value = init if init is not None else A.Lit(pos, UNDEFINED)
            body.append(A.ExprStmt(pos, A.Assign(pos, "=", target, value)))
        return A.Func(fields[0][0], None, [], body, kind="method", source=self.source)

    def member(self, obj: A.Node) -> A.Node:
        t = self.next()
        if t.value == ".":
            name = self.tok
            if name.kind not in ("name", "keyword"):
                raise self.error()
            self.next()
            return A.Member(name.pos, obj, A.Str(name.pos, name.value), False)
        prop = self.expression()
        self.expect("]")
        return A.Member(t.pos, obj, prop, True)

    def _async_expression(self, t):
        """After ``async``: an async function expression or arrow (None: neither)."""
        nxt = self.tok
        if nxt.kind == "keyword" and nxt.value == "function":
            self.next()
            generator = self.eat("*")
            name = self.next().value if self.tok.kind == "name" else None
            return self.function_rest(t.pos, name, generator=generator, is_async=True)
        if (nxt.kind == "name" or (nxt.kind == "punct" and nxt.value == "(")) and self._arrow_ahead():
            f = self.arrow(is_async=True)
            f.start = t.pos
            return f
        return None

    def primary(self) -> A.Node:
        t = self.next()
        k, v = t.kind, t.value
        if k == "num":
            return A.Num(t.pos, v) if type(v) is float else A.BigInt(t.pos, v)
        if k == "str":
            return A.Str(t.pos, v)
        if k == "regex":
            return A.Regex(t.pos, v[0], v[1])
        if k == "template":
            quasis, parts, raws = v
            exprs = []
            for text, offset in parts:
                sub = Parser(self.src, offset, offset + len(text), self.source)
                sub.in_function, sub.in_loop = self.in_function, self.in_loop
                sub.in_async = self.in_async
                e = sub.expression()
                if sub.tok.kind != "eof":
                    raise sub.error()
                exprs.append(e)
            return A.Template(t.pos, quasis, exprs, raws)
        if k == "name":
            if v.startswith("#"):  # #x in o: the brand check (a private name is a key of its class's objects)
                if not (self.tok.kind == "keyword" and self.tok.value == "in"):
                    raise JSSyntaxError(f"Unexpected identifier '{v}'", t.pos)
                return A.Str(t.pos, v)
            return A.Ident(t.pos, v)
        if k == "keyword":
            if v == "async" and not self.tok.nl_before:
                f = self._async_expression(t)
                if f is not None:
                    return f
            if v in UNSUPPORTED:
                raise JSSyntaxError(f"'{v}' is not supported by this engine", t.pos)
            if v == "true":
                return A.Lit(t.pos, True)
            if v == "false":
                return A.Lit(t.pos, False)
            if v == "null":
                return A.Lit(t.pos, None)
            if v == "undefined":
                return A.Lit(t.pos, UNDEFINED)
            if v == "function":
                name = None
                generator = self.eat("*")
                if self.tok.kind == "name":
                    name = self.next().value
                return self.function_rest(t.pos, name, generator=generator)
            if v == "this":
                return A.This(t.pos)
            if v == "class":
                self.k -= 1
                return self.class_(t)
            if v == "super":
                if self.is_("("):
                    return A.SuperCall(t.pos, self.arguments())
                if self.eat("."):
                    name = self.next()
                    if name.kind not in ("name", "keyword"):
                        raise self.error(name)
                    return A.SuperMember(name.pos, A.Str(name.pos, name.value), False)
                if self.eat("["):
                    prop = self.expression()
                    self.expect("]")
                    return A.SuperMember(t.pos, prop, True)
                raise JSSyntaxError("'super' keyword unexpected here", t.pos)
        if k == "punct":
            if v == "(":
                e = self.expression()
                self.expect(")")
                e.parenthesized = True
                return e
            if v == "[":
                items: list[A.Node | None] = []
                while not self.is_("]"):
                    if self.eat(","):
                        items.append(None)  # a hole
                        continue
                    items.append(self.spread_or_assignment())
                    if not self.eat(","):
                        break
                self.expect("]")
                return A.ArrayLit(t.pos, items)
            if v == "{":
                return self.object_literal(t)
        raise self.error(t)


CHAIN_MIN = 32  # longer operator runs become one flat Chain node

_NOT_ACCESSOR = ("(", ",", ":", "}", "=", ";")


def parse(src: str, source: tuple | None = None) -> A.Program:
    """``src``'s tree; ``source``: the (path, text) a required module's
    functions name in their errors (set as each is made: a walk of the
    tree for it took 0.1 s of every AWFY run, which loads all 14)."""
    return Parser(src, source=source).program()


def _parallel(pat, value: A.Node) -> bool:
    """Whether ``pat = value`` is ``[a[i], a[j]] = [a[j], a[i]]``: an array
    pattern of plain targets (no default, no rest, no nesting) given an
    array literal of as many values or more (no hole, no spread).  The JIT
    compiles such an assignment as the values in order, then each target's
    store in order -- what the iterator of a fresh array gives while
    Array.prototype's iteration is the built-in (which it checks) -- without
    the array or the temporaries (apps.js.jittypes.parallel_parts)."""
    if not isinstance(value, A.ArrayLit) or not isinstance(pat, tuple) or pat[0] != "array" or pat[3] is not None:
        return False
    items = pat[2]
    if not items or len(items) > len(value.items):
        return False
    if any(x is None or type(x) is A.Spread for x in value.items):
        return False
    return all(item is not None and item[1] is None and isinstance(item[0], (A.Ident, A.Member)) for item in items)
