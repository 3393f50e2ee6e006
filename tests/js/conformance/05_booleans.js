console.log(true, false, !true, !!0, !!"", !!"0", !![], !!{}, !!NaN, !!-1);
console.log(true + true, true + "x", false == 0, true === 1, null == false, undefined == null);
console.log(1 < 2 < 3, 3 > 2 > 1, "" == 0, "0" == false, [] == false);
