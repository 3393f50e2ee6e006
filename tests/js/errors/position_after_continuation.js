let s = "line one \
still one";
let t = 1;
t();
