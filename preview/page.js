// The preview's live logic: reads what the reviewer entered, computes the
// calc fields and shows or hides each field with branching logic. The
// expressions (LOGIC) are translated from the dictionary by redcap/logic
// and run on its runtime (RCLogic).
(function () {
  "use strict";
  var R = RCLogic;
  var LOGIC = window.RCPREVIEW_LOGIC;
  var fields = Array.prototype.slice.call(document.querySelectorAll("[data-field]"));
  var values = {}, checks = {};
  var own = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };
  var V = function (name) { return own(values, name) ? values[name] : ""; };
  var C = function (name, code) { return own(checks, name) && own(checks[name], code); };

  function collect() {
    values = {};
    checks = {};
    fields.forEach(function (el) {
      var name = el.getAttribute("data-field"), type = el.getAttribute("data-type");
      if (type === "checkbox") {
        var set = checks[name] = checks[name] || {};
        el.querySelectorAll("input[type=checkbox]").forEach(function (i) { if (i.checked) set[i.value] = true; });
        return;
      }
      if (type === "radio" || type === "yesno" || type === "truefalse") {
        var c = el.querySelector("input[type=radio]:checked");
        values[name] = c ? c.value : "";
        return;
      }
      if (type === "slider") {
        var s = el.querySelector("input[type=range]");
        values[name] = s && s.getAttribute("data-touched") ? s.value : "";
        return;
      }
      if (type === "calc") return; // computed below
      var inp = el.querySelector("input:not([type=file]), select, textarea");
      values[name] = inp ? inp.value : "";
    });
  }

  function run(el, attr) {
    var i = el.getAttribute(attr);
    if (i === null) return null;
    try {
      return LOGIC[+i](R, V, C);
    } catch (e) {
      el.setAttribute("data-logic-error", String(e));
      return null;
    }
  }

  function update() {
    collect();
    var calcs = fields.filter(function (el) { return el.hasAttribute("data-calc"); });
    calcs.forEach(function (el) { values[el.getAttribute("data-field")] = ""; });
    // Calcs may use calcs: repeat until nothing changes (a cycle stops).
    for (var pass = 0; pass < 10; pass++) {
      var changed = false;
      calcs.forEach(function (el) {
        var v = run(el, "data-calc"), name = el.getAttribute("data-field");
        if (v === null) v = "";
        if (values[name] !== v) { values[name] = v; changed = true; }
      });
      if (!changed) break;
    }
    calcs.forEach(function (el) {
      var out = el.querySelector("input.calc");
      if (out) out.value = values[el.getAttribute("data-field")];
    });
    fields.forEach(function (el) {
      if (!el.hasAttribute("data-logic")) return;
      var show = run(el, "data-logic");
      if (show === null) show = true;
      if (show) el.removeAttribute("hidden"); else el.setAttribute("hidden", "");
    });
    // A section header or matrix is hidden when every field under it is.
    document.querySelectorAll("[data-block]").forEach(function (b) {
      var fs = b.querySelectorAll("[data-field]");
      var all = fs.length > 0 && Array.prototype.every.call(fs, function (f) { return f.hasAttribute("hidden"); });
      b.querySelectorAll(":scope > .section-header, :scope .matrix-wrap").forEach(function (h) {
        if (h.classList.contains("matrix-wrap")) {
          var rows = h.querySelectorAll("[data-field]");
          var none = Array.prototype.every.call(rows, function (f) { return f.hasAttribute("hidden"); });
          if (none) h.setAttribute("hidden", ""); else h.removeAttribute("hidden");
          return;
        }
        if (all) h.setAttribute("hidden", ""); else h.removeAttribute("hidden");
      });
    });
    document.body.setAttribute("data-ready", "1");
  }

  document.addEventListener("input", function (ev) {
    if (ev.target && ev.target.type === "range") {
      ev.target.setAttribute("data-touched", "1");
      var shown = ev.target.parentNode.querySelector("output");
      if (shown) shown.value = ev.target.value;
    }
    update();
  });
  document.addEventListener("change", update);
  document.addEventListener("click", function (ev) {
    var b = ev.target;
    if (!b || !b.classList || !b.classList.contains("reset")) return;
    var el = b.closest("[data-field]");
    el.querySelectorAll("input[type=radio]").forEach(function (i) { i.checked = false; });
    var s = el.querySelector("input[type=range]");
    if (s) { s.removeAttribute("data-touched"); var o = el.querySelector("output"); if (o) o.value = ""; }
    update();
  });
  update();
})();
