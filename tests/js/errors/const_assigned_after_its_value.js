const c = 1;
c = console.log("the value first");
