console.log(["banana", "apple", "Cherry", "date"].sort(), ["b", "a", "c"].sort((x, y) => x < y ? 1 : x > y ? -1 : 0));
