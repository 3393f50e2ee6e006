const c = 1;
c = 2;
