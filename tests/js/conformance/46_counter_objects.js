function makeStack() { const items = []; return { push: v => items.push(v), pop: () => items.pop(), size: () => items.length, peek: () => items[items.length - 1] }; }
const st = makeStack(); st.push(1); st.push(2); st.push(3);
console.log(st.size(), st.pop(), st.peek(), st.size());
