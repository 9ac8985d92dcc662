// Clearinfo: small keyboard helpers. Everything works without this file;
// it only makes the menu and search buttons answer Enter and Space like real buttons.
(function () {
  document.querySelectorAll("label.ci-button").forEach(function (label) {
    label.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        label.click();
      }
    });
  });
})();
