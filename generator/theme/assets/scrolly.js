// Scrollytelling. Without this script a scrolly block is an ordered list of steps, each its
// figure and its text: that is what print, feeds, reader modes and readers without JavaScript
// get. Here it becomes one graphic that stays in view while the steps scroll past it; the
// graphic shows the state of the step at the middle of the viewport.
//
// The graphic is a stack of copies of the steps' own pictures (so it follows the reader's
// light/dark choice and phone drawings as they do), cross-faded by CSS (scrolly.css; a cut
// under prefers-reduced-motion). It is aria-hidden: each step's text carries its state in a
// visually hidden sentence, so keyboard and screen-reader users read the steps as text.
// No scroll handlers: an IntersectionObserver whose root is a thin band at mid-height.
(function () {
  "use strict";
  if (!("IntersectionObserver" in window)) return;  // the plain sequence stays

  var MIDDLE = "-50% 0px -49% 0px";  // a band 1% of the viewport high, just under its middle

  function frameOf(step) {
    var frame = document.createElement("div");
    frame.className = "scrolly-frame";
    copyPicture(step, frame);
    return frame;
  }
  // Every picture of the step's figure: chart_picture (partials/macros.html) may give one per
  // theme, the stylesheet showing the one the reader's light/dark choice asks for; copies keep
  // their classes, so they follow it too.
  function copyPicture(step, frame) {
    frame.textContent = "";
    [].forEach.call(step.querySelectorAll(".scrolly-figure picture"), function (picture) {
      var copy = picture.cloneNode(true);
      [].forEach.call(copy.querySelectorAll("img"), function (image) {
        image.setAttribute("alt", "");  // the graphic is hidden from assistive technology; the step says it
      });
      frame.appendChild(copy);
    });
  }
  // The steps' own figures are hidden on screen now; printing shows them, so they must not
  // wait for a lazy load that a hidden image never starts (same files as the graphic's: cached).
  function loadFigures(block) {
    [].forEach.call(block.querySelectorAll(".scrolly-figure img[loading]"), function (image) {
      image.setAttribute("loading", "eager");
    });
  }

  function enhance(block) {
    var steps = [].slice.call(block.querySelectorAll(".scrolly-step"));
    var graphic = block.querySelector(".scrolly-graphic");
    if (!steps.length || !graphic) return;
    var frames = steps.map(frameOf);
    frames.forEach(function (frame) { graphic.appendChild(frame); });
    var current = -1;

    function show(index) {
      if (index === current || index < 0) return;
      current = index;
      frames.forEach(function (frame, i) { frame.classList.toggle("is-current", i === index); });
      steps.forEach(function (step, i) { step.classList.toggle("is-current", i === index); });
      block.setAttribute("data-current", String(index + 1));
    }

    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) show(steps.indexOf(entry.target));
      });
    }, { rootMargin: MIDDLE, threshold: 0 });
    steps.forEach(function (step) { observer.observe(step); });

    // The theme control may rewrite the pictures' sources when the reader picks light or
    // dark: once every listener has run, the copies are made again from the steps' pictures.
    document.addEventListener("explainer:theme", function () {
      setTimeout(function () { steps.forEach(function (step, i) { copyPicture(step, frames[i]); }); }, 0);
    });

    graphic.hidden = false;
    block.classList.add("is-enhanced");
    loadFigures(block);
    show(0);
  }

  [].forEach.call(document.querySelectorAll("[data-scrolly]"), enhance);
})();
