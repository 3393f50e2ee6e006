let n = null;
n.y = 1;
