// Progressive enhancement of the walk-through: show-if rules applied as you answer, and
// each answer autosaved as soon as it changes. Without this script the page works the same,
// with show-if applied and answers saved on submit.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var status = document.querySelector("[data-autosave-status]");
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var digits = new Intl.NumberFormat(document.documentElement.lang || undefined);

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
    renumber();
  }

  // Numbers count the questions shown, as the server numbers them, in the page's digits.
  function renumber() {
    var shown = 0;
    form.querySelectorAll("[data-question]").forEach(function (el) {
      var number = el.querySelector("[data-question-number]");
      if (!el.hidden) shown += 1;
      if (number) number.textContent = el.hidden ? "" : digits.format(shown) + ".";
    });
  }

  // The server's own message when it sent one (a refusal, an expired session, a limit), else the page's.
  function say(key, message) { if (status) status.textContent = message || status.dataset[key] || ""; }

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

  function setAnswer(id, value) {
    var el = block(id);
    var inputs = el.querySelectorAll('[name="a-' + id + '"]');
    if (el.dataset.widget === "one_of" || el.dataset.widget === "many_of") {
      var picks = Array.isArray(value) ? value : [value];
      inputs.forEach(function (i) { i.checked = picks.indexOf(i.value) !== -1; });
    } else {
      inputs[0].value = value === null ? "" : String(value);
    }
  }

  function clearConflict(id) {
    var box = block(id).querySelector('[data-conflict-for="' + id + '"]');
    if (box) box.remove();
  }

  // Another tab saved this question since the page showed it: the page is now based on that
  // answer (_was), and offers both, as the server does on a page saved without this script.
  function showConflict(id, conflict) {
    var el = block(id);
    clearConflict(id);
    var box = document.getElementById("conflict-template").content.firstElementChild.cloneNode(true);
    box.dataset.conflictFor = id;
    box.setAttribute("aria-labelledby", "conflict-" + id);
    box.querySelector("p[id]").id = "conflict-" + id;
    box.querySelectorAll("input[type=radio]").forEach(function (i) { i.name = "_keep-" + id; });
    box.querySelector('[data-slot="saved"]').textContent = conflict.saved_text;
    box.querySelector('[data-slot="yours"]').textContent = conflict.yours_text;
    box.querySelectorAll("[data-without-script]").forEach(function (p) { p.remove(); });
    el.querySelector('[data-errors-for="' + id + '"]').after(box);
    el.querySelector('[name="_was-' + id + '"]').value = JSON.stringify(conflict.saved);
  }

  var progressAsOf = 0;

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
      if ((response.headers.get("Content-Type") || "").indexOf("application/json") === -1) {
        return { ok: false, body: {} };
      }
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      var body = result.body;
      showErrors(id, body.errors && body.errors[id]);
      if (result.ok) {
        Object.keys(body.values).forEach(function (q) {
          var was = form.querySelector('[name="_was-' + q + '"]');
          if (was) was.value = JSON.stringify(body.values[q]);
        });
        clearConflict(id);
        // Saves in flight at once may answer in either order: keep the progress read last.
        if (body.progress_as_of >= progressAsOf) {
          progressAsOf = body.progress_as_of;
          updateProgress(body.progress);
        }
        say("saved");
        return;
      }
      if (body.conflicts && body.conflicts[id]) showConflict(id, body.conflicts[id]);
      say("unexpected", body.error);
    }).catch(function () { say("offline"); });
  }

  form.addEventListener("change", function (event) {
    var el = event.target.closest("[data-question]");
    if (!el) return;
    var id = el.dataset.question;
    if (event.target.name === "_keep-" + id) {
      // The choice beside a conflict: keep the saved answer (now what _was holds) or yours, then save.
      if (event.target.value === "saved") setAnswer(id, JSON.parse(el.querySelector('[name="_was-' + id + '"]').value));
      clearConflict(id);
    }
    applyShowIf();
    save(id);
  });
  form.querySelectorAll("[data-without-script]").forEach(function (p) { p.remove(); });
  applyShowIf();
})();
