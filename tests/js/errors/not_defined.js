console.log(missing + 1);
