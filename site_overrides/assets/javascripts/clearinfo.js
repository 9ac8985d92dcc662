// Clearinfo: small helpers for the header. Everything works without this file: the menu then
// opens from a plain label (a click or tap), and search, which needs JavaScript, is hidden.
(function () {
  // The menu and search buttons tick Material's hidden checkboxes, as Material's own labels do
  // (a click, so Material hears the change), and say whether what they open is open (aria-expanded).
  document.querySelectorAll("button[data-ci-toggle]").forEach(function (button) {
    var box = document.getElementById(button.getAttribute("data-ci-toggle"));
    if (!box) return;
    // Firefox can tick a checkbox again after a reload. Material stops that with autocomplete="off",
    // which HTML does not allow on a checkbox (clearinfo/theme/toggles.py removes it): untick here.
    if (box.checked) box.click();
    var openedHere = false;
    var sync = function () { button.setAttribute("aria-expanded", box.checked ? "true" : "false"); };
    box.addEventListener("change", function () {
      sync();
      // Opened with this button and closed with Escape: Material drops focus on the page; put it back here.
      if (!box.checked && openedHere) setTimeout(function () {
        openedHere = false;
        if (document.activeElement === document.body && button.offsetParent) button.focus();
      }, 0);
    });
    button.addEventListener("click", function () {
      box.click();
      openedHere = box.checked;
      // Opening search takes the keyboard into the search box, ready to type.
      var input = box.checked && box.id === "__search" && document.querySelector("[data-md-component=search-query]");
      if (input) input.focus();
    });
    sync();
  });
  var menu = document.querySelector(".md-sidebar--primary");
  var menuButton = document.querySelector(".ci-menu-button");
  if (menu && menuButton) {
    menu.id = menu.id || "ci-menu";
    menuButton.setAttribute("aria-controls", menu.id);  // what the button opens, for screen readers that use it
  }

  // The Search button: results already appear as people type, so pressing it shows them and moves
  // to the first one, rather than sending the form (a static site has nowhere to send it).
  var form = document.querySelector(".md-search__form");
  var query = document.querySelector("[data-md-component=search-query]");
  var open = document.getElementById("__search");
  if (form && query && open) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!open.checked) open.click();
      var first = document.querySelector(".md-search-result__list [href]");
      (query.value.trim() && first ? first : query).focus();
    });
  }
})();
