/* One incident across pages: the values typed on one procedure page are offered on every other
   page of the same incident that uses the same placeholder, and every answer and ticked step is
   kept with its time for the ticket (plain text, and CSV). The incident id travels in the URL
   fragment (#incident=ID&Name=value), which no browser sends to a server; what it has gathered
   lives in this tab's sessionStorage under that id. Nothing leaves the browser.
   Loaded after common.js; guide.js and procedure.js use drg.incident. */
(function () {
  "use strict";

  var PREFIX = "drg-incident:";
  var CURRENT = "drg-incident-current";
  var SAFE = /^[A-Za-z0-9]{1,64}$/;

  function store() {
    try {
      return window.sessionStorage;
    } catch (error) {
      return null; /* storage refused: values still travel in the links */
    }
  }
  function get(key) {
    var s = store();
    try {
      return s ? s.getItem(key) : null;
    } catch (error) {
      return null;
    }
  }
  function set(key, value) {
    var s = store();
    try {
      if (s && value === null) s.removeItem(key);
      else if (s) s.setItem(key, value);
    } catch (error) {
      /* full or refused: this page still works */
    }
  }
  function hash() {
    return new URLSearchParams(location.hash.indexOf("=") > 0 ? location.hash.slice(1) : "");
  }
  function valid(id) {
    return typeof id === "string" && /^[a-z0-9]{6,32}$/.test(id);
  }

  /* The incident of this page: the one in the fragment, else (on a guide with answers in its
     address) this tab's current one. A guide opened afresh starts a new incident at its first answer. */
  var onGuide = !!document.querySelector(".md-typeset [data-guide]");
  var id = valid(hash().get("incident")) ? hash().get("incident") : "";
  if (id) set(CURRENT, id);
  else if (onGuide && !location.search) set(CURRENT, null);

  function current() {
    if (id) return id;
    if (!onGuide) return "";
    var stored = get(CURRENT);
    return valid(stored) ? stored : "";
  }
  function ensure() {
    id = current() || Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    set(CURRENT, id);
    return id;
  }
  function read() {
    var data = null;
    var key = current();
    try {
      data = key ? JSON.parse(get(PREFIX + key) || "null") : null;
    } catch (error) {
      data = null;
    }
    if (!data || typeof data !== "object") data = {};
    var values = data.values && typeof data.values === "object" ? data.values : {};
    var clean = {};
    Object.keys(values).forEach(function (name) {
      if (SAFE.test(name) && typeof values[name] === "string") clean[name] = values[name];
    });
    return { values: clean, events: Array.isArray(data.events) ? data.events.filter((e) => e && typeof e.t === "string") : [] };
  }
  function write(data) {
    set(PREFIX + ensure(), JSON.stringify(data));
  }

  /* Values: a page reports the values it holds for its placeholders; empty ones are forgotten. */
  function remember(names, given) {
    var data = read();
    var changed = false;
    names.forEach(function (name) {
      var value = given[name] || "";
      if ((data.values[name] || "") === value) return;
      if (value) data.values[name] = value;
      else delete data.values[name];
      changed = true;
    });
    if (changed && (current() || Object.keys(data.values).length)) write(data);
  }
  function log(kind, page, text) {
    var data = read();
    data.events.push({ t: new Date().toISOString(), kind: kind, page: page, text: text });
    write(data);
  }
  function events() {
    return read().events.slice().sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  }
  function clear() {
    var key = current();
    if (key) set(PREFIX + key, null);
    set(CURRENT, null);
    id = "";
  }

  function stamp(iso) {
    var date = new Date(iso);
    var pad = (n) => String(n).padStart(2, "0");
    var offset = -date.getTimezoneOffset();
    return (
      date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + " " +
      pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()) +
      " UTC" + (offset < 0 ? "-" : "+") + pad(Math.floor(Math.abs(offset) / 60)) + ":" + pad(Math.abs(offset) % 60)
    );
  }
  var KIND = { answer: "answer", step: "step done", unstep: "step undone" };
  /* The timeline as plain text lines for a ticket, oldest first ([] when nothing happened). */
  function timeline() {
    var list = events();
    if (!list.length) return [];
    return ["Incident timeline (" + list.length + " entr" + (list.length === 1 ? "y" : "ies") + ", oldest first):"].concat(
      list.map((e) => stamp(e.t) + "  " + (KIND[e.kind] || e.kind) + "  " + e.page + ": " + e.text),
    );
  }
  function csvCell(value) {
    var text = String(value == null ? "" : value);
    /* a cell starting with = + - @ would run as a formula in a spreadsheet */
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function csv() {
    var rows = [["time", "local time", "kind", "page", "what"]].concat(
      events().map((e) => [e.t, stamp(e.t), KIND[e.kind] || e.kind, e.page, e.text]),
    );
    return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
  }
  /* Save the timeline as a CSV file (a download made in the browser, nothing sent). */
  function download() {
    var blob = new Blob([csv()], { type: "text/csv;charset=utf-8" });
    var link = drg.el("a", "drg-download");
    link.href = URL.createObjectURL(blob);
    link.download = "incident-" + (current() || "timeline") + ".csv";
    document.body.append(link);
    link.click();
    setTimeout(function () {
      URL.revokeObjectURL(link.href);
      link.remove();
    }, 1000);
  }

  /* A link to a procedure or planning page carries the incident and its values, so the next page
     offers them (in this tab from sessionStorage, in another tab from the link itself). */
  function carry(link) {
    var key = current();
    if (!key || !link.getAttribute("href")) return;
    var url = new URL(link.href, location.href);
    if (url.origin !== location.origin && location.protocol !== "file:") return;
    if (!/\/(procedures|planning)\/[^/]+\.html$/.test(url.pathname) || (url.hash && url.hash.indexOf("=") < 0)) return;
    var params = new URLSearchParams();
    params.set("incident", key);
    var values = read().values;
    Object.keys(values).forEach((name) => params.set(name, values[name]));
    url.hash = params.toString();
    link.href = url.href;
  }
  function onLink(event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (link && !link.hasAttribute("download")) carry(link);
  }
  document.addEventListener("click", onLink, true);
  document.addEventListener("auxclick", onLink, true);
  document.addEventListener("contextmenu", onLink, true);

  window.drg.incident = {
    current: current,
    ensure: ensure,
    values: () => read().values,
    remember: remember,
    log: log,
    events: events,
    timeline: timeline,
    csv: csv,
    download: download,
    clear: clear,
  };
})();
