let s = ""; for (let i = 0; i < 5; i++) s += String.fromCharCode ? "" : i; console.log(s);
let t = ""; for (let i = 0; i < 5; i++) t += i + ","; console.log(t, t.length);
const words = ["the", "quick", "brown", "fox"]; console.log(words.join(" "), words.map(w => w.length));
