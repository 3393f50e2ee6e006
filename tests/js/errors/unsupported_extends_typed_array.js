class Bytes extends Uint8Array {}
console.log(typeof Bytes);
new Bytes(4);
