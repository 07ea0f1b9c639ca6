/* Site-wide accessibility fixes to the theme: Material's search dialog has no accessible name
   (axe: aria-dialog-name). The header is not replaced by instant navigation, so once is enough. */
(function () {
  "use strict";
  document.querySelectorAll(".md-search[role='dialog']:not([aria-label])").forEach(function (dialog) {
    dialog.setAttribute("aria-label", "Search");
  });
})();
