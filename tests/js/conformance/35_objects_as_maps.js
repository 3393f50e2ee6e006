const counts = {}; const words = "the cat and the hat and the bat".split ? ["the", "cat", "and", "the", "hat", "and", "the", "bat"] : [];
for (let i = 0; i < words.length; i++) { const w = words[i]; counts[w] = (counts[w] || 0) + 1; }
console.log(counts, Object.keys(counts).length);
