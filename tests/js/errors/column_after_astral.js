const face = "\u{1F600}";
const s = "😀😀"; s.shout();
