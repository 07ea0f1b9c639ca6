/* Shared by guide.js and procedure.js: element creation, copy-to-clipboard with a fallback, and
   the address a ticket link should carry. Loaded first (mkdocs.yml extra_javascript). */
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

  /* The site's root folder where this page is served: Material's __config "base" is the
     relative path from the page to the root, so this works on any host, port or file path. */
  function siteRoot() {
    var config = document.getElementById("__config");
    var base = ".";
    try {
      base = JSON.parse(config.textContent).base || ".";
    } catch (error) {
      base = ".";
    }
    return new URL(base.replace(/\/?$/, "/"), location.href).href;
  }

  /* The public address configured at build time (DRG_SITE_URL, overrides/main.html), or "". */
  function publicSite() {
    var meta = document.querySelector('meta[name="drg-site-url"]');
    return meta && meta.content ? meta.content.replace(/\/?$/, "/") : "";
  }

  /* Served over http(s), a ticket link is where the page really is. From file:// it is the
     public address when one was configured, else the local file (see linksAreLocal). */
  function ticketUrl(href) {
    var absolute = new URL(href, location.href).href;
    if (/^https?:$/.test(location.protocol)) return absolute;
    var site = publicSite();
    var root = siteRoot();
    return site && absolute.indexOf(root) === 0 ? site + absolute.slice(root.length) : absolute;
  }

  /* True when the links a ticket gets only work on this computer (file:// and no public address). */
  function linksAreLocal() {
    return !/^https?:$/.test(location.protocol) && !publicSite();
  }

  var LOCAL_NOTE = "Note: these links point at files on this computer (the guide was opened from a file, and no public address was set when it was built); they will not open for anyone else.";

  /* At most `limit` characters of text a page quotes back from a URL. */
  function clip(text, limit) {
    text = String(text);
    limit = limit || 200;
    return text.length > limit ? text.slice(0, limit - 1) + "\u2026" : text;
  }

  window.drg = { el: el, copyText: copyText, ticketUrl: ticketUrl, linksAreLocal: linksAreLocal, localNote: LOCAL_NOTE, clip: clip };
})();
