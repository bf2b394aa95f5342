// Open the tab named in the address (#panel-casos or #caso-12) and keep the
// address in step with the open tab, so links and the back button land right.
(function () {
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
  document.querySelectorAll('[data-bs-toggle="tab"]').forEach(function (button) {
    button.addEventListener("shown.bs.tab", function () {
      history.replaceState(null, "", button.getAttribute("data-bs-target"));
    });
  });
  show(window.location.hash);
})();
