const o = {};
o.method();
