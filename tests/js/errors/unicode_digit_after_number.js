// a superscript two is no digit in JS (str.isdigit says it is)
var x = 1²;
