// Page behaviour. Everything works without it; it only adds:
// interactive charts (loaded when a chart is near or touched), copy buttons,
// timeline filters, and height messages from embed pages to their host.
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
    var faces = ['12px "Explainer Sans"', 'bold 12px "Explainer Sans"'];
    return Promise.all(faces.map(function (face) { return document.fonts.load(face); })).catch(function () {});
  }
  function matches(query) { return !!(query && window.matchMedia && window.matchMedia(query).matches); }
  // The spec drawn like the static image the reader sees: narrow or wide, light or dark.
  function specUrl(figure) {
    var narrow = matches(figure.getAttribute("data-narrow")) ? "-narrow" : "";
    var dark = matches("(prefers-color-scheme: dark)") ? "-dark" : "";
    return figure.getAttribute("data-spec").replace(/\.vl\.json$/, narrow + dark + ".vl.json");
  }

  function makeLive(figure) {
    if (figure.getAttribute("data-live")) return;
    figure.setAttribute("data-live", "loading");
    var target = figure.querySelector(".chart-live");
    Promise.all([loadBundle(), fetch(specUrl(figure)).then(function (r) { return r.json(); }), chartFonts()])
      .then(function (parts) {
        var spec = parts[1];
        target.hidden = false;
        // ast: true uses the bundled expression interpreter, so no eval; defaultStyle: false and
        // disableDefaultStyle keep vega-embed and its tooltip from injecting <style> elements
        // (their rules are in our stylesheets). So the CSP can forbid eval and inline style.
        return window.vegaEmbed(target, spec, {
          actions: false, renderer: "svg", ast: true, defaultStyle: false, tooltip: { disableDefaultStyle: true }
        });
      })
      .then(function () {
        // The static image carried the chart's accessible description; keep it on the live chart.
        var image = figure.querySelector(".chart-static img");
        if (image) { target.setAttribute("role", "img"); target.setAttribute("aria-label", image.getAttribute("alt")); }
        figure.classList.add("is-live");
        figure.setAttribute("data-live", "done");
        announceHeight();
      })
      .catch(function (error) {
        if (window.console) console.error("Interactive chart failed; the static image stays:", error);
        target.hidden = true;
        figure.setAttribute("data-live", "failed");
      });
  }

  function watchCharts() {
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

  watchCharts();
  copyButtons();
  timelineFilters();
  watchHeight();
  trackToc();
})();
