// Arrival notices for professionals: on every page, ask every 15 seconds whether
// reception checked in one of their appointments, and show who arrived and when.
// «Entendido» tells the server the notice was seen, so it does not come back.
(function () {
  var box = document.getElementById("arrival-notices");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-url");
  var token = box.getAttribute("data-csrf");
  var shown = {};
  var timer = null;

  function acknowledge(notice, element) {
    fetch(notice.seen_url, {
      method: "POST", credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token }
    }).then(function (response) {
      if (!response.ok) return;
      // Focus stays where the person was working: on the next notice, or back at the content.
      var next = element.nextElementSibling || element.previousElementSibling;
      element.remove();
      var target = next ? next.querySelector("button") : document.getElementById("contenido");
      if (target) target.focus();
    });
  }

  function render(notice, labels) {
    var element = document.createElement("div");
    element.className = "alert alert-success arrival-notice";
    element.setAttribute("data-notice", notice.id);
    var title = document.createElement("strong");
    title.textContent = labels.title;
    var text = document.createElement("p");
    text.className = "mb-2";
    text.textContent = notice.message;
    var actions = document.createElement("div");
    var ok = document.createElement("button");
    ok.type = "button";
    ok.className = "btn btn-sm btn-success me-2";
    ok.textContent = labels.ok;
    ok.addEventListener("click", function () { acknowledge(notice, element); });
    var link = document.createElement("a");
    link.className = "alert-link";
    link.href = notice.agenda_url;
    link.textContent = labels.agenda;
    actions.appendChild(ok);
    actions.appendChild(link);
    element.appendChild(title);
    element.appendChild(text);
    element.appendChild(actions);
    box.appendChild(element);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/json") === -1) {
          // Logged out or no longer allowed: stop asking.
          window.clearInterval(timer);
          return null;
        }
        return response.json();
      })
      .then(function (data) {
        if (!data) return;
        data.notices.forEach(function (notice) {
          if (shown[notice.id]) return;
          shown[notice.id] = true;
          render(notice, data.labels);
        });
      })
      .catch(function () { /* offline for a moment: try again on the next tick */ });
  }

  poll();
  timer = window.setInterval(poll, 15000);
})();
