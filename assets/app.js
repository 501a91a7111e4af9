// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen-reader and keyboard users hear the errors first.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  // A table's box is in the tab order (to scroll it with the keyboard) only while the table is
  // wider than the box; without this script every box stays reachable.
  var boxes = document.querySelectorAll(".table-wrap[tabindex]");
  function tabOrder() {
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      box.setAttribute("tabindex", box.scrollWidth > box.clientWidth ? "0" : "-1");
    }
  }
  if (boxes.length) {
    tabOrder();
    window.addEventListener("resize", tabOrder);
  }
  // Ask before destructive actions (forms marked with data-confirm).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var msg = form && form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  });
})();
