// Case-file tabs. Open the tab named in the address (#panel-casos or #caso-12) and keep the
// address in step with the open tab, so links and the back button land right.
// Every tab stays in the Tab order like a plain button (Bootstrap would take the closed ones
// out and leave them to the arrow keys, which nothing on the page announces); the arrow keys
// still work. Each panel carries its tab's name for the printout, where all panels print.
(function () {
  var buttons = document.querySelectorAll('[data-bs-toggle="tab"]');
  function keepInTabOrder() {
    buttons.forEach(function (button) { button.removeAttribute("tabindex"); });
  }
  function show(hash) {
    if (!hash) return;
    var target = document.querySelector(hash);
    if (!target) return;
    var pane = target.classList.contains("tab-pane") ? target : target.closest(".tab-pane");
    if (!pane) return;
    var button = document.querySelector('[data-bs-target="#' + pane.id + '"]');
    if (button) bootstrap.Tab.getOrCreateInstance(button).show();
    if (target !== pane) target.scrollIntoView();
  }
  buttons.forEach(function (button) {
    var pane = document.querySelector(button.getAttribute("data-bs-target"));
    if (pane) {
      var name = button.cloneNode(true);
      name.querySelectorAll(".badge").forEach(function (badge) { badge.remove(); });
      pane.setAttribute("data-print-title", name.textContent.trim());
    }
    button.addEventListener("shown.bs.tab", function () {
      keepInTabOrder();
      history.replaceState(null, "", button.getAttribute("data-bs-target"));
    });
  });
  show(window.location.hash);
  keepInTabOrder();
  // Bootstrap sets up the open tab (and takes the others out of the Tab order) on "load".
  window.addEventListener("load", keepInTabOrder);
})();
