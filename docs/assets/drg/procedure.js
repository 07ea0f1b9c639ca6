/* Procedure pages. (1) The placeholders form (rendered by overrides/main.html from the front
   matter) fills each <Name> in every command, inline or block, and so in what Material's copy
   button copies (it reads the code's text at click time); the values live in the query string so
   a ticket link carries them. (2) The top-level list under "## Steps" becomes a checklist whose
   ticks, with the time of each tick, survive a reload (localStorage, keyed by page), with a
   "copy progress for the ticket" button. Nothing leaves the browser. */
(function () {
  "use strict";

  var el = drg.el;

  /* Values live in the URL fragment (#CMSName=EXCL01&IP=...): a pasted link carries them, but a
     browser never sends the fragment to any server. A fragment with no "=" is a heading anchor. */
  function hashValues() {
    return new URLSearchParams(location.hash.indexOf("=") > 0 ? location.hash.slice(1) : "");
  }

  /* Where this page is served (or its public address from file://), with the values. */
  function pageLink() {
    var values = hashValues().toString();
    return drg.ticketUrl(location.href.split(/[?#]/)[0]) + (values ? "#" + values : "");
  }

  function setHash(params) {
    var text = params.toString();
    if (!text && location.hash.indexOf("=") < 0) return;
    try {
      history.replaceState(history.state, "", location.href.split("#")[0] + (text ? "#" + text : ""));
    } catch (error) {
      /* some browsers refuse to change a file:// URL: the values still fill the commands */
    }
  }

  /* Wrap each <Name> of the code element's text in one span, even where Pygments split it over
     several tokens: find matches in the joined text, then edit the text nodes right to left. */
  function wrapPlaceholders(code, pattern) {
    var nodes = [];
    var text = "";
    var walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      nodes.push([walker.currentNode, text.length]);
      text += walker.currentNode.data;
    }
    var found = [];
    var match;
    pattern.lastIndex = 0;
    while ((match = pattern.exec(text))) found.push([match.index, match.index + match[0].length, match[1]]);
    for (var i = found.length - 1; i >= 0; i--) {
      var start = found[i][0];
      var end = found[i][1];
      var placed = false;
      nodes.forEach(function (entry) {
        var node = entry[0];
        var from = Math.max(start - entry[1], 0);
        var to = Math.min(end - entry[1], node.data.length);
        if (from >= to) return;
        if (placed) return node.deleteData(from, to - from);
        var middle = node.splitText(from);
        middle.splitText(to - from);
        var span = el("span", "drg-ph", text.slice(start, end));
        span.dataset.ph = found[i][2];
        middle.replaceWith(span);
        placed = true;
      });
    }
  }

  function placeholders(article) {
    var form = article.querySelector("form.drg-values");
    if (!form) return null;
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name]"));
    var names = inputs.map((input) => input.name).filter((name) => /^[A-Za-z0-9]+$/.test(name));
    if (!names.length) return null;
    var pattern = new RegExp("<(" + names.join("|") + ")>", "g");
    article.querySelectorAll("code").forEach(function (code) {
      if (!form.contains(code) && !code.querySelector(".drg-ph")) wrapPlaceholders(code, pattern);
    });
    var params = hashValues();
    var incident = drg.incident;
    var carried = incident ? incident.values() : {};
    var fromIncident = [];
    inputs.forEach(function (input) {
      if (params.has(input.name)) {
        input.value = params.get(input.name);
        if (params.has("incident")) fromIncident.push(input.name); /* carried by a link of the incident */
      } else if (carried[input.name]) {
        input.value = carried[input.name];
        fromIncident.push(input.name);
      }
    });
    /* Values this incident already has (typed on another page): say so, and offer to clear them. */
    var shared = el("p", "drg-values__incident");
    var clearShared = el("button", "md-button drg-values__clear", "Clear this incident's values");
    clearShared.type = "button";
    clearShared.dataset.action = "clear-incident";
    shared.setAttribute("role", "status");
    function showShared(names) {
      shared.textContent = names.length ? "Values from this incident: " + names.map((n) => "<" + n + ">").join(", ") + ". " : "";
      if (names.length) shared.append(clearShared);
      shared.hidden = !names.length;
    }
    form.querySelector("legend").after(shared);
    showShared(fromIncident);
    clearShared.addEventListener("click", function () {
      incident.clear();
      inputs.forEach(function (input) {
        if (fromIncident.indexOf(input.name) >= 0) input.value = "";
      });
      fromIncident = [];
      showShared([]);
      fill(true);
      shared.textContent = "This incident's values are cleared; the next value you type starts a new incident.";
      shared.hidden = false;
    });

    /* An organisation's build: a choice from its profile fills several placeholders at once. */
    var island = form.querySelector("script.drg-profile__data");
    var offered = null;
    try {
      offered = island ? JSON.parse(island.textContent) : null;
    } catch (error) {
      offered = null;
    }
    form.querySelectorAll("select[data-profile-group]").forEach(function (select) {
      select.addEventListener("change", function () {
        var group = offered && offered.groups.filter((g) => g.id === select.dataset.profileGroup)[0];
        var option = group && group.options[Number(select.value)];
        if (!option) return;
        inputs.forEach(function (input) {
          if (Object.prototype.hasOwnProperty.call(option.values, input.name)) input.value = option.values[input.name];
        });
      });
    });

    /* A value goes into commands that get pasted into a shell, and may come from a link. Each
       placeholder has a kind (front matter, data-kind on its field) that says which characters it
       may hold; on top of that, every kind refuses what could make a command do more than name
       something: a parameter or switch of its own, a comment, shell syntax, look-alike
       punctuation that shells read differently, and invisible direction or line controls. */
    var KINDS = {
      hostname: {
        test: (v) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(v),
        say: "a host name: letters, digits and hyphens only, no dots (for example EXCH01)",
      },
      fqdn: {
        test: (v) => /^(?=.{1,253}\.?$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/.test(v),
        say: "a fully qualified name: labels of letters, digits and hyphens joined by dots (for example mail.contoso.com)",
      },
      ipv4: {
        test: (v) => /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(v),
        say: "an IPv4 address: four numbers from 0 to 255 joined by dots (for example 10.0.0.7)",
      },
      path: {
        test: (v) => /^(?:[A-Za-z]:\\|\\\\[A-Za-z0-9._-]+\\)[A-Za-z0-9 ._\\-]*$/.test(v),
        say: "a Windows path: a drive (D:\\) or share (\\\\server\\), then letters, digits, spaces, dots, hyphens, underscores and backslashes",
      },
      "exchange-object": {
        test: (v) => /^[A-Za-z0-9][A-Za-z0-9 ._@-]*$/.test(v),
        say: "the name of an Exchange object: letters, digits, spaces, dots, hyphens, underscores and @",
      },
      text: { test: () => true, say: "" },
    };
    var REFUSED = [
      [/(?:^|\s)[-/]/, "a word starting with - or / would be read as a parameter or switch"],
      [/#/, "# would start a comment and cut the command short"],
      [/[\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2032\u2033]/, "curly quotes are not quotes to the shell: type straight text"],
      [/[\u2010-\u2015\u2212]/, "a dash other than the plain hyphen (-) looks like a hyphen but is read differently"],
      [/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/, "invisible direction or zero-width characters are not allowed"],
      [/[\u2028\u2029\u0085\u0000-\u001f\u007f]/, "line breaks and control characters are not allowed"],
      [/[;|&`$<>"'(){}\[\]%^!*?~=,+]/, "shell characters are not allowed: ; | & ` $ < > \" ' ( ) { } [ ] % ^ ! * ? ~ = , +"],
    ];
    function problem(input, value) {
      if (!value) return "";
      for (var i = 0; i < REFUSED.length; i++) if (REFUSED[i][0].test(value)) return REFUSED[i][1];
      var kind = KINDS[input.dataset.kind] || KINDS.text;
      return kind.test(value) ? "" : "This must be " + kind.say + ".";
    }
    function values() {
      var result = {};
      inputs.forEach(function (input) {
        var value = input.value.trim();
        var why = problem(input, value);
        if (value && !why) result[input.name] = value;
        input.setAttribute("aria-invalid", why ? "true" : "false");
        if (!input.drgError) {
          input.drgError = el("span", "drg-values__error");
          input.drgError.id = input.id + "-error";
          input.after(input.drgError);
          input.setAttribute("aria-describedby", input.getAttribute("aria-describedby") + " " + input.drgError.id);
        }
        input.drgError.textContent = why ? "Not filled in: " + (/^This/.test(why) ? why.charAt(0).toLowerCase() + why.slice(1) : why + ".") : "";
      });
      return result;
    }
    function fill(store) {
      var given = values();
      article.querySelectorAll(".drg-ph").forEach(function (span) {
        var value = given[span.dataset.ph];
        span.textContent = value || "<" + span.dataset.ph + ">";
        span.classList.toggle("drg-ph--filled", !!value);
      });
      if (!store) return;
      var params = new URLSearchParams();
      if (incident) {
        incident.remember(names, given);
        /* the incident travels while it holds something: values, answers or ticks */
        if (incident.current() && (Object.keys(incident.values()).length || incident.events().length)) params.set("incident", incident.current());
      }
      inputs.forEach(function (input) {
        if (given[input.name]) params.set(input.name, given[input.name]);
      });
      setHash(params);
    }
    form.addEventListener("input", () => fill(true));
    form.addEventListener("reset", () => setTimeout(() => fill(true)));
    form.addEventListener("change", function (event) {
      if (event.target.matches("select[data-profile-group]")) fill(true);
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    window.addEventListener("hashchange", function () {
      var given = hashValues();
      if (location.hash.indexOf("=") < 0) return;
      inputs.forEach((input) => (input.value = given.get(input.name) || ""));
      fill(false);
    });
    var heading = article.querySelector("h2");
    if (heading) heading.before(form);
    form.hidden = false;
    fill(false);
    return values;
  }

  /* The steps checklist. Storage per page: {run: ID, ticks: {step: ISO time}}. "Start a new run"
     gives the page a new run id; a tab still open from the last incident sees the id change (on
     its next tick, or at once through the storage event) and drops its old ticks instead of
     writing them back. Clearing asks first. */
  function checklist(article, values, form) {
    var heading = article.querySelector("h2#steps");
    var list = heading && heading.nextElementSibling;
    while (list && list.tagName !== "OL" && list.tagName !== "H2") list = list.nextElementSibling;
    if (!list || list.tagName !== "OL" || list.dataset.drgSteps) return;
    list.dataset.drgSteps = "1";
    var key = "drg-steps:" + location.pathname;
    var run = "";
    var ticks = {};
    function load() {
      var stored = {};
      try {
        stored = JSON.parse(localStorage.getItem(key) || "{}") || {};
      } catch (error) {
        stored = {};
      }
      if (typeof stored !== "object") stored = {};
      /* before runs, the page stored the ticks map itself */
      return "ticks" in stored ? { run: String(stored.run || ""), ticks: stored.ticks || {} } : { run: "", ticks: stored };
    }
    var first = load();
    run = first.run;
    ticks = first.ticks;
    var steps = Array.prototype.filter.call(list.children, (item) => item.tagName === "LI");
    var bar = el("div", "drg-proc__bar");
    var status = el("p", "drg-proc__status");
    var copy = el("button", "md-button drg-proc__button", "Copy progress for the ticket");
    var fresh = el("button", "md-button drg-proc__button", "Start a new run");
    var exportCsv = el("button", "md-button drg-proc__button", "Export the incident timeline (CSV)");
    exportCsv.type = "button";
    exportCsv.dataset.action = "export-timeline";
    var confirm = el("div", "drg-proc__confirm");
    var question = el("p", "drg-proc__confirm-text");
    var yes = el("button", "md-button md-button--primary drg-proc__button", "Yes, clear every tick");
    var no = el("button", "md-button drg-proc__button", "No, keep them");
    var notice = el("p", "drg-proc__notice");
    status.setAttribute("aria-live", "polite");
    notice.setAttribute("role", "status");
    confirm.setAttribute("role", "group");
    confirm.setAttribute("aria-label", "Confirm a new run");
    copy.type = fresh.type = yes.type = no.type = "button";
    copy.dataset.action = "copy-progress";
    fresh.dataset.action = "new-run";
    yes.dataset.action = "new-run-confirm";
    no.dataset.action = "new-run-cancel";
    confirm.append(question, yes, no);
    bar.append(status, copy, fresh);
    if (drg.incident) bar.append(exportCsv);
    heading.after(bar, confirm, notice);
    notice.hidden = true;
    confirm.hidden = true;

    function stamp(iso) {
      var date = new Date(iso);
      var pad = (n) => String(n).padStart(2, "0");
      var offset = -date.getTimezoneOffset();
      return (
        date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + " " + pad(date.getHours()) + ":" + pad(date.getMinutes()) +
        " UTC" + (offset < 0 ? "-" : "+") + pad(Math.floor(Math.abs(offset) / 60)) + ":" + pad(Math.abs(offset) % 60)
      );
    }
    function title(item) {
      var lead = item.querySelector(":scope > p > strong:first-child, :scope > strong:first-child") || item.querySelector(":scope > p");
      var text = (lead || item).textContent.replace(/\s+/g, " ").trim();
      return text.length > 120 ? text.slice(0, 117) + "..." : text;
    }
    function save() {
      try {
        localStorage.setItem(key, JSON.stringify({ run: run, ticks: ticks }));
      } catch (error) {
        /* storage refused (private mode, file:// policy): ticks last until the page is left */
      }
    }
    /* Another tab (or an earlier visit) started a new run: its ticks win over ours. */
    function adopt() {
      var stored = load();
      if (stored.run !== run) {
        run = stored.run;
        ticks = stored.ticks;
        return true;
      }
      return false;
    }
    function done() {
      return steps.filter((item, index) => ticks[index + 1]).length;
    }
    function update() {
      steps.forEach(function (item, index) {
        var when = ticks[index + 1];
        item.classList.toggle("drg-step--done", !!when);
        item.drgBox.checked = !!when;
        item.drgTime.textContent = when ? "done " + stamp(when) : "";
        item.drgTime.dateTime = when || "";
      });
      status.textContent = done() + " of " + steps.length + " steps done";
    }
    function say(text) {
      notice.textContent = text;
      notice.hidden = false;
    }

    steps.forEach(function (item, index) {
      var titles = title(item);
      var tick = el("label", "drg-step__tick");
      var box = el("input", "drg-step__box");
      var time = el("time", "drg-step__time");
      box.type = "checkbox";
      box.setAttribute("aria-label", "Step " + (index + 1) + " done: " + titles);
      box.addEventListener("change", function () {
        adopt();
        if (box.checked) ticks[index + 1] = new Date().toISOString();
        else delete ticks[index + 1];
        if (drg.incident) drg.incident.log(box.checked ? "step" : "unstep", pageTitle(), "step " + (index + 1) + ". " + titles);
        save();
        update();
      });
      tick.append(box);
      var lead = item.firstElementChild && item.firstElementChild.tagName === "P" ? item.firstElementChild : null;
      if (lead) {
        lead.prepend(tick);
        lead.after(time); /* on its own line, so it never covers the step's title */
      } else {
        item.prepend(tick, time);
      }
      item.drgBox = box;
      item.drgTime = time;
      item.drgTitle = titles;
    });
    window.addEventListener("storage", function (event) {
      if (event.key === key && adopt()) update();
      else if (event.key === key) {
        ticks = load().ticks;
        update();
      }
    });
    fresh.addEventListener("click", function () {
      adopt();
      if (!done() && !(form && Object.keys(values ? values() : {}).length)) return newRun();
      question.textContent = "Start a new run? This clears the " + done() + " tick" + (done() === 1 ? "" : "s") + " and the values on this page, here and in other open tabs.";
      confirm.hidden = false;
      no.focus();
    });
    no.addEventListener("click", function () {
      confirm.hidden = true;
      fresh.focus();
    });
    yes.addEventListener("click", newRun);
    function newRun() {
      confirm.hidden = true;
      run = new Date().toISOString();
      ticks = {};
      save();
      if (form) form.reset();
      update();
      say("New run started: every tick and value on this page is cleared.");
      fresh.focus();
    }
    copy.addEventListener("click", function () {
      adopt();
      update();
      var given = values ? values() : {};
      var names = Object.keys(given);
      var version = document.querySelector('meta[name="drg-version"]');
      var lines = ["Procedure: " + pageTitle(), "Link: " + pageLink()];
      if (names.length) lines.push("Values: " + names.map((name) => name + " = " + given[name]).join("; "));
      lines.push(status.textContent, "");
      steps.forEach(function (item, index) {
        var when = ticks[index + 1];
        lines.push((when ? "[x] " : "[ ] ") + (index + 1) + ". " + item.drgTitle + (when ? " (done " + stamp(when) + ")" : ""));
      });
      var timeline = drg.incident ? drg.incident.timeline() : [];
      if (timeline.length) lines = lines.concat([""], timeline);
      if (drg.linksAreLocal()) lines.push("", drg.localNote);
      if (version) lines.push("", "Exchange DR Guide, site version " + version.content);
      drg.copyText(lines.join("\n"), notice, say, "Progress for the ticket", "Copied the progress for the ticket.");
    });
    exportCsv.addEventListener("click", function () {
      drg.incident.download();
      say("Saved the incident timeline as a CSV file (" + drg.incident.events().length + " entries).");
    });
    function pageTitle() {
      var h1 = article.querySelector("h1");
      return h1 ? h1.textContent.replace(/\s*¶\s*$/, "").trim() : document.title;
    }
    update();
  }

  function start() {
    var article = document.querySelector("article.md-content__inner");
    if (!article) return;
    var values = placeholders(article);
    checklist(article, values, article.querySelector("form.drg-values"));
  }

  if (window.document$) window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
