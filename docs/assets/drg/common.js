/* Shared by guide.js and procedure.js: element creation and copy-to-clipboard with a fallback.
   Loaded first (mkdocs.yml extra_javascript). */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* Copy text for a ticket. Where the clipboard API is refused (file://, old browsers, denied
     permission) show it in a selected read-only textarea after `after`, and say how to copy. */
  function copyText(text, after, say, label, done) {
    var old = after.parentNode.querySelector(".drg-copy-text");
    if (old) old.remove();
    var fallback = function () {
      var area = el("textarea", "drg-copy-text");
      area.value = text;
      area.readOnly = true;
      area.rows = Math.min(text.split("\n").length, 24);
      area.setAttribute("aria-label", label);
      after.after(area);
      area.focus();
      area.select();
      say("The browser did not allow copying: the text is selected below, press Ctrl+C (or Cmd+C) to copy it.");
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(() => say(done), fallback);
    } else fallback();
  }

  window.drg = { el: el, copyText: copyText };
})();
