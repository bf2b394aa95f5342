// Reception desk: «Llegó», «No asistió» and «Deshacer» answer in place, without
// reloading the page. Without JavaScript the same forms post and come back here.
(function () {
  var table = document.getElementById("reception-table");
  if (!table) return;
  var status = document.getElementById("reception-status");
  var errorBox = document.getElementById("reception-error");

  function announce(message) {
    // Clearing first makes screen readers repeat an identical message.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.classList.remove("d-none");
    announce(message);
  }

  table.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("js-desk-action")) return;
    event.preventDefault();
    var row = form.closest("tr");
    var buttons = row.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token, "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      var refused = !result.ok || !result.data.ok;
      if (refused && !result.data.row_html) {
        buttons.forEach(function (b) { b.disabled = false; });
        showError(result.data.message || "");
        return;
      }
      // Refused or not, the row comes back as stored now (e.g. another desk marked the
      // person absent meanwhile): show it, so nobody acts on a stale row.
      var holder = document.createElement("tbody");
      holder.innerHTML = result.data.row_html.trim();
      var fresh = holder.firstElementChild;
      row.replaceWith(fresh);
      fresh.classList.add("row-updated");
      var focusTarget = fresh.querySelector("button") || fresh.querySelector("a");
      if (focusTarget) focusTarget.focus();
      if (refused) {
        showError(result.data.message || "");
        return;
      }
      errorBox.classList.add("d-none");
      announce(result.data.message);
    }).catch(function () {
      // Network trouble or an unexpected answer: fall back to the plain form post.
      form.submit();
    });
  });
})();
