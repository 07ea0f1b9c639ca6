/* Interactive guides: one question at a time, the answers in the URL (?question-id=answer-id),
   copy for ticket, the path taken marked on the decision map. Enhances the server-rendered guide,
   which works without JavaScript; the tree comes from the JSON island, never from the markup.
   Mounts on Material's document$, once per page. */
(function () {
  "use strict";
  var HIGHLIGHT = "h"; // Material's search highlight parameter: not an answer, never reported
  var mounted = [];

  function mount(root) {
    var island = root.querySelector("script.drg-guide__data");
    if (!island) return null;
    if (root.drgRestore) return root.drgRestore;
    var tree = JSON.parse(island.textContent);
    var $ = function (selector) {
      return root.querySelector(selector);
    };
    var all = function (selector) {
      return root.querySelectorAll(selector);
    };
    var toolbar = $(".drg-guide__toolbar");
    var progress = $(".drg-guide__progress");
    var history = el("ol", "drg-guide__history");
    var notice = el("p", "drg-guide__notice");
    var state = null;
    var note = "";
    history.setAttribute("aria-label", "Your answers so far");
    notice.setAttribute("role", "status");
    toolbar.after(notice, history);
    toolbar.hidden = false;
    var map = $(".drg-guide__map");
    var mapView = map ? mountMap(map) : null;
    var ask = el("div", "drg-guide__ask");
    ask.hidden = true;
    notice.after(ask);
    root.classList.add("drg-guide--js");

    /* Ids come from the URL: own properties only, so "constructor" or "__proto__" is unknown. */
    function own(object, id) {
      return Object.prototype.hasOwnProperty.call(object, id) ? object[id] : null;
    }
    function question(id) {
      return own(tree.questions, id);
    }

    /* The map goes after the current question. On a narrow screen it starts closed and shows
       "my path only" (the answers taken, then where they lead), which fits any width; the full
       map scrolls inside its viewport to the current question whenever it is shown. */
    function mountMap(details) {
      root.append(details);
      var figure = details.querySelector(".drg-map");
      var viewport = details.querySelector(".drg-map__viewport");
      var tools = el("div", "drg-map__tools");
      var mine = el("button", "md-button drg-map__view", "My path only");
      var full = el("button", "md-button drg-map__view", "Full map");
      var list = el("ol", "drg-map__path");
      tools.setAttribute("role", "group");
      tools.setAttribute("aria-label", "Map view");
      mine.type = full.type = "button";
      mine.dataset.mapView = "path";
      full.dataset.mapView = "full";
      list.setAttribute("aria-label", "Your path through this guide");
      tools.append(mine, full);
      details.querySelector("summary").after(tools, list);
      var narrow = window.matchMedia("(max-width: 44.9375em)").matches;
      var view = narrow ? "path" : "full";
      var current = null;
      if (narrow) details.open = false;

      function centre() {
        if (!details.open || view !== "full" || !current) return;
        var node = root.querySelector("#" + CSS.escape(current.q ? "map-q-" + current.q : "map-o-" + current.o));
        if (!node) return;
        var box = node.getBoundingClientRect();
        var frame = viewport.getBoundingClientRect();
        viewport.scrollLeft += box.left - frame.left - (frame.width - box.width) / 2;
        viewport.scrollTop += box.top - frame.top - Math.max((frame.height - box.height) / 3, 0);
      }
      function setView(next) {
        view = next;
        figure.hidden = view !== "full";
        list.hidden = view !== "path";
        mine.setAttribute("aria-pressed", String(view === "path"));
        full.setAttribute("aria-pressed", String(view === "full"));
        centre();
      }
      tools.addEventListener("click", function (event) {
        var button = event.target.closest("[data-map-view]");
        if (!button) return;
        event.preventDefault();
        event.stopPropagation();
        setView(button.dataset.mapView);
      });
      details.addEventListener("toggle", centre);
      setView(view);
      return {
        update: function (next) {
          current = next.node;
          list.textContent = "";
          next.path.forEach(function (step) {
            var item = el("li", "drg-map__step");
            item.append(el("span", "drg-map__step-question", question(step[0]).text), el("strong", "drg-map__step-answer", answerOf(step[0], step[1]).label));
            list.append(item);
          });
          var end = el("li", "drg-map__step drg-map__step--now");
          end.append(el("span", "drg-map__step-question", next.node.q ? "Now: " + question(next.node.q).text : "Outcome: " + outcomeOf(next.node.o).title));
          list.append(end);
          centre();
        },
      };
    }
    function outcomeOf(id) {
      return own(tree.outcomes, id);
    }
    function answerOf(qid, aid) {
      var q = question(qid);
      return (q && q.answers.filter((a) => a.id === aid)[0]) || null;
    }
    function target(answer) {
      return answer.next ? { q: answer.next } : { o: answer.outcome };
    }

    /* Follow the answers in `given` (question id -> answer id) from the start as far as they go. */
    function walk(given) {
      var path = [];
      var node = { q: tree.start };
      var seen = {};
      while (node.q && !seen[node.q]) {
        seen[node.q] = true;
        var answer = Object.prototype.hasOwnProperty.call(given, node.q) && answerOf(node.q, given[node.q]);
        if (!answer) break;
        path.push([node.q, answer.id]);
        node = target(answer);
      }
      return { path: path, node: node };
    }

    function read() {
      var params = new URLSearchParams(location.search);
      var given = Object.create(null);
      params.forEach(function (value, key) {
        if (!(key in given)) given[key] = value;
      });
      var result = walk(given);
      var used = Object.create(null);
      result.path.forEach((step) => (used[step[0]] = true));
      var stale = [];
      params.forEach(function (value, key) {
        if (key !== HIGHLIGHT && !used[key]) stale.push(key + "=" + value);
      });
      note = stale.length ? "This link had answers that no longer apply, so they were ignored: " + drg.clip(stale.join(", ")) + "." : "";
      var hash = /^#([qo])-(.+)$/.exec(decode(location.hash));
      var kind = hash && (hash[1] === "q" ? "question" : "outcome");
      if (hash && !(hash[1] === "q" ? question(hash[2]) : outcomeOf(hash[2]))) {
        note = (note ? note + " " : "") + "This link names a " + kind + " this guide does not have (" + drg.clip(hash[2]) + "), so the guide shows where the answers lead.";
      } else if (hash) {
        var onPath = result.path.some((step) => hash[1] === "q" && step[0] === hash[2]);
        if (!onPath && result.node[hash[1]] !== hash[2]) {
          result = { path: [], node: {}, direct: true };
          result.node[hash[1]] = hash[2];
          note = "This link opens one " + kind + " without the answers before it. Use Start again to answer from the first question.";
        }
      }
      result.keep = (window.history.state && window.history.state.drgKeep) || {};
      return result;
    }

    function decode(text) {
      try {
        return decodeURIComponent(text);
      } catch (error) {
        return text;
      }
    }
    function query(path) {
      var params = new URLSearchParams();
      path.forEach((step) => params.append(step[0], step[1]));
      var text = params.toString();
      return text ? "?" + text : "";
    }
    function here() {
      return location.href.split(/[?#]/)[0];
    }
    function href(next) {
      return next.direct ? "#" + (next.node.q ? "q-" + next.node.q : "o-" + next.node.o) : here() + query(next.path);
    }
    function signature(next) {
      return JSON.stringify([next.path, next.node, !!next.direct]);
    }
    function given(next) {
      var map = Object.assign({}, next.keep);
      next.path.forEach((step) => (map[step[0]] = step[1]));
      return map;
    }

    function go(next, message) {
      try {
        window.history.pushState({ drgKeep: given(next) }, "", href(next));
      } catch (error) {
        /* some browsers refuse to change a file:// URL: the page still works, without the URL */
      }
      note = message || "";
      show(next, true);
    }

    function choose(qid, aid) {
      var answer = answerOf(qid, aid);
      if (!answer) return;
      if (drg.incident) drg.incident.log("answer", tree.title, question(qid).text + " -> " + answer.label);
      if (state.direct) return go({ path: [], node: target(answer), direct: true, keep: {} });
      var map = given(state);
      map[qid] = aid;
      var next = walk(map);
      next.keep = map;
      var kept = next.path.length - state.path.length - 1;
      go(next, kept > 0 ? "Your " + (kept > 1 ? kept + " later answers still apply and were" : "later answer still applies and was") + " kept." : "");
    }

    function change(index) {
      var keep = given(state);
      var step = state.path[index];
      go({ path: state.path.slice(0, index), node: { q: step[0] }, keep: keep });
    }

    function show(next, focus) {
      state = next;
      var current = next.node.q ? root.querySelector('[data-question="' + CSS.escape(next.node.q) + '"]') : null;
      var outcome = next.node.o ? root.querySelector('[data-outcome="' + CSS.escape(next.node.o) + '"]') : null;
      all("[data-question],[data-outcome]").forEach((node) => (node.hidden = node !== current && node !== outcome));
      $(".drg-guide__questions").hidden = !current;
      $(".drg-guide__outcomes").hidden = !outcome;
      var copied = $(".drg-copy-text");
      if (copied) copied.remove();

      if (current) {
        var previous = next.keep[next.node.q];
        current.querySelectorAll("a[data-answer]").forEach(function (link) {
          var answer = answerOf(next.node.q, link.dataset.answer);
          if (!answer) return;
          link.href = next.direct
            ? href({ direct: true, node: target(answer) })
            : here() + query(next.path.concat([[next.node.q, answer.id]]));
          var chosen = previous === answer.id;
          link.classList.toggle("drg-guide__answer--chosen", chosen);
          if (chosen) link.setAttribute("aria-current", "true");
          else link.removeAttribute("aria-current");
        });
      }

      history.textContent = "";
      next.path.forEach(function (step, index) {
        var item = el("li", "drg-guide__history-item");
        var link = el("a", "drg-guide__change", "Change");
        link.href = here() + query(next.path.slice(0, index));
        link.dataset.index = index;
        link.setAttribute("aria-label", "Change your answer to: " + question(step[0]).text);
        item.append(
          el("span", "drg-guide__history-question", question(step[0]).text),
          el("strong", "drg-guide__history-answer", answerOf(step[0], step[1]).label),
          link,
        );
        history.append(item);
      });
      history.hidden = !next.path.length;
      /* At an outcome the procedure comes first, the answers so far after it. */
      var open = outcome && outcome.querySelector(".drg-guide__open");
      if (open) open.after(history);
      else notice.after(history);

      var done = next.path.length;
      var where = current ? "Question" : "Outcome";
      if (next.direct) where += " opened from a direct link";
      else if (current) where += " " + (done + 1) + " of at most " + (done + question(next.node.q).longest);
      else where += " after " + done + " answer" + (done === 1 ? "" : "s");
      progress.textContent = where;
      progress.append(el("span", "drg-guide__sr", ": " + (current ? question(next.node.q).text : outcomeOf(next.node.o).title)));
      notice.textContent = note;
      notice.hidden = !note;

      all(".drg-map--taken").forEach((node) => node.classList.remove("drg-map--taken"));
      var ids = next.path.map((step) => "map-q-" + step[0]).concat(next.path.map((step) => "map-e-" + step[0] + "--" + step[1]));
      ids.push(current ? "map-q-" + next.node.q : "map-o-" + next.node.o);
      ids.forEach(function (id) {
        var node = root.querySelector("#" + CSS.escape(id));
        if (node) node.classList.add("drg-map--taken");
      });
      ask.hidden = true;
      if (mapView) mapView.update(next);

      var heading = (current || outcome).querySelector("h2");
      if (focus && heading) {
        heading.tabIndex = -1;
        heading.focus();
      }
    }

    function summary() {
      var link = drg.ticketUrl(here() + (state.direct ? href(state) : query(state.path)));
      var lines = [tree.title, "", "Link to this state: " + link, ""];
      state.path.forEach(function (step, index) {
        lines.push(index + 1 + ". " + question(step[0]).text, "   Answer: " + answerOf(step[0], step[1]).label);
      });
      if (state.direct) lines.push("Opened from a direct link; the answers before it are not known.");
      if (state.node.q) {
        lines.push("", "Not finished. Next question: " + question(state.node.q).text);
      } else {
        var outcome = outcomeOf(state.node.o);
        lines.push("", "Outcome: " + outcome.title, "Procedures:");
        outcome.procedures.forEach(function (p) {
          lines.push("- " + p.title + ": " + drg.ticketUrl(p.url));
        });
        if (outcome.follow_up.length) lines.push("Then continue with:");
        outcome.follow_up.forEach(function (f) {
          lines.push("- " + f.title + ": " + drg.ticketUrl(f.url));
        });
      }
      var timeline = drg.incident ? drg.incident.timeline() : [];
      if (timeline.length) lines = lines.concat([""], timeline);
      if (drg.linksAreLocal()) lines.push("", drg.localNote);
      lines.push("", "Exchange DR Guide, site version " + tree.version);
      return lines.join("\n");
    }

    function copy() {
      drg.copyText(summary(), notice, say, "Summary for the ticket", "Copied the summary for the ticket.");
    }
    function say(text) {
      notice.textContent = text;
      notice.hidden = false;
    }

    root.addEventListener("click", function (event) {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      var box = event.target.closest(".drg-map__svg a");
      if (box) return mapClick(event, box);
      var node = event.target.closest("a[data-answer], a.drg-guide__change, [data-action]");
      if (!node) return;
      var action = node.dataset.action;
      event.preventDefault();
      if (action === "restart") go({ path: [], node: { q: tree.start }, keep: {} });
      else if (action === "copy-summary") copy();
      else if (node.dataset.answer) choose(node.closest("[data-question]").dataset.question, node.dataset.answer);
      else change(Number(node.dataset.index));
    });

    /* A box of the map during a walk: an answered question goes back to it keeping every answer
       (as Change does); the current question or outcome stays; anywhere else the answers so far
       do not lead, so ask before leaving them (Back still returns to them). */
    function mapClick(event, box) {
      var target = /^#([qo])-(.+)$/.exec(box.getAttribute("href") || box.getAttributeNS("http://www.w3.org/1999/xlink", "href") || "");
      if (!target) return; // a procedure: an ordinary link
      event.preventDefault();
      var kind = target[1];
      var id = target[2];
      if (kind === "q" ? !question(id) : !outcomeOf(id)) return;
      if (state.node[kind] === id) return show(state, true);
      var index = kind === "q" ? state.path.findIndex((step) => step[0] === id) : -1;
      if (index >= 0) return change(index);
      if (!state.path.length) return go({ path: [], node: kind === "q" ? { q: id } : { o: id }, direct: true, keep: {} });
      ask.textContent = "";
      var text = el("p", "drg-guide__ask-text", "Your answers so far do not lead to this " + (kind === "q" ? "question" : "outcome") + ". Open it anyway? Back returns to your answers.");
      var yes = el("button", "md-button md-button--primary drg-guide__button", "Open it");
      var no = el("button", "md-button drg-guide__button", "Stay here");
      yes.type = no.type = "button";
      yes.dataset.map = "jump";
      no.dataset.map = "stay";
      yes.addEventListener("click", function () {
        ask.hidden = true;
        go({ path: [], node: kind === "q" ? { q: id } : { o: id }, direct: true, keep: given(state) });
      });
      no.addEventListener("click", function () {
        ask.hidden = true;
      });
      ask.append(text, yes, no);
      ask.hidden = false;
      no.focus();
    }

    show(read(), false);
    root.drgRestore = function () {
      var next = read();
      if (signature(next) !== signature(state)) show(next, true);
    };
    return root.drgRestore;
  }

  var el = drg.el;

  function start() {
    mounted = [];
    document.querySelectorAll(".md-typeset [data-guide]").forEach(function (root) {
      var restore = mount(root);
      if (restore) mounted.push(restore);
    });
  }

  function restoreAll() {
    mounted.forEach((restore) => restore());
  }
  window.addEventListener("popstate", restoreAll);
  window.addEventListener("hashchange", restoreAll);

  if (window.document$) window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
