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
  // charts: the announcement's progress, asked for every few seconds while anything is queued;
  // the bars, the table and the live sentence follow. Without this script the page has a
  // refresh link.
  var progress = document.querySelector("[data-progress-url][data-progress-active]");
  if (progress && window.fetch && window.JSON) {
    var live = document.getElementById("progress-text");
    var refresh = progress.querySelector(".progress-refresh");
    if (refresh) { refresh.hidden = true; }
    var poll = function () {
      window.fetch(progress.getAttribute("data-progress-url"), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      }).then(function (p) {
        p.audiences.forEach(function (a) {
          var bar = document.getElementById("progress-" + a.audience);
          if (bar) {
            bar.max = Math.max(a.total, 1);
            bar.value = a.sent;
            bar.textContent = a.sent + " / " + a.total;
          }
          ["queued", "sent", "failed"].forEach(function (k) {
            var cell = progress.querySelector("[data-cell=\"" + a.audience + "-" + k + "\"]");
            if (cell) { cell.textContent = String(a[k]); }
          });
        });
        if (live && live.textContent !== p.text) { live.textContent = p.text; }
        if (p.active) { window.setTimeout(poll, 3000); }
      }).catch(function () {
        if (refresh) { refresh.hidden = false; }
      });
    };
    window.setTimeout(poll, 3000);
  }
  // end charts
  // Ask before destructive actions (forms marked with data-confirm).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var msg = form && form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  });
  // --- Issue 13: the juror's weighted total while typing (the saved total stays the server's).
  // The score form carries its label in data-live-total and each criterion's weight in
  // data-weight; without this script nothing of it shows.
  var scoreForm = document.querySelector("form[data-live-total]");
  var weighted = scoreForm ? scoreForm.querySelectorAll("input[data-weight]") : [];
  if (weighted.length) {
    var polish = (document.documentElement.lang || "pl").slice(0, 2) === "pl";
    var line = document.createElement("p");
    line.className = "live-total";
    line.appendChild(document.createTextNode(scoreForm.getAttribute("data-live-total") + ": "));
    var out = document.createElement("output");
    out.id = "live-total";
    out.setAttribute("aria-live", "polite");
    var ids = [];
    for (var w = 0; w < weighted.length; w++) { ids.push(weighted[w].id); }
    out.setAttribute("for", ids.join(" "));
    line.appendChild(out);
    var lastField = weighted[weighted.length - 1].closest(".field") || weighted[weighted.length - 1];
    lastField.parentNode.insertBefore(line, lastField.nextSibling);
    // As the server writes numbers: whole, or at most two decimals without trailing zeros.
    var fmt = function (x) {
      var s = Math.abs(x - Math.round(x)) < 1e-9 ? Math.round(x).toFixed(0)
        : x.toFixed(2).replace(/0+$/, "");
      return polish ? s.replace(".", ",") : s;
    };
    var update = function () {
      var sum = 0;
      for (var k = 0; k < weighted.length; k++) {
        var input = weighted[k];
        var v = input.value.trim();
        if (v === "") { continue; }
        var max = parseInt(input.getAttribute("max"), 10);
        if (!/^[0-9]+$/.test(v) || (!isNaN(max) && parseInt(v, 10) > max)) {
          out.textContent = "—";
          return;
        }
        sum += parseInt(v, 10) * parseFloat(input.getAttribute("data-weight"));
      }
      out.textContent = fmt(sum);
    };
    scoreForm.addEventListener("input", update);
    update();
  }
  // --- end issue 13
})();
