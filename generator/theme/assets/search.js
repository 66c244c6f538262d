// Site search. The index is a JSON file made at build time (assets/search.*.json);
// this file scores it in the browser, so search works offline and talks to no one else.
// Without JavaScript the search form opens the search page, which lists everything.
//
// The header box is an ARIA 1.2 combobox with a listbox popup: typing shows results, Down and
// Up move through them (aria-activedescendant), Enter opens the chosen one (or, with none
// chosen, the search page), Escape closes the list, then clears the box. A polite live
// region says how many results there are.
(function () {
  "use strict";
  var MAX_OPTIONS = 8;
  var indexes = {};

  function normalise(text) {
    return " " + String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim() + " ";
  }

  function loadIndex(url) {
    if (!indexes[url]) {
      indexes[url] = fetch(url, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error("search index: HTTP " + r.status); return r.json(); })
        .then(function (data) {
          var boosts = data.boost || {}; // kinds that rank higher, named by the build
          return data.docs.map(function (doc, order) {
            return { doc: doc, order: order, boost: boosts[doc.k] || 0, title: normalise(doc.t), text: normalise((doc.p || "") + " " + doc.x + " " + doc.s) };
          });
        });
      indexes[url].catch(function () { delete indexes[url]; });
    }
    return indexes[url];
  }

  // Each query word must match: a whole title word scores most, then the start of a title
  // word, anywhere in the title, the start of a word in the text, anywhere in the text.
  function tokenScore(item, token) {
    if (item.title.indexOf(" " + token + " ") >= 0) return 10;
    if (item.title.indexOf(" " + token) >= 0) return 6;
    if (item.title.indexOf(token) >= 0) return 3;
    if (item.text.indexOf(" " + token) >= 0) return 2;
    if (token.length > 2 && item.text.indexOf(token) >= 0) return 1;
    return 0;
  }

  function search(items, query) {
    var tokens = normalise(query).trim().split(" ").filter(Boolean);
    if (!tokens.length) return [];
    var phrase = " " + tokens.join(" ");
    var scored = [];
    items.forEach(function (item) {
      var total = 0;
      for (var i = 0; i < tokens.length; i++) {
        var s = tokenScore(item, tokens[i]);
        if (!s) return;
        total += s;
      }
      if (item.title === phrase + " ") total += 12; // the whole title, exactly
      else if (tokens.length > 1 && item.title.indexOf(phrase) >= 0) total += 8;
      scored.push({ item: item, score: total + (item.boost || 0) });
    });
    scored.sort(function (a, b) {
      return b.score - a.score || a.item.doc.t.length - b.item.doc.t.length || a.item.order - b.item.order;
    });
    return scored.map(function (s) { return s.item.doc; });
  }

  function plural(n) { return n + (n === 1 ? " result" : " results"); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // --- the header combobox -------------------------------------------------------------

  function Combobox(form) {
    var input = form.querySelector("input[type=search]");
    var listbox = form.querySelector("[role=listbox]");
    var panel = form.querySelector(".search-panel");
    var status = form.querySelector("[data-search-status]");
    var indexUrl = form.getAttribute("data-search-index");
    var options = [];
    var active = -1;
    var statusTimer = null;

    // On a phone the box is folded away behind the Search button: the first press opens it.
    form.addEventListener("submit", function (event) {
      if (window.getComputedStyle(input).display !== "none") return;
      event.preventDefault();
      form.classList.add("is-open");
      input.focus();
    });

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function open(yes) {
      panel.hidden = !yes;
      input.setAttribute("aria-expanded", yes ? "true" : "false");
      if (!yes) { setActive(-1); return; }
      // The list opens rightwards from the box, or leftwards when the box is near the right edge.
      panel.classList.remove("search-panel-end");
      if (panel.getBoundingClientRect().right > document.documentElement.clientWidth - 8) panel.classList.add("search-panel-end");
    }

    function setActive(index) {
      if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function option(id, url, title, kind, snippet) {
      var li = el("li", "search-option");
      li.id = id;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-url", url);
      li.appendChild(el("span", "search-option-title", title)); // read first; shown under the kind (CSS order)
      if (kind) li.appendChild(el("span", "search-option-kind", kind));
      if (snippet) li.appendChild(el("span", "search-option-snippet", snippet));
      return li;
    }

    function announce(text) {
      clearTimeout(statusTimer);
      statusTimer = setTimeout(function () { status.textContent = text; }, 400);
    }

    function render(results, query) {
      listbox.textContent = "";
      options = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      results.slice(0, MAX_OPTIONS).forEach(function (doc, i) {
        var kind = doc.k === "Section" && doc.p ? "Section of " + doc.p : doc.k;
        options.push(listbox.appendChild(option("site-search-opt-" + i, doc.u, doc.t, kind, doc.s)));
      });
      var all = form.getAttribute("action") + "?q=" + encodeURIComponent(query);
      var label = results.length ? "All " + plural(results.length) + " on the search page" : "No results: open the search page";
      options.push(listbox.appendChild(option("site-search-opt-all", all, label, "", "")));
      options[options.length - 1].classList.add("search-option-all");
      open(true);
      announce(results.length ? plural(results.length) + ". Use the up and down arrow keys to choose, Enter to open." : "No results.");
    }

    function update() {
      var query = input.value;
      if (!query.trim()) { open(false); listbox.textContent = ""; options = []; status.textContent = ""; return; }
      loadIndex(indexUrl).then(function (items) {
        if (input.value === query) render(search(items, query), query);
      }, function () { announce("Search is unavailable: press Enter to open the search page."); });
    }

    function go(index) { window.location.href = options[index].getAttribute("data-url"); }

    input.addEventListener("input", update);
    input.addEventListener("focus", function () { loadIndex(indexUrl); });
    input.addEventListener("keydown", function (event) {
      var expanded = !panel.hidden && options.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!expanded) { if (input.value.trim()) update(); return; }
        if (!event.altKey) setActive(active + 1 >= options.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (expanded) setActive(active <= 0 ? (active === 0 ? -1 : options.length - 1) : active - 1);
      } else if (event.key === "Enter") {
        if (expanded && active >= 0) { event.preventDefault(); go(active); }
      } else if (event.key === "Escape") {
        if (expanded) { event.preventDefault(); open(false); }
        else if (input.value) { event.preventDefault(); input.value = ""; update(); }
      } else if (event.key === "Tab") {
        open(false);
      }
    });
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); }); // keep focus in the input
    listbox.addEventListener("click", function (event) {
      var li = event.target.closest("[role=option]");
      if (li) go(options.indexOf(li));
    });
    document.addEventListener("click", function (event) { if (!form.contains(event.target)) open(false); });
  }

  // --- the search page -----------------------------------------------------------------

  function SearchPage(form) {
    var input = form.querySelector("input[type=search]");
    var page = form.closest("article") || document;
    var list = page.querySelector("[data-search-results]");
    var status = page.querySelector("[data-search-status]");
    var everything = page.querySelector("[data-search-everything]");
    var indexUrl = form.getAttribute("data-search-index");

    function render(results, query) {
      list.textContent = "";
      results.forEach(function (doc) {
        var li = el("li", "search-result");
        var link = el("a", "", doc.t);
        link.href = doc.u;
        li.appendChild(link);
        var kind = doc.k === "Section" && doc.p ? "Section of " + doc.p : doc.k;
        li.appendChild(el("span", "search-result-kind", kind));
        if (doc.s) li.appendChild(el("p", "search-result-snippet", doc.s));
        list.appendChild(li);
      });
      list.hidden = !query;
      everything.hidden = !!query;
      status.textContent = query ? plural(results.length) + " for “" + query + "”." : "";
    }

    function update() {
      var query = input.value.trim();
      var url = new URL(window.location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
      if (!query) { render([], ""); return; }
      loadIndex(indexUrl).then(function (items) {
        if (input.value.trim() === query) render(search(items, query), query);
      }, function () { status.textContent = "Search is unavailable; everything is listed below."; everything.hidden = false; });
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    input.addEventListener("input", update);
    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) { input.value = initial; update(); }
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-search-combobox]"), Combobox);
  Array.prototype.forEach.call(document.querySelectorAll("form[data-search-page]"), SearchPage);
  window.explainerSearch = { normalise: normalise, search: search };
})();
