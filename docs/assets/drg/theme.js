/* Site-wide fixes to the theme.
   (1) Material's search dialog has no accessible name (axe: aria-dialog-name). The header is not
   replaced by instant navigation, so once is enough.
   (2) Search for commands as they are typed. Material hands the search box's text to its search
   worker (Lunr) as a query message; before it goes, a command is turned into what Lunr means:
   - a dash or plus before a word is part of what was typed: a parameter (-ConfigurationOnly) or
     an error code (-1018), not Lunr's "without this word" or "must contain";
   - a hyphenated cmdlet (Restore-StorageGroupCopy) must match all its parts, as +Restore
     +StorageGroupCopy, not any page with "restore" in it. The index splits on hyphens
     (mkdocs.yml, search separator), so the parts are terms of their own.
   The box keeps what was typed. Works over http(s) and with the file:// worker alike. */
(function () {
  "use strict";
  document.querySelectorAll(".md-search[role='dialog']:not([aria-label])").forEach(function (dialog) {
    dialog.setAttribute("aria-label", "Search");
  });

  var QUERY = 2; // Material's SearchMessageType.QUERY
  /* Lunr's English stop words (lunr.stopWordFilter), which the index leaves out. */
  var STOP = new RegExp(
    "^(?:a|able|about|across|after|all|almost|also|am|among|an|and|any|are|as|at|be|because|been|but|by|can|cannot|could|dear|did|do|does|either|else|ever|every|for|from|get|got|had|has|have|he|her|hers|him|his|how|however|i|if|in|into|is|it|its|just|least|let|like|likely|may|me|might|most|must|my|neither|no|nor|not|of|off|often|on|only|or|other|our|own|rather|said|say|says|she|should|since|so|some|than|that|the|their|them|then|there|these|they|this|tis|to|too|twas|us|wants|was|we|were|what|when|where|which|while|who|whom|why|will|with|would|yet|you|your)$",
    "i",
  );
  function commandQuery(text) {
    return text
      .split(/\s+/)
      .map(function (word) {
        word = word.replace(/^[-+]+(?=\w)/, "");
        if (!/^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+$/.test(word)) return word;
        /* Every part is required, except Lunr's stop words (Get is one): the index has no such
           term, and a required term that is not there matches nothing. */
        return word
          .split("-")
          .map((part) => (STOP.test(part) ? part : "+" + part))
          .join(" ");
      })
      .join(" ");
  }
  [window.Worker, window.IFrameWorker].forEach(function (Kind) {
    if (!Kind || !Kind.prototype || Kind.prototype.drgCommands) return;
    var send = Kind.prototype.postMessage;
    Kind.prototype.postMessage = function (message) {
      if (message && message.type === QUERY && typeof message.data === "string") {
        message = Object.assign({}, message, { data: commandQuery(message.data) });
      }
      return send.apply(this, [message].concat(Array.prototype.slice.call(arguments, 1)));
    };
    Kind.prototype.drgCommands = true;
  });
})();
