// BigInt: literals, arithmetic, comparisons, conversions, printing and errors.
function attempt(label, f) {
  try {
    console.log(label, f());
  } catch (e) {
    console.log(label, e.name + ": " + e.message, e instanceof Error);
  }
}

// literals and typeof
console.log(0n, 42n, -7n, 0xffn, 0XABn, 0o17n, 0b1011n, 1_000_000n, 123456789012345678901234567890n);
console.log(typeof 5n, typeof Object, typeof BigInt, 0n ? "truthy" : "falsy", 1n ? "truthy" : "falsy", !0n, !!-3n);

// arithmetic between BigInts
const a = 17n, b = -5n;
console.log(a + b, a - b, a * b, a / b, a % b, b / 2n, b % 3n, -a / 4n, -a % 4n, 2n ** 100n, (-3n) ** 3n, 0n ** 0n);
console.log(-a, -(-a), ~a, ~b, a & 12n, a | b, a ^ 255n, 1n << 65n, -1n << 3n, 1024n >> 3n, -9n >> 1n, 5n << -1n);
let c = 9n;
c++;
++c;
c--;
console.log(c, c++, c, --c, (c += 10n), (c *= 3n), (c %= 7n), (c **= 5n), (c >>= 2n));

// a hot loop: 30! as a BigInt
let fact = 1n;
for (let i = 1n; i <= 30n; i++) fact *= i;
console.log("30! =", fact, String(fact).length);

// a function called often with BigInt arguments
function mix(x, y) {
  return (x * 31n + y) % 1000003n;
}
let h = 7n;
for (let k = 0; k < 100; k++) h = mix(h, BigInt(k));
console.log("hash", h);

// code the JIT compiles for Numbers, later given BigInts
function sq(x) {
  return x * x + x;
}
let sqs = 0;
for (let k = 0; k < 100; k++) sqs += sq(k);
console.log(sqs, sq(3n), sq(2n ** 40n), sq(1.5));
function sumTo(n, one) {
  let t = n - n;
  for (let i = one; i <= n; i += one) t += i;
  return t;
}
console.log(sumTo(100, 1), sumTo(100n, 1n), sumTo(1000, 1), sumTo(1000n, 1n));

// a loop over a number that also builds a BigInt
let powers = [];
let p = 1n;
for (let k = 0; k < 12; k++) {
  powers.push(p);
  p *= 3n;
}
console.log(powers);

// comparisons
console.log(1n < 2n, 2n <= 2n, 3n > 2.5, 1n < 1.5, 2n >= 2, 5n > "4", "10" < 9n, 1n < NaN, 1n > NaN, 10n < Infinity, -10n > -Infinity);
console.log(1n == 1, 1n == "1", 0n == "", 1n == true, 0n == false, 2n == 2.5, 1n != 2n, 1n === 1, 1n === 1n, 1n !== 1, "x" == 1n);
console.log(Object.is(1n, 1n), Object.is(0n, -0n), Object.is(1n, 1), [1n, 2n, 3n].includes(2n), [1n, 2n].indexOf(2), [1n, 2n].indexOf(2n));
const m = new Map([[1n, "big one"], [1, "number one"], ["1", "string one"]]);
console.log(m.size, m.get(1n), m.get(1), m.get(BigInt(1)), m);
const s = new Set([2n, 2, 2n, 2.0, BigInt("2")]);
console.log(s.size, s.has(2n), s.has(2), s);
switch (3n) {
  case 3:
    console.log("matched number");
    break;
  case 3n:
    console.log("matched bigint");
    break;
}

// conversions
console.log(BigInt(42), BigInt(-0), BigInt(" 123 "), BigInt("0x1f"), BigInt("0b11"), BigInt("-77"), BigInt(""), BigInt(true), BigInt(false), BigInt(1e21));
console.log(Number(12n), Number(-3n), Number(2n ** 64n), String(99n), `${-1n}`, "x" + 1n, 1n + "x", [1n, 2n].join("-"), parseInt("15n"), parseInt(20n));
console.log(BigInt.asIntN(8, 255n), BigInt.asIntN(8, 127n), BigInt.asIntN(8, 128n), BigInt.asUintN(8, -1n), BigInt.asUintN(64, -1n), BigInt.asIntN(64, 2n ** 63n), BigInt.asIntN(0, 5n));
console.log((255n).toString(16), (255n).toString(2), (-255n).toString(36), (12345n).toString(), (1234567890n).toLocaleString(), (-1234n).toLocaleString(), (7n).valueOf(), 10n.toString());
console.log({ a: 1n, list: [1n, -2n], nested: { big: 2n ** 70n } }, [0n], `${[1n, 2n]}`);
console.log("%d and %i and %s", 5n, 6n, 7n);

// errors
attempt("mix +", () => 1n + 1);
attempt("mix *", () => 2 * 2n);
attempt("mix compound", () => {
  let v = 1n;
  v -= 1;
  return v;
});
attempt("unary +", () => +1n);
attempt("div 0", () => 1n / 0n);
attempt("mod 0", () => 1n % 0n);
attempt("neg exp", () => 2n ** -1n);
attempt(">>>", () => 8n >>> 1n);
attempt("new", () => new BigInt(1));
attempt("fraction", () => BigInt(1.5));
attempt("NaN", () => BigInt(NaN));
attempt("bad string", () => BigInt("abc"));
attempt("decimal string", () => BigInt("1.0"));
attempt("undefined", () => BigInt(undefined));
attempt("asIntN number", () => BigInt.asIntN(8, 3));
attempt("JSON", () => JSON.stringify({ n: 1n }));
attempt("Math", () => Math.abs(-1n));
attempt("isNaN", () => isNaN(1n));
attempt("radix", () => (10n).toString(40));
attempt("this", () => BigInt.prototype.toString.call(10));
attempt("caught as TypeError", () => {
  try {
    return 1n * 1.5;
  } catch (e) {
    return e instanceof TypeError;
  }
});
