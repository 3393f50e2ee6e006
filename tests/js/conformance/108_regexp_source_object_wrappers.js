// RegExp source escaping and Object(primitive) wrappers (written here).
console.log(new RegExp("a/b"), new RegExp("[/]x/").source, new RegExp("\\/"), new RegExp("a\nb").source, /a\/b/.source, String(new RegExp("x/y", "g")));
console.log(Object(1), Object("s"), Object(true), Object(null), Object(undefined), typeof Object(1), Object(1) + 1, Object("ab").length);
const o = { k: 1 }; console.log(Object(o) === o);
console.log(new Object(2), new Object("x"), new Object(), new Object(null), (() => { const o = {a: 1}; return new Object(o) === o; })())
