// Progressive enhancement of the walk-through: show-if rules applied as you answer, and
// each answer autosaved as soon as it changes. Without this script the page works the same,
// with show-if applied and answers saved on submit.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var status = document.querySelector("[data-autosave-status]");
  var csrf = document.querySelector('meta[name="csrf-token"]').content;

  function block(id) { return form.querySelector('[data-question="' + id + '"]'); }

  function answerOf(id) {
    var el = block(id);
    if (!el || el.hidden) return null;
    var inputs = el.querySelectorAll('[name="a-' + id + '"]');
    var widget = el.dataset.widget;
    if (widget === "many_of") {
      return Array.prototype.filter.call(inputs, function (i) { return i.checked; }).map(function (i) { return i.value; });
    }
    if (widget === "number") {
      var text = inputs[0].value.trim().replace(",", ".").replace("\u066b", ".");
      var digits = text.replace(/[\u06f0-\u06f9]/g, function (d) { return d.charCodeAt(0) - 0x06f0; })
                       .replace(/[\u0660-\u0669]/g, function (d) { return d.charCodeAt(0) - 0x0660; });
      return text === "" || isNaN(Number(digits)) ? null : Number(digits);
    }
    if (widget === "text") return inputs[0].value.trim() || null;
    var checked = Array.prototype.find.call(inputs, function (i) { return i.checked; });
    return checked ? checked.value : null;
  }

  function holds(rule) {
    if (rule.all) return rule.all.every(holds);
    if (rule.any) return rule.any.some(holds);
    if (rule.not) return !holds(rule.not);
    var answer = answerOf(rule.q);
    if (rule["in"]) {
      var picks = Array.isArray(answer) ? answer : [answer];
      return picks.some(function (p) { return rule["in"].indexOf(p) !== -1; });
    }
    if (typeof answer !== "number") return false;
    return (rule.min === null || answer >= rule.min) && (rule.max === null || answer <= rule.max);
  }

  // A question's rule reads only earlier-decided questions; repeat until nothing changes.
  function applyShowIf() {
    var rules = form.querySelectorAll("[data-show-if]");
    for (var pass = 0; pass <= rules.length; pass++) {
      var changed = false;
      rules.forEach(function (el) {
        var hide = !holds(JSON.parse(el.dataset.showIf));
        if (el.hidden !== hide) { el.hidden = hide; changed = true; }
      });
      if (!changed) break;
    }
  }

  function say(key) { if (status) status.textContent = status.dataset[key] || ""; }

  function showErrors(id, messages) {
    var el = block(id);
    var box = el.querySelector('[data-errors-for="' + id + '"]');
    box.textContent = "";
    (messages || []).forEach(function (m) { var p = document.createElement("p"); p.textContent = m; box.appendChild(p); });
    box.hidden = !messages || !messages.length;
    el.classList.toggle("has-error", !box.hidden);
    el.querySelectorAll("input:not([type=hidden]), textarea").forEach(function (i) {
      if (box.hidden) i.removeAttribute("aria-invalid"); else i.setAttribute("aria-invalid", "true");
    });
  }

  function updateProgress(progress) {
    Object.keys(progress).forEach(function (area) {
      var p = progress[area];  // p.shown: answered, total and share, written in the reader's digits
      document.querySelectorAll('[data-progress-area="' + area + '"]').forEach(function (el) { el.textContent = p.shown[2]; });
      document.querySelectorAll('[data-progress-bar="' + area + '"]').forEach(function (el) {
        var bar = el.querySelector("progress");
        bar.max = p.total || 1; bar.value = p.total ? p.answered : 1;
        el.querySelector("[data-answered]").textContent = p.shown[0];
        el.querySelector("[data-total]").textContent = p.shown[1];
      });
    });
  }

  function save(id) {
    var el = block(id);
    var data = new FormData();
    data.append("_q", id);
    data.append("_was-" + id, el.querySelector('[name="_was-' + id + '"]').value);
    el.querySelectorAll('[name="a-' + id + '"]').forEach(function (i) {
      if ((i.type !== "radio" && i.type !== "checkbox") || i.checked) data.append(i.name, i.value);
    });
    say("saving");
    fetch(form.dataset.autosave, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      showErrors(id, result.body.errors && result.body.errors[id]);
      if (result.ok) {
        Object.keys(result.body.values).forEach(function (q) {
          var was = form.querySelector('[name="_was-' + q + '"]');
          if (was) was.value = JSON.stringify(result.body.values[q]);
        });
        updateProgress(result.body.progress);
        say("saved");
      } else {
        say("failed");
      }
    }).catch(function () { say("offline"); });
  }

  form.addEventListener("change", function (event) {
    var el = event.target.closest("[data-question]");
    if (!el) return;
    applyShowIf();
    save(el.dataset.question);
  });
  applyShowIf();
})();
