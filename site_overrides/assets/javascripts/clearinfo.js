// Clearinfo: small keyboard helpers. Everything works without this file.
// The menu and search buttons are <label>s with role="button". Material's own script
// presses a focused label on Enter; this makes Space press it too, as for a real button.
(function () {
  document.querySelectorAll("label.ci-button").forEach(function (label) {
    label.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault(); // Space would otherwise scroll the page
        label.click();
      }
    });
  });
})();
