console.log(1 == "1", 1 === "1", 0 == "", 0 == "0", "" == "0", null == 0, undefined == 0, NaN == NaN, NaN === NaN);
const a = [1], b = [1], o = {};
console.log(a == b, a === a, o == o, a == "1", [2] == 2, true == "1", false == "false");
console.log(1 != "1", 1 !== "1", null != undefined, null !== undefined);
