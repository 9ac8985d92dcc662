// Exit this page: the GOV.UK Design System pattern, written for Clearinfo
// (partials/exit-this-page.html). The button is a plain link to a neutral website, so it works
// without this file. With it:
// - the page goes blank at once, then the neutral website replaces it: location.replace, so this
//   page is not kept in the tab's Back history (the browser's History list still shows it);
// - pressing Shift 3 times, each press within 5 seconds of the last, does the same. Each press is
//   said to screen readers and shown as 3 lights on the button;
// - links to places on the page do not add it to the tab's history again.
// Pages without the button are left alone.
(function () {
  "use strict";
  var root = document.querySelector("[data-ci-exit]");
  var button = root && root.querySelector("a[data-ci-exit-button]");
  var status = root && root.querySelector("[data-ci-exit-status]");
  if (!button || !status) return;

  var PRESSES = 3;
  var WAIT_MS = 5000;  // the most time between two presses, as GOV.UK: long enough for people who press slowly
  // What is said to screen readers, in the page's language: the partial writes the words into
  // data- attributes (from the theme's words, clearinfo/theme/words/), so this file holds none.
  var WORDS = {
    2: root.getAttribute("data-ci-exit-press-2") || "",
    1: root.getAttribute("data-ci-exit-press-1") || "",
    expired: root.getAttribute("data-ci-exit-expired") || "",
    leaving: root.getAttribute("data-ci-exit-leaving") || ""
  };

  var presses = 0;
  var shiftAlone = false;  // Shift is down, and no other key has been pressed with it
  var pressTimer = null;   // ends the count when the next press does not come in time
  var quietTimer = null;   // empties the status after "expired", so it is not read out again later
  var cover = null;        // the blank cover while the neutral website loads
  var referrer = document.querySelector('meta[name="referrer"]');
  var usualReferrer = referrer ? referrer.content : null;

  // 3 lights on the button, lit one a press: for people who see the screen. Hidden from screen
  // readers, which hear the status instead.
  var lights = document.createElement("span");
  lights.className = "ci-exit__lights";
  lights.setAttribute("aria-hidden", "true");
  for (var i = 0; i < PRESSES; i++) {
    lights.appendChild(document.createElement("span")).className = "ci-exit__light";
  }
  button.appendChild(lights);

  function say(words) {
    status.textContent = words;
  }

  function showPresses() {
    lights.classList.toggle("ci-exit__lights--on", presses > 0);
    for (var n = 0; n < lights.children.length; n++) {
      lights.children[n].classList.toggle("ci-exit__light--lit", n < presses);
    }
  }

  function stopTimers() {
    clearTimeout(pressTimer);
    clearTimeout(quietTimer);
    pressTimer = quietTimer = null;
  }

  // The count starts again: the next press came too late, or another key was pressed.
  function expire() {
    stopTimers();
    presses = 0;
    showPresses();
    say(WORDS.expired);
    quietTimer = setTimeout(function () { say(""); }, WAIT_MS);
  }

  function setReferrer(policy) {
    if (!referrer) {
      referrer = document.createElement("meta");
      referrer.name = "referrer";
      document.head.appendChild(referrer);
    }
    referrer.content = policy;
  }

  function leave() {
    if (cover) return;  // already leaving
    stopTimers();
    presses = 0;
    showPresses();
    say("");
    // The neutral website is not told which site the person came from (the link says rel="noreferrer").
    setReferrer("no-referrer");
    // Blank the page before the next one loads: on a slow connection it would stay on screen.
    // Hiding the rest of the page also takes it from screen readers and the Tab key meanwhile.
    cover = document.createElement("div");
    cover.className = "ci-exit-cover";
    cover.setAttribute("role", "alert");
    document.body.appendChild(cover);
    document.documentElement.classList.add("ci-exit-leaving");
    cover.textContent = WORDS.leaving;  // after it is in the page: screen readers then say it
    // replace, not a link: Back does not bring this page back up.
    window.location.replace(button.href);
  }

  button.addEventListener("click", function (event) {
    event.preventDefault();  // the link would keep this page in the tab's history
    leave();
  });

  // A link to a place on this page (the skip link, "On this page") would add this page to the tab's
  // history again, and Back from the neutral website would show it. Here such links move within
  // the one history entry instead: the browser still scrolls to the place and moves focus there.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.shiftKey ||
        event.altKey || event.metaKey || link === button || link.target || link.hasAttribute("download") ||
        !link.hash || link.href.split("#")[0] !== location.href.split("#")[0]) return;
    event.preventDefault();
    window.location.replace(link.hash);
  });

  // A press is Shift down and up with no other key between: Shift held for a capital letter, or
  // Shift+Tab, is not a press. Any other key starts the count again, as GOV.UK's does.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Shift") {
      if (!event.repeat) shiftAlone = !(event.ctrlKey || event.altKey || event.metaKey);
      return;
    }
    shiftAlone = false;
    if (presses > 0) expire();
  }, true);

  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift" || !shiftAlone) return;
    shiftAlone = false;
    stopTimers();
    presses += 1;
    showPresses();
    if (presses >= PRESSES) {
      leave();
      return;
    }
    say(WORDS[PRESSES - presses]);
    pressTimer = setTimeout(expire, WAIT_MS);
  }, true);

  // Back to this page from the browser's memory (the back-forward cache, or the link's page when
  // Back is used after it): the page must be usable again, not blank.
  window.addEventListener("pageshow", function () {
    stopTimers();
    presses = 0;
    shiftAlone = false;
    showPresses();
    say("");
    document.documentElement.classList.remove("ci-exit-leaving");
    if (cover) {
      cover.remove();
      cover = null;
      if (usualReferrer !== null) setReferrer(usualReferrer);
    }
  });
})();
