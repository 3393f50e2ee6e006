"use strict";
try { Math.PI = 3; } catch (e) { console.log(e.constructor.name); }
try { delete Math.E; } catch (e) { console.log(e.constructor.name); }
console.log(Math.PI, Math.E, Object.getOwnPropertyDescriptor(Math, "LN2"), Object.keys(Math).length);
Math.sqrt = (x) => 2; console.log(Math.sqrt(9));
