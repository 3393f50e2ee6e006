console.log(JSON.stringify({a:[1,"x",null,undefined,()=>1],b:{c:true},d:undefined, e:NaN}));
console.log(JSON.stringify([1,{a:2}],null,2)); console.log(JSON.stringify({a:1,b:[]},null,"--"));
console.log(JSON.stringify("he\"l\nlo"), JSON.stringify(undefined), JSON.stringify({toJSON(){return 5}}), JSON.stringify({a:1,b:2,c:3},["a","c"]));
console.log(JSON.stringify({a:1,b:"s"},(k,v)=>typeof v==="number"?v*2:v));
console.log(JSON.parse("[1,2,{\"a\":null}]"), JSON.parse(" 1.5e2 "), JSON.parse("{\"x\":{\"y\":[true]}}", (k,v)=> k==="y"? 0 : v));
try { JSON.parse("{\"a\":}") } catch(e) { console.log(e.name + ": " + e.message) }
try { JSON.parse("") } catch(e) { console.log(e.name + ": " + e.message) }
try { const c={}; c.c=c; JSON.stringify(c) } catch(e) { console.log(e.name + ": " + e.message.split("\n")[0]) }
class P { constructor(){ this.x = 1; this.#s = 2 } #s; toJSON() { return { px: this.x } } }
console.log(JSON.stringify([new P(), new Map()]), JSON.parse(JSON.stringify({deep:{a:[{b:1}]}})).deep.a[0].b);
