// an Arabic-Indic one is no digit in JS, nor the start of a name
var y = ١;
