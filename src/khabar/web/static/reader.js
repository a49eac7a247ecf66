// khabar reader: the one piece of script, the toggle that shows an article's dropped lines
// (boilerplate the cleaner removed) in the places they had on the page, with their reasons.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-toggle-dropped]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("aria-controls"));
    if (!target) { return; }
    var label = button.querySelector("[data-label]");
    button.hidden = false;
    button.addEventListener("click", function () {
      var show = !target.classList.contains("show-dropped");
      target.classList.toggle("show-dropped", show);
      button.setAttribute("aria-pressed", show ? "true" : "false");
      if (label) { label.textContent = show ? button.dataset.hide : button.dataset.show; }
    });
  });
});
