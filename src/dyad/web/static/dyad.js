// dyad web app behaviour: progressive enhancement only; every page works without it.
// Loaded as an external file (the Content-Security-Policy forbids inline script).
(function () {
  "use strict";

  // Document page: show or hide each kind of span; the choice is remembered.
  function setupLegend() {
    var legend = document.getElementById("legend");
    if (!legend) return;
    legend.querySelectorAll("input[data-kind]").forEach(function (box) {
      var kind = box.getAttribute("data-kind");
      var key = "dyad.hide." + kind;
      var hidden = false;
      try { hidden = window.localStorage.getItem(key) === "1"; } catch (e) { /* storage off */ }
      box.checked = !hidden;
      document.body.classList.toggle("hide-" + kind, hidden);
      box.addEventListener("change", function () {
        document.body.classList.toggle("hide-" + kind, !box.checked);
        try { window.localStorage.setItem(key, box.checked ? "0" : "1"); } catch (e) { /* storage off */ }
      });
    });
  }

  // Document page: bring the highlighted span (?hl=) to the middle of the screen.
  // Runs after the browser's own jump to #sN, which would leave it under the sticky bars.
  function focusHighlight() {
    var mark = document.getElementById("hl") || (location.hash && document.getElementById(location.hash.slice(1)));
    if (!mark || !mark.scrollIntoView) return;
    var go = function () { mark.scrollIntoView({ block: "center" }); };
    go();
    window.requestAnimationFrame(go);
    window.addEventListener("load", function () { window.setTimeout(go, 0); });
    if (mark.id === "hl") mark.classList.add("flash");
  }

  // Filter forms: a changed drop-down applies at once.
  function autosubmit() {
    document.querySelectorAll("select.autosubmit").forEach(function (sel) {
      sel.addEventListener("change", function () { if (sel.form) sel.form.submit(); });
    });
  }

  // "/" focuses the search box, as on most sites.
  function slashToSearch() {
    document.addEventListener("keydown", function (ev) {
      var t = ev.target;
      if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
      var box = document.getElementById("quick-q");
      if (box) { ev.preventDefault(); box.focus(); }
    });
  }

  function ready() {
    setupLegend();
    focusHighlight();
    autosubmit();
    slashToSearch();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
