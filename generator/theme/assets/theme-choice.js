// The reader's light/dark choice, applied before the first paint: loaded blocking in <head>
// (the CSP allows no inline script), it sets <html data-theme> from the stored choice, or on an
// embed page (data-from-url) from the URL's ?theme=. site.js draws the control and keeps it.
(function (root) {
  var choice = null;
  try {
    choice = document.currentScript.hasAttribute("data-from-url")
      ? (/[?&]theme=(light|dark)(&|$)/.exec(location.search) || [])[1]
      : localStorage.getItem("explainer-theme");
  } catch (e) {}  // storage refused: the system's setting
  if (choice === "light" || choice === "dark") root.setAttribute("data-theme", choice);
  root.setAttribute("data-theme-choice", choice === "light" || choice === "dark" ? choice : "system");
})(document.documentElement);
