// RCLogic: the runtime of REDCap logic translated to JavaScript by
// logic.Expr.JS (redcap/logic/js.go). Every function here mirrors one in
// eval.go step by step, so that a browser computes what the Go evaluator
// computes; TestJSMatchesEval and FuzzJSMatchesEval hold them together.
// Values are JavaScript strings (text; "" is blank), numbers (NaN is blank)
// and booleans (comparisons).
var RCLogic = (function () {
  "use strict";
  var NUMERIC = /^[ \t\n\r]*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?[ \t\n\r]*$/;
  var INTEGER = /^[ \t\n\r]*[-+]?[0-9]+[ \t\n\r]*$/;
  var DATE = /^[ \t]*([0-9]{1,4})[-\/]([0-9]{1,2})[-\/]([0-9]{1,4})(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?[ \t]*$/;
  var SPACE = /^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g;

  // numeric: the value as a number, or null when it is not one.
  function numeric(v) {
    if (typeof v === "number") return isNaN(v) ? null : v;
    if (typeof v === "boolean") return v ? 1 : 0;
    if (!NUMERIC.test(v)) return null;
    return Number(v);
  }
  function num(v) { var n = numeric(v); return n === null ? NaN : n; }
  function isBlank(v) { return v === "" || (typeof v === "number" && isNaN(v)); }
  function truth(v) {
    if (typeof v === "boolean") return v;
    if (typeof v === "number") return v !== 0 && !isNaN(v);
    var n = numeric(v);
    return n !== null ? n !== 0 : v !== "";
  }
  function fmt(f) {
    if (!isFinite(f)) return "";
    if (f === 0) return "0";
    return String(f);
  }
  function text(v) {
    if (typeof v === "number") return fmt(v);
    if (typeof v === "boolean") return v ? "1" : "0";
    return v;
  }
  function eq(x, y) {
    var a = numeric(x), b = numeric(y);
    if (a !== null && b !== null) return a === b;
    return text(x) === text(y);
  }
  function order(op, x, y) {
    var a = numeric(x), b = numeric(y);
    if (a === null || b === null) {
      if (isBlank(x) || isBlank(y)) return false;
      a = text(x); b = text(y);
    }
    switch (op) {
      case "<": return a < b;
      case "<=": return a <= b;
      case ">": return a > b;
    }
    return a >= b;
  }
  function scale(d) {
    var p = 1, n = Math.min(Math.abs(d), 308);
    for (var i = 0; i < n; i++) p *= 10;
    return p;
  }
  function roundWith(x, d, fn, half) {
    if (isNaN(x) || isNaN(d)) return NaN;
    d = Math.trunc(d);
    var sign = 1;
    if (x < 0) { sign = -1; x = -x; }
    var add = half ? 0.5 : 0;
    var p = scale(d);
    if (d < 0) return sign * fn(x / p + add) * p;
    return sign * fn(x * p + add) / p;
  }
  function numbers(args) {
    var out = [];
    for (var i = 0; i < args.length; i++) {
      var n = numeric(args[i]);
      if (n !== null) out.push(n);
    }
    return out;
  }
  function aggregate(name, xs) {
    if (xs.length === 0) return NaN;
    var sum = 0, i;
    for (i = 0; i < xs.length; i++) sum += xs[i];
    switch (name) {
      case "sum": return sum;
      case "mean": return sum / xs.length;
      case "min": case "max":
        var m = xs[0];
        for (i = 1; i < xs.length; i++) {
          if (name === "min" && xs[i] < m || name === "max" && xs[i] > m) m = xs[i];
        }
        return m;
      case "median":
        var s = xs.slice().sort(function (a, b) { return a - b; });
        var h = Math.floor(s.length / 2);
        return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
    }
    if (xs.length < 2) return NaN;
    var mean = sum / xs.length, ss = 0;
    for (i = 0; i < xs.length; i++) ss += (xs[i] - mean) * (xs[i] - mean);
    return Math.sqrt(ss / (xs.length - 1));
  }
  function count(f, limit) {
    if (isNaN(f) || f < 0) return null;
    f = Math.trunc(f);
    return f > limit ? limit : f;
  }
  function daysIn(y, m) {
    if (m === 2) return (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 29 : 28;
    if (m === 4 || m === 6 || m === 9 || m === 11) return 30;
    return 31;
  }
  function parseDate(s, format) {
    var m = DATE.exec(s);
    if (!m) return null;
    var n = function (t) { return t ? parseInt(t, 10) : 0; };
    var a = n(m[1]), b = n(m[2]), c = n(m[3]), p;
    if (m[1].length === 4) format = "ymd"; // stored dates are Y-M-D whatever the format
    if (format === "mdy") p = [c, a, b];
    else if (format === "dmy") p = [c, b, a];
    else p = [a, b, c];
    p.push(n(m[4]), n(m[5]), n(m[6]));
    if (p[1] < 1 || p[1] > 12 || p[2] < 1 || p[2] > daysIn(p[0], p[1]) || p[3] > 23 || p[4] > 59 || p[5] > 59) return null;
    return p;
  }
  function daysFromCivil(y, m, d) {
    if (m <= 2) y--;
    var era = Math.floor(y / 400);
    var yoe = y - era * 400;
    var mp = (m + 9) % 12;
    var doy = Math.floor((153 * mp + 2) / 5) + d - 1;
    var doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  }
  var UNITS = /*DATE_UNITS*/ {};

  // nowParts is [year, month, day, hour, minute, second] of "now" on the
  // reviewer's clock; tests set a fixed one with setNow.
  var nowParts = function () {
    var d = new Date();
    return [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  };
  function datediff(args) {
    var format = "ymd", signed = false;
    if (args.length >= 4) {
      if (typeof args[3] === "boolean") signed = args[3];
      else format = text(args[3]).toLowerCase();
    }
    if (args.length === 5) signed = truth(args[4]);
    var now = nowParts();
    var secs = function (v) {
      var s = text(v), p;
      if (s === "today") p = [now[0], now[1], now[2], 0, 0, 0];
      else if (s === "now") p = now;
      else p = parseDate(s, format);
      if (!p) return null;
      return daysFromCivil(p[0], p[1], p[2]) * 86400 + p[3] * 3600 + p[4] * 60 + p[5];
    };
    var u = text(args[2]);
    var unit = Object.prototype.hasOwnProperty.call(UNITS, u) ? UNITS[u] : null;
    var a = secs(args[0]), b = secs(args[1]);
    if (unit === null || a === null || b === null) return NaN;
    var d = (b - a) / unit;
    return signed ? d : Math.abs(d);
  }
  function chars(s) { return Array.from(s); }
  function lower(v) { return text(v).toLowerCase(); }

  var functions = {
    "if": function (a) { return truth(a[0]) ? a[1] : a[2]; },
    datediff: datediff,
    round: function (a) { return roundWith(num(a[0]), a.length > 1 ? num(a[1]) : 0, Math.floor, true); },
    roundup: function (a) { return roundWith(num(a[0]), a.length > 1 ? num(a[1]) : 0, Math.ceil, false); },
    rounddown: function (a) { return roundWith(num(a[0]), a.length > 1 ? num(a[1]) : 0, Math.floor, false); },
    sqrt: function (a) { return Math.sqrt(num(a[0])); },
    abs: function (a) { return Math.abs(num(a[0])); },
    exponential: function (a) { return Math.exp(num(a[0])); },
    log: function (a) { return a.length === 2 ? Math.log(num(a[0])) / Math.log(num(a[1])) : Math.log(num(a[0])); },
    mod: function (a) { return num(a[0]) % num(a[1]); },
    pow: function (a) { return Math.pow(num(a[0]), num(a[1])); },
    min: function (a) { return aggregate("min", numbers(a)); },
    max: function (a) { return aggregate("max", numbers(a)); },
    sum: function (a) { return aggregate("sum", numbers(a)); },
    mean: function (a) { return aggregate("mean", numbers(a)); },
    median: function (a) { return aggregate("median", numbers(a)); },
    stdev: function (a) { return aggregate("stdev", numbers(a)); },
    isnumber: function (a) {
      return typeof a[0] === "string" && NUMERIC.test(a[0]) || typeof a[0] === "number" && isFinite(a[0]);
    },
    isinteger: function (a) {
      return typeof a[0] === "string" && INTEGER.test(a[0]) ||
        typeof a[0] === "number" && a[0] === Math.trunc(a[0]) && isFinite(a[0]);
    },
    is_nan: function (a) { return isNaN(num(a[0])); },
    year: function (a) { var p = parseDate(text(a[0]), "ymd"); return p ? p[0] : NaN; },
    month: function (a) { var p = parseDate(text(a[0]), "ymd"); return p ? p[1] : NaN; },
    day: function (a) { var p = parseDate(text(a[0]), "ymd"); return p ? p[2] : NaN; },
    contains: function (a) { return lower(a[0]).indexOf(lower(a[1])) >= 0; },
    not_contain: function (a) { return lower(a[0]).indexOf(lower(a[1])) < 0; },
    starts_with: function (a) { return lower(a[0]).startsWith(lower(a[1])); },
    ends_with: function (a) { return lower(a[0]).endsWith(lower(a[1])); },
    left: function (a) {
      var r = chars(text(a[0])), n = count(num(a[1]), r.length);
      return n === null ? "" : r.slice(0, n).join("");
    },
    right: function (a) {
      var r = chars(text(a[0])), n = count(num(a[1]), r.length);
      return n === null ? "" : r.slice(r.length - n).join("");
    },
    mid: function (a) {
      var r = chars(text(a[0])), start = num(a[1]);
      if (isNaN(start) || start < 1) return "";
      var from = count(start - 1, r.length), n = count(num(a[2]), r.length - from);
      return n === null ? "" : r.slice(from, from + n).join("");
    },
    length: function (a) { return chars(text(a[0])).length; },
    find: function (a) {
      var hay = lower(a[1]), i = hay.indexOf(lower(a[0]));
      return i < 0 ? 0 : chars(hay.slice(0, i)).length + 1;
    },
    concat: function (a) { return a.map(text).join(""); },
    concat_ws: function (a) {
      return a.slice(1).map(text).filter(function (s) { return s !== ""; }).join(text(a[0]));
    },
    upper: function (a) { return text(a[0]).toUpperCase(); },
    lower: function (a) { return text(a[0]).toLowerCase(); },
    trim: function (a) { return text(a[0]).replace(SPACE, ""); },
    isblankormissingcode: function (a) { return isBlank(a[0]); },
    isblanknotmissingcode: function (a) { return isBlank(a[0]); },
    hasmissingcode: function () { return false; },
    ismissingcode: function () { return false; }
  };

  return {
    // The operators; Go's binary() in eval.go.
    and: function (x, y) { return truth(x) && truth(y); },
    or: function (x, y) { return truth(x) || truth(y); },
    eq: eq,
    ne: function (x, y) { return !eq(x, y); },
    lt: function (x, y) { return order("<", x, y); },
    le: function (x, y) { return order("<=", x, y); },
    gt: function (x, y) { return order(">", x, y); },
    ge: function (x, y) { return order(">=", x, y); },
    add: function (x, y) { return num(x) + num(y); },
    sub: function (x, y) { return num(x) - num(y); },
    mul: function (x, y) { return num(x) * num(y); },
    div: function (x, y) { var b = num(y); return b === 0 ? NaN : num(x) / b; },
    pow: function (x, y) { return Math.pow(num(x), num(y)); },
    not: function (x) { return !truth(x); },
    neg: function (x) { return -num(x); },
    pos: function (x) { return num(x); },
    chk: function (ticked) { return ticked ? "1" : "0"; },
    call: function (name, args) { return functions[name](args); },
    has: function (name) { return Object.prototype.hasOwnProperty.call(functions, name); },
    // truth: branching logic's answer; calc: what a calc field shows.
    truth: truth,
    calc: function (v) { return fmt(num(v)); },
    text: text,
    setNow: function (parts) { nowParts = function () { return parts.slice(); }; }
  };
})();
