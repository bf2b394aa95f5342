// Layout helpers every page loads (the pages work without them):
// - the error summary of a refused form takes the focus, so a screen reader hears it first;
// - rows of a `.table-stack` table, shown as cards on a phone, label each cell with its column;
// - a cell holding only a date, a time, a RUT or an amount never breaks at its hyphens.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  var NUMERIC = /^[\d\s.,:\-\/$%]+$/;

  function headings(table) {
    var labels = [];
    var head = table.tHead && table.tHead.rows[0];
    if (!head) { return labels; }
    Array.prototype.forEach.call(head.cells, function (cell) {
      var text = cell.textContent.trim();
      for (var i = 0; i < (cell.colSpan || 1); i += 1) { labels.push(text); }
    });
    return labels;
  }

  function label(table, labels, row) {
    var column = 0;
    Array.prototype.forEach.call(row.cells, function (cell) {
      var filled = cell.textContent.trim() || cell.querySelector("a, button, input, select");
      if (filled && table.classList.contains("table-stack") && labels[column] && cell.tagName === "TD" && cell.colSpan === 1 &&
          !cell.hasAttribute("data-label")) {
        cell.setAttribute("data-label", labels[column]);
      }
      var text = cell.textContent.trim();
      if (text.length && text.length <= 24 && NUMERIC.test(text)) { cell.classList.add("text-nowrap"); }
      column += cell.colSpan || 1;
    });
  }

  document.querySelectorAll("main table").forEach(function (table) {
    var labels = headings(table);
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) { label(table, labels, row); });
      // Rows the page replaces in place (the reception desk) get their labels too.
      if (window.MutationObserver) {
        new MutationObserver(function (changes) {
          changes.forEach(function (change) {
            change.addedNodes.forEach(function (node) { if (node.tagName === "TR") { label(table, labels, node); } });
          });
        }).observe(body, { childList: true });
      }
    });
  });
})();
