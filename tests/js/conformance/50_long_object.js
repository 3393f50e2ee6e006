console.log({ alpha: "aaaaaaaaaa", beta: "bbbbbbbbbb", gamma: "cccccccccc", delta: "dddddddddd", e: 1 });
console.log({ short: 1 }, [{ a: 1, b: 2 }, { a: 3, b: 4 }]);
