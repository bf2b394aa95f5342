// Plan section: ticked suggestions go into objective rows without reloading the page, so nothing
// typed is lost. Without this script the same button posts the form and the server adds the rows.
(function () {
  "use strict";
  var form = document.querySelector("form[data-plan-section]");
  var button = form && form.querySelector("[data-add-suggestions]");
  var total = form && form.querySelector("input[name='obj-TOTAL_FORMS']");
  if (!button || !total) { return; }

  function field(index, name) {
    return form.querySelector("[name='obj-" + index + "-" + name + "']");
  }

  function emptyRow() {
    var count = parseInt(total.value, 10) || 0;
    for (var index = 0; index < count; index += 1) {
      var id = field(index, "id");
      var text = field(index, "text");
      if (text && !(id && id.value) && !text.value.trim()) { return index; }
    }
    return -1;
  }

  // A new row copied from the last one, renumbered; the actions' "Objetivo N°" lists get its number.
  function newRow() {
    var rows = form.querySelectorAll("tr[data-objective-row]");
    var last = rows[rows.length - 1];
    var index = parseInt(total.value, 10) || 0;
    var row = last.cloneNode(true);
    row.querySelectorAll("[name], [id], label[for]").forEach(function (element) {
      ["name", "id", "for"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value) { element.setAttribute(attribute, value.replace(/obj-\d+-/, "obj-" + index + "-")); }
      });
    });
    row.querySelectorAll(".invalid-feedback").forEach(function (error) { error.remove(); });
    row.querySelectorAll("input[type=hidden], textarea").forEach(function (input) { input.value = ""; });
    row.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
    row.querySelector("[data-row-number]").textContent = String(index + 1);
    var deleteLabel = row.querySelector("[data-delete-label]");
    if (deleteLabel) { deleteLabel.textContent = deleteLabel.textContent.replace(/\d+\s*$/, String(index + 1)); }
    last.parentNode.appendChild(row);
    total.value = String(index + 1);
    form.querySelectorAll("select[name^='act-'][name$='-objective']").forEach(function (select) {
      var option = document.createElement("option");
      option.value = String(index + 1);
      option.textContent = String(index + 1);
      select.appendChild(option);
    });
    return index;
  }

  button.addEventListener("click", function (event) {
    var ticked = form.querySelectorAll("input[name='sugerencia']:checked");
    if (!ticked.length) { return; }  // the server says what to do
    event.preventDefault();
    var first = null;
    ticked.forEach(function (box) {
      var index = emptyRow();
      if (index < 0) { index = newRow(); }
      field(index, "text").value = box.getAttribute("data-text");
      field(index, "domain").value = box.getAttribute("data-domain");
      var status = field(index, "status");
      if (status) { status.value = "pending"; }
      first = first || field(index, "text");
      box.closest("[data-suggestion]").remove();
    });
    var notice = document.getElementById("aviso-sugerencias");
    if (notice) {
      notice.innerHTML = "";
      var message = document.createElement("p");
      message.className = "alert alert-info";
      message.textContent = button.getAttribute("data-added-message").replace("%(n)s", String(ticked.length));
      notice.appendChild(message);
    }
    if (!form.querySelector("[data-suggestion]")) {
      var block = document.getElementById("sugerencias-objetivos");
      if (block) { block.remove(); }
    }
    if (first) { first.focus(); }
  });
}());
