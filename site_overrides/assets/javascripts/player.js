// Clearinfo audio player: labelled buttons, speed, and the sentence being read highlighted in
// the page. Served from this site; no third-party script. Without it, the browser's own audio
// controls, the download link and the transcript still work.
(function () {
  "use strict";
  var box = document.querySelector("[data-ci-player]");
  if (!box) return;
  var audio = box.querySelector("audio");
  var controls = box.querySelector(".ci-player__controls");
  var timings = [];
  try { timings = JSON.parse(box.querySelector(".ci-player__timings").textContent); } catch (e) { timings = []; }
  var play = controls.querySelector("[data-action=play]");
  var speed = controls.querySelector("[data-action=speed]");
  var follow = controls.querySelector("[data-action=follow]");
  var time = controls.querySelector(".ci-player__time");
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  audio.controls = false;          // our own labelled controls replace the browser's
  controls.hidden = false;

  function clock(s) {
    if (!isFinite(s)) return "0:00";
    var m = Math.floor(s / 60), r = Math.floor(s % 60);
    return m + ":" + (r < 10 ? "0" : "") + r;
  }
  function showState() {
    play.textContent = audio.paused ? "Play" : "Pause";
    var total = audio.duration || (timings.length ? timings[timings.length - 1].e : 0);
    time.textContent = clock(audio.currentTime) + " of " + clock(total);
  }

  play.addEventListener("click", function () {
    if (audio.paused) { audio.play(); } else { audio.pause(); }
  });
  controls.querySelector("[data-action=back]").addEventListener("click", function () {
    audio.currentTime = Math.max(0, audio.currentTime - 10);
  });
  controls.querySelector("[data-action=forward]").addEventListener("click", function () {
    var end = audio.duration || (timings.length ? timings[timings.length - 1].e : 0);
    audio.currentTime = Math.min(end, audio.currentTime + 10);
  });
  speed.addEventListener("change", function () { audio.playbackRate = parseFloat(speed.value); });
  ["play", "pause", "timeupdate", "loadedmetadata", "ended", "seeked"].forEach(function (name) {
    audio.addEventListener(name, showState);
  });
  audio.addEventListener("ratechange", function () {
    if (String(audio.playbackRate) !== speed.value) speed.value = String(audio.playbackRate);
  });

  // --- Read-along: highlight the sentence being read -------------------------------------------
  var canHighlight = typeof CSS !== "undefined" && CSS.highlights && typeof Highlight === "function";
  var current = -1, marked = null;

  function rangeFor(block, text) {
    // The block's text nodes, with spaces folded as the timings have them.
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT), node, flat = "", map = [];
    while ((node = walker.nextNode())) {
      for (var i = 0; i < node.data.length; i++) {
        var ch = /\s/.test(node.data[i]) ? " " : node.data[i];
        if (ch === " " && (flat === "" || flat[flat.length - 1] === " ")) continue;
        flat += ch; map.push([node, i]);
      }
    }
    var at = flat.indexOf(text);
    if (at < 0) return null;
    var range = document.createRange();
    range.setStart(map[at][0], map[at][1]);
    var last = map[at + text.length - 1];
    range.setEnd(last[0], last[1] + 1);
    return range;
  }

  function clear() {
    if (canHighlight) CSS.highlights.delete("ci-reading");
    if (marked) marked.classList.remove("ci-reading-block");
    marked = null;
  }

  function highlight(index) {
    clear();
    if (index < 0 || !follow.checked) return;
    var t = timings[index];
    var block = document.querySelector('[data-ci-read="' + t.b + '"]');
    if (!block) return;
    var range = canHighlight ? rangeFor(block, t.t) : null;
    if (range) {
      CSS.highlights.set("ci-reading", new Highlight(range));
    } else {
      block.classList.add("ci-reading-block");
      marked = block;
    }
    // Keep the words in view, for people who read along with a screen magnifier.
    var rect = (range || block).getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > window.innerHeight) {
      block.scrollIntoView({ block: "center", behavior: reduceMotion ? "auto" : "smooth" });
    }
  }

  audio.addEventListener("timeupdate", function () {
    // The sentence being read is the last one to have started (it stays lit through the pause).
    var now = audio.currentTime, found = -1;
    for (var i = 0; i < timings.length && timings[i].s <= now; i++) { found = i; }
    if (found !== current) { current = found; highlight(found); }
  });
  audio.addEventListener("ended", function () { current = -1; clear(); });
  follow.addEventListener("change", function () { if (!follow.checked) clear(); else highlight(current); });
  showState();
})();
