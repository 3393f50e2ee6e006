// An inherited read-only property refuses a store (a TypeError in strict code):
// the new own property is not made.

'use strict';
const base = {}; Object.defineProperty(base, 'k', { value: 1, writable: false });
const child = Object.create(base);
try { child.k = 2; } catch (e) { console.log(e.constructor.name, e.message); }
console.log(child.k, Object.keys(child));
const frozen = Object.freeze({ a: 1 });
const kid = Object.create(frozen);
try { kid.a = 3; } catch (e) { console.log(e.constructor.name, e.message); }
kid.b = 4;
console.log(kid.a, kid.b, Object.keys(kid));
class R { constructor() { this.k = 9; } }
Object.defineProperty(R.prototype, 'k', { value: 0, writable: false });
try { new R(); } catch (e) { console.log(e.constructor.name, e.message); }
