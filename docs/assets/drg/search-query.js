/* Search for codes and switches as engineers type them. Material hands the search box's text to
   lunr, where a leading "-" means "must not contain" and a leading "+" "must contain": "-1018" or
   "-ConfigurationOnly" would list every page except the one wanted. The box keeps what was typed;
   the query read from it drops a dash or plus that starts a word, so "-1018" searches for 1018. */
(function () {
  "use strict";
  var native = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value");

  function mount() {
    var input = document.querySelector(".md-search__input");
    if (!input || input.drgQuery || !native) return;
    input.drgQuery = true;
    Object.defineProperty(input, "value", {
      configurable: true,
      get: function () {
        return native.get.call(this).replace(/(^|\s)[-+]+(?=\w)/g, "$1");
      },
      set: function (text) {
        native.set.call(this, text);
      },
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
