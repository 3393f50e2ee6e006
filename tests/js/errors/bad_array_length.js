console.log(new Array(-1));
