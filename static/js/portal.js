// Progressive enhancement only: every page works without this file.
// show_if: fields appear and disappear as answers change, mirroring the server's rules
// (portal/catalog/conditions.py). Hidden inputs are disabled so they are not submitted.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function wrapperOf(form, id) { return form.querySelector('[data-field="' + CSS.escape(id) + '"]'); }

  function isShown(form, id) {
    var wrap = wrapperOf(form, id);
    return !!wrap && !wrap.hidden && !(wrap.closest("fieldset.form-section[hidden]"));
  }

  // How an answer reads, by the wrapper's data-reads-as (set by the field's type on the
  // server, portal/forms/fieldtypes): readers know input kinds, never field type names.
  function checkedOnes(inputs) { return inputs.filter(function (i) { return i.checked; }); }
  var readers = {
    flag: function (inputs) { return checkedOnes(inputs).length > 0; },
    ticked: function (inputs) { return checkedOnes(inputs).map(function (i) { return i.value; }); },
    selected: function (inputs) { return Array.prototype.map.call(inputs[0].selectedOptions, function (o) { return o.value; }); },
    chosen: function (inputs) { var c = checkedOnes(inputs)[0]; return c ? c.value : null; },
    number: function (inputs) { var n = parseFloat(inputs[0].value); return isNaN(n) ? null : n; },
    file: function (inputs) { return inputs[0].files && inputs[0].files.length ? inputs[0].files[0].name : null; },
    // A date and time compares by its day, as on the server.
    day: function (inputs) { return inputs[0].value === "" ? null : inputs[0].value.slice(0, 10); },
    text: function (inputs) { return inputs[0].value === "" ? null : inputs[0].value; }
  };

  function valueOf(form, id) {
    if (!isShown(form, id)) return null; // a hidden field counts as empty
    var wrap = wrapperOf(form, id);
    var read = readers[wrap.getAttribute("data-reads-as")] || readers.text;
    var inputs = Array.prototype.slice.call(form.querySelectorAll('[name="f_' + id + '"]'));
    return inputs.length ? read(inputs) : null;
  }

  function isEmpty(v) { return v === null || v === undefined || v === "" || v === false || (Array.isArray(v) && !v.length); }

  var ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
  // Dates when either side looks like one (ISO text compares in date order), else numbers.
  function compare(a, b) {
    if (ISO_DATE.test(String(a)) || ISO_DATE.test(String(b))) {
      if (!ISO_DATE.test(String(a)) || !ISO_DATE.test(String(b))) return null;
      return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
    }
    var na = parseFloat(a), nb = parseFloat(b);
    return isNaN(na) || isNaN(nb) ? null : (na > nb) - (na < nb);
  }

  function asText(x) { return x === true ? "true" : x === false ? "false" : String(x); }

  // Equal as text, or as numbers (2 == 2.0), as on the server.
  function same(a, b) {
    if (asText(a) === asText(b)) return true;
    var na = Number(a), nb = Number(b);
    return a !== "" && b !== "" && !isNaN(na) && !isNaN(nb) && na === nb;
  }

  function evaluate(form, cond) {
    if (cond.all) return cond.all.every(function (c) { return evaluate(form, c); });
    if (cond.any) return cond.any.some(function (c) { return evaluate(form, c); });
    var v = valueOf(form, cond.field);
    if ("equals" in cond) return !isEmpty(v) && same(v, cond.equals);
    if ("not_equals" in cond) return isEmpty(v) || !same(v, cond.not_equals);
    if ("in" in cond) return !isEmpty(v) && cond["in"].some(function (o) { return same(v, o); });
    if ("not_in" in cond) return isEmpty(v) || !cond.not_in.some(function (o) { return same(v, o); });
    if ("checked" in cond) return !!v === !!cond.checked;
    if ("filled" in cond) return !isEmpty(v) === !!cond.filled;
    if ("gt" in cond) return !isEmpty(v) && compare(v, cond.gt) === 1;
    if ("lt" in cond) return !isEmpty(v) && compare(v, cond.lt) === -1;
    if ("contains" in cond) return Array.isArray(v) ? v.some(function (x) { return same(x, cond.contains); }) : !isEmpty(v) && same(v, cond.contains);
    return true;
  }

  function refresh(form) {
    // Walk in document order: a field may only depend on fields before it.
    form.querySelectorAll("[data-field]").forEach(function (wrap) {
      var raw = wrap.getAttribute("data-show-if");
      if (!raw) return;
      var show = evaluate(form, JSON.parse(raw));
      if (wrap.hidden === !show) return;
      wrap.hidden = !show;
      wrap.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !show; });
    });
  }

  function init(root) {
    (root || document).querySelectorAll("form.request-form").forEach(function (form) {
      if (form.dataset.showIfReady) return;
      form.dataset.showIfReady = "1";
      refresh(form);
      form.addEventListener("input", function () { refresh(form); });
      form.addEventListener("change", function () { refresh(form); });
    });
    var summary = document.getElementById("error-summary");
    if (summary && !summary.dataset.focused) { summary.dataset.focused = "1"; summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); });
})();
