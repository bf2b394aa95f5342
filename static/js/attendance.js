// Workshop attendance: the «todos presentes» shortcut (the form works without it).
(function () {
  "use strict";
  var button = document.querySelector("[data-all-present]");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    document.querySelectorAll("input[type=radio][data-present]").forEach(function (radio) {
      radio.checked = true;
    });
    var first = document.querySelector("input[type=radio][data-present]");
    if (first) { first.focus(); }
  });
}());
