const data = { users: [{ name: "a", tags: ["x", "y"] }, { name: "b", tags: [] }], count: 2 };
console.log(data);
console.log({ l1: { l2: { l3: { l4: 1 } } } }, [[[[1]]]], { a: [{ b: { c: {} } }] });
console.log(data.users[0].tags[1], data.users.length);
