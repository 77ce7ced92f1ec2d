/* Netralitas: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    // Copy buttons: <button class="copy-button" data-copy="#element-id" data-done="Copied">.
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.querySelector(button.getAttribute("data-copy"));
        if (!target || !navigator.clipboard) { return; }
        navigator.clipboard.writeText(target.textContent.trim()).then(function () {
          var label = button.textContent;
          button.textContent = button.getAttribute("data-done") || label;
          setTimeout(function () { button.textContent = label; }, 2500);
        });
      });
    });

    // Forms marked data-once: disable the submit button after the first submit, so a
    // double click on a slow mobile connection sends one request (the server also
    // de-duplicates by idempotency key).
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) {
          setTimeout(function () { b.disabled = true; }, 0);
        });
      });
    });
  });
})();
