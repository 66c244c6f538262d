// Page behaviour. Everything works without it; it only adds:
// interactive charts (loaded when a chart is near or touched), copy buttons,
// timeline filters, the light/dark control, and height messages from embed pages to their host.
(function () {
  "use strict";
  var body = document.body;
  var bundlePromise = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src; s.async = true; s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  function loadBundle() {
    if (!bundlePromise) bundlePromise = loadScript(body.getAttribute("data-vega"));
    return bundlePromise;
  }
  // Vega measures text as it lays a chart out: with the chart's faces loaded first, it measures
  // what the build measured (the narrow layout was fitted to them). A face that cannot load
  // leaves the fallback, as before.
  function chartFonts() {
    if (!document.fonts || !document.fonts.load) return Promise.resolve();
    var faces = ['12px "Explainer Sans"', 'bold 12px "Explainer Sans"', 'italic 12px "Explainer Sans"'];  // italic: notes and captions
    return Promise.all(faces.map(function (face) { return document.fonts.load(face); })).catch(function () {});
  }
  function matches(query) { return !!(query && window.matchMedia && window.matchMedia(query).matches); }

  // The reader's light/dark choice. theme-choice.js set <html data-theme> before the first paint
  // (none: the system's setting); whatever changes the theme in use (the masthead control, the
  // system's setting, another tab, an embed's host page) tells every drawing through the document
  // event `explainer:theme` with {detail: {theme: "light"|"dark"}}.
  var root = document.documentElement, THEME_KEY = "explainer-theme";
  function themeInUse() {
    var chosen = root.getAttribute("data-theme");
    return chosen === "light" || chosen === "dark" ? chosen : (matches("(prefers-color-scheme: dark)") ? "dark" : "light");
  }
  function setTheme(choice) {  // "light", "dark", or anything else for the system's
    var before = themeInUse();
    if (choice === "light" || choice === "dark") root.setAttribute("data-theme", choice);
    else root.removeAttribute("data-theme");
    root.setAttribute("data-theme-choice", choice === "light" || choice === "dark" ? choice : "system");
    if (themeInUse() !== before) announceTheme();
  }
  function announceTheme() {
    document.dispatchEvent(new CustomEvent("explainer:theme", { detail: { theme: themeInUse() } }));
  }
  function storedTheme() { try { return localStorage.getItem(THEME_KEY); } catch (e) { return null; } }
  function themeControl() {
    var select = document.querySelector("select[data-theme-control]");
    if (select) {
      var stored = storedTheme();
      select.value = stored === "light" || stored === "dark" ? stored : "system";
      select.addEventListener("change", function () {
        try { localStorage.setItem(THEME_KEY, select.value); } catch (e) {}  // remembered where storage is allowed
        setTheme(select.value);
      });
      // A choice made in another tab of the site applies here too.
      window.addEventListener("storage", function (event) {
        if (event.key !== THEME_KEY) return;
        select.value = event.newValue === "light" || event.newValue === "dark" ? event.newValue : "system";
        setTheme(select.value);
      });
    }
    if (window.matchMedia) {
      var system = window.matchMedia("(prefers-color-scheme: dark)");
      var followed = function () { if (!root.hasAttribute("data-theme")) announceTheme(); };
      if (system.addEventListener) system.addEventListener("change", followed);
    }
    // An embed page takes its host's choice (embed-resize.js sends it; null: the host says nothing).
    if (body.hasAttribute("data-embed")) {
      window.addEventListener("message", function (event) {
        var data = event.data;
        if (event.source !== window.parent || !data || data.type !== "explainer:theme") return;
        setTheme(data.theme);
      });
    }
  }

  // The spec drawn like the static image the reader sees: the layout the <picture> picked (narrow,
  // medium or wide; else the one its media queries name), in the theme in use.
  function specUrl(figure) {
    var layout = null;
    Array.prototype.forEach.call(figure.querySelectorAll(".chart-static img"), function (image) {
      var picked = layout === null && image.currentSrc && /\/inline(-narrow|-medium)?(-dark)?\.svg$/.exec(image.currentSrc);
      if (picked) layout = picked[1] || "";
    });
    if (layout === null) layout = matches(figure.getAttribute("data-narrow")) ? "-narrow" : "";
    return figure.getAttribute("data-spec").replace(/\.vl\.json$/, layout + (themeInUse() === "dark" ? "-dark" : "") + ".vl.json");
  }
  // A spec drawn at a fixed width, laid out again to fill `width` px (the box of the static image
  // it replaces) with its text at 1:1: every view wider or narrower by the difference, shared
  // among side-by-side panels. Specs that track their container, and facets, stay as they are.
  function fitted(spec, width) {
    var drawn = spec.usermeta && spec.usermeta.drawnWidth;
    if (!drawn || !(width > 0) || Math.abs(width - drawn) < 2) return spec;
    function widen(view, by) {
      var panels = view.hconcat || view.vconcat;
      if (panels) {
        var share = view.hconcat ? by / panels.length : by, copy = Object.assign({}, view);
        copy[view.hconcat ? "hconcat" : "vconcat"] = panels.map(function (p) { return widen(p, share); });
        return copy;
      }
      return typeof view.width === "number" ? Object.assign({}, view, { width: Math.max(80, Math.floor(view.width + by)) }) : view;
    }
    return widen(spec, width - drawn);
  }

  var views = new WeakMap();  // chart box -> its live Vega view, finalized before it is drawn again
  function embed(target, spec) {
    if (views.has(target)) views.get(target).finalize();
    // ast: true uses the bundled expression interpreter, so no eval; defaultStyle: false and
    // disableDefaultStyle keep vega-embed and its tooltip from injecting <style> elements
    // (their rules are in our stylesheets). So the CSP can forbid eval and inline style.
    var options = { actions: false, renderer: "svg", ast: true, defaultStyle: false, tooltip: { disableDefaultStyle: true } };
    return window.vegaEmbed(target, spec, options).then(function (result) {
      views.set(target, result);
      return result;
    });
  }
  // Drawn at the width the spec's measurements predict; labels that change with the width (a
  // legend, more ticks, a domain rounded otherwise) can leave it a few px off, so up to two
  // more drawings correct by what the last one measured.
  function embedFitted(target, spec, width, passes) {
    var laid = fitted(spec, width);
    return embed(target, laid).then(function (result) {
      var svg = target.querySelector("svg"), drawn = svg ? svg.width.baseVal.value : 0;
      if (laid === spec || !drawn || Math.abs(drawn - width) < 2) return result;
      if ((passes || 0) >= 2) {
        // Text that sets the drawing's width (a long label beside the plot) does not follow the
        // view's: show the drawing scaled to its box, as the static image was (a few percent).
        if (drawn < width && svg.getAttribute("viewBox")) { svg.style.width = "100%"; svg.style.height = "auto"; }
        return result;
      }
      return embedFitted(target, Object.assign({}, laid, { usermeta: Object.assign({}, laid.usermeta, { drawnWidth: drawn }) }), width, (passes || 0) + 1);
    });
  }

  // The drawing the picture shows now, laid out at the width of the chart's box.
  function draw(figure, target) {
    var url = specUrl(figure);
    return Promise.all([loadBundle(), fetch(url).then(function (r) { return r.json(); }), chartFonts()])
      .then(function (parts) {
        target.setAttribute("data-drawn", url);
        var width = target.parentNode.clientWidth, spec = parts[1];
        var scrolls = figure.classList.contains("chart--scrolls") && width < ((spec.usermeta || {}).drawnWidth || 0);
        target.hidden = false;
        target.setAttribute("data-width", width);
        return scrolls ? embed(target, spec) : embedFitted(target, spec, width);
      });
  }
  // A live chart whose box changes width (a phone turned, a partner's column resized) is drawn
  // again for the new width, once the resizing stops.
  function followWidth(figure, target) {
    if (!("ResizeObserver" in window)) return;
    var timer = null;
    new ResizeObserver(function () {
      if (Math.abs(target.parentNode.clientWidth - (+target.getAttribute("data-width") || 0)) < 2) return;
      clearTimeout(timer);
      timer = setTimeout(function () { draw(figure, target).then(announceHeight, function () {}); }, 200);
    }).observe(target.parentNode);
  }

  function makeLive(figure) {
    if (figure.getAttribute("data-live")) return;
    figure.setAttribute("data-live", "loading");
    var target = figure.querySelector(".chart-live");
    draw(figure, target)
      .then(function () {
        // The static image carried the chart's accessible description; keep it on the live chart.
        var image = figure.querySelector(".chart-static img");
        if (image) { target.setAttribute("role", "img"); target.setAttribute("aria-label", image.getAttribute("alt")); }
        figure.classList.add("is-live");
        figure.setAttribute("data-live", "done");
        announceHeight();
        followWidth(figure, target);
        if (target.getAttribute("data-drawn") !== specUrl(figure)) redraw(figure);  // the theme changed while it loaded
      })
      .catch(function (error) {
        if (window.console) console.error("Interactive chart failed; the static image stays:", error);
        target.hidden = true;
        figure.setAttribute("data-live", "failed");
      });
  }

  // A live chart in the theme in use: drawn again when it changes.
  function redraw(figure) {
    draw(figure, figure.querySelector(".chart-live")).then(announceHeight, function () {});
  }
  function followTheme() {
    document.addEventListener("explainer:theme", function () {
      Array.prototype.forEach.call(document.querySelectorAll('figure.chart[data-live="done"]'), redraw);
    });
  }

  // A chart's box stops growing where its text would pass 16 px. Set through the CSSOM, not a
  // style attribute, which a CSP without 'unsafe-inline' styles refuses.
  function capWidths() {
    Array.prototype.forEach.call(document.querySelectorAll(".chart-body[data-max-width]"), function (box) {
      box.style.maxWidth = box.getAttribute("data-max-width") + "px";
    });
  }

  function watchCharts() {
    capWidths();
    var figures = document.querySelectorAll("figure.chart[data-spec]");
    if (!figures.length) return;
    var wake = function (event) { makeLive(event.currentTarget); };
    Array.prototype.forEach.call(figures, function (f) {
      f.addEventListener("pointerenter", wake, { once: true });
      f.addEventListener("focusin", wake, { once: true });
      f.addEventListener("touchstart", wake, { once: true, passive: true });
    });
    // An embed's chart is in view at once: loading Vega then would block the host
    // page's thread, so embeds wake their chart only when a reader reaches for it.
    if (!("IntersectionObserver" in window) || body.hasAttribute("data-embed")) return;
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); makeLive(entry.target); }
      });
    }, { rootMargin: "200px 0px" });
    Array.prototype.forEach.call(figures, function (f) { observer.observe(f); });
  }

  function copyButtons() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button[data-copy]");
      if (!button) return;
      var field = document.getElementById(button.getAttribute("data-copy"));
      var status = button.parentNode.querySelector(".copy-status");
      var done = function () { if (status) status.textContent = "Copied to the clipboard."; };
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      } else { document.execCommand("copy"); done(); }
    });
  }

  function timelineFilters() {
    var form = document.querySelector("form.filters");
    if (!form) return;
    var list = document.getElementById(form.getAttribute("data-filter-target"));
    var count = form.querySelector("[data-count]");
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("change", function () {
      var company = form.elements.company.value, topic = form.elements.topic.value, shown = 0;
      Array.prototype.forEach.call(list.children, function (item) {
        var ok = (!company || (" " + item.getAttribute("data-company") + " ").indexOf(" " + company + " ") >= 0) &&
                 (!topic || (" " + item.getAttribute("data-topic") + " ").indexOf(" " + topic + " ") >= 0);
        item.hidden = !ok; shown += ok ? 1 : 0;
      });
      count.textContent = shown;
    });
  }

  // Embed pages tell their host how tall they are: our format and Pym.js's.
  var lastHeight = 0;
  function announceHeight() {
    var id = body.getAttribute("data-embed");
    if (!id || window.parent === window) return;
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === lastHeight) return;
    lastHeight = height;
    window.parent.postMessage({ type: "explainer:height", id: id, height: height }, "*");
    window.parent.postMessage("pymxPYMx" + id + "xPYMxheightxPYMx" + height, "*");
  }
  function watchHeight() {
    if (!body.getAttribute("data-embed")) return;
    announceHeight();
    window.addEventListener("load", announceHeight);
    if ("ResizeObserver" in window) new ResizeObserver(announceHeight).observe(document.documentElement);
    else window.addEventListener("resize", announceHeight);
  }

  // Navigation (found, shared and followed): the table of contents marks the section being
  // read with aria-current, updated as headings cross the top third of the window.
  function trackToc() {
    var toc = document.querySelector("nav[data-toc]");
    if (!toc || !("IntersectionObserver" in window)) return;
    var links = [], headings = [];
    Array.prototype.forEach.call(toc.querySelectorAll('a[href^="#"]'), function (link) {
      var heading = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (heading) { links.push(link); headings.push(heading); }
    });
    if (!headings.length) return;
    var current = -1;
    function mark() {
      var line = window.innerHeight / 3, found = -1;
      headings.forEach(function (h, i) { if (h.getBoundingClientRect().top <= line) found = i; });
      if (found === current) return;
      if (current >= 0) links[current].removeAttribute("aria-current");
      current = found;
      if (current >= 0) links[current].setAttribute("aria-current", "true");
    }
    var observer = new IntersectionObserver(mark, { rootMargin: "0px 0px -66% 0px" });
    headings.forEach(function (h) { observer.observe(h); });
    mark();
  }

  themeControl();
  followTheme();
  watchCharts();
  copyButtons();
  timelineFilters();
  watchHeight();
  trackToc();
})();
