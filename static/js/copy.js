// Copy buttons beside private links: shown only where the clipboard can be written; the link itself
// stays visible and selectable without JavaScript.
(function () {
  "use strict";
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var label = button.firstChild.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copy).then(function () {
        button.firstChild.textContent = button.dataset.copied;
        setTimeout(function () { button.firstChild.textContent = label; }, 2000);
      });
    });
  });
})();
