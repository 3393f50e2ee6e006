console.log("a");
function f( {
