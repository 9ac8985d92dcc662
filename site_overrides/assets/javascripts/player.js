// Clearinfo audio player: labelled buttons, speed, and the word or sentence being read
// highlighted in the page (the listener chooses: words, sentences or off; remembered in this
// browser). Served from this site; no third-party script. Without it, the browser's own audio
// controls, the download link and the transcript still work.
// No words of its own: every word it shows comes from the player's data- attributes
// (partials/player.html), so a translated page has a translated player.
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
  var choice = controls.querySelector("[data-action=highlight]");
  var time = controls.querySelector(".ci-player__time");
  var words = { play: box.getAttribute("data-text-play"), pause: box.getAttribute("data-text-pause"),
                of: box.getAttribute("data-text-of") };
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var STORE = "clearinfo-highlight";

  audio.controls = false;          // our own labelled controls replace the browser's
  controls.hidden = false;

  function clock(s) {
    if (!isFinite(s)) return "0:00";
    var m = Math.floor(s / 60), r = Math.floor(s % 60);
    return m + ":" + (r < 10 ? "0" : "") + r;
  }
  function showState() {
    play.textContent = audio.paused ? words.play : words.pause;
    var total = audio.duration || (timings.length ? timings[timings.length - 1].e : 0);
    time.textContent = clock(audio.currentTime) + " " + words.of + " " + clock(total);
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

  // --- Read-along: highlight the word or the sentence being read --------------------------------
  // Timings are in the audio's own time (seconds into the recording), and are compared with
  // audio.currentTime, which is also the recording's time: so they stay right at any speed.
  var hasWords = timings.some(function (t) { return t.w && t.w.length; });
  var canHighlight = typeof CSS !== "undefined" && CSS.highlights && typeof Highlight === "function";
  var current = -1, currentWord = -1, marked = null, sentenceMap = null;

  function remembered() {
    try { return window.localStorage.getItem(STORE); } catch (e) { return null; }  // storage may be off
  }
  function mode() { return choice.value; }
  var start = remembered() || box.getAttribute("data-highlight-default") || "sentences";
  if (start === "words" && !hasWords) start = "sentences";
  if (!hasWords) {
    var wordOption = choice.querySelector("option[value=words]");
    if (wordOption) wordOption.remove();
  }
  choice.value = start;
  if (choice.value !== start) choice.value = hasWords ? "words" : "sentences";  // an old or unknown choice

  function textMap(block) {
    // The block's text nodes, with spaces folded as the timings have them: the flat text, and
    // for each of its characters the text node and place it came from.
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT), node, flat = "", map = [];
    while ((node = walker.nextNode())) {
      for (var i = 0; i < node.data.length; i++) {
        var ch = /\s/.test(node.data[i]) ? " " : node.data[i];
        if (ch === " " && (flat === "" || flat[flat.length - 1] === " ")) continue;
        flat += ch; map.push([node, i]);
      }
    }
    return { flat: flat, map: map };
  }

  function rangeOf(map, from, to) {
    // A range over characters from..to-1 of the flat text.
    var range = document.createRange();
    range.setStart(map[from][0], map[from][1]);
    var last = map[to - 1];
    range.setEnd(last[0], last[1] + 1);
    return range;
  }

  function clear() {
    if (canHighlight) { CSS.highlights.delete("ci-reading"); CSS.highlights.delete("ci-reading-word"); }
    if (marked) marked.classList.remove("ci-reading-block");
    marked = null;
  }

  function show(index, word) {
    clear();
    if (index < 0 || mode() === "off") return;
    var t = timings[index];
    var block = document.querySelector('[data-ci-read="' + t.b + '"]');
    if (!block) return;
    var sentence = null, target = null;
    if (canHighlight) {
      if (!sentenceMap || sentenceMap.index !== index) sentenceMap = { index: index, found: textMap(block) };
      var found = sentenceMap.found, at = found.flat.indexOf(t.t);
      if (at >= 0) {
        sentence = rangeOf(found.map, at, at + t.t.length);
        if (mode() === "words" && word >= 0) {
          var w = t.w[word];
          target = rangeOf(found.map, at + w[2], at + w[3]);
          CSS.highlights.set("ci-reading-word", new Highlight(target));
        } else {
          CSS.highlights.set("ci-reading", new Highlight(sentence));
          target = sentence;
        }
      }
    }
    if (!target) {  // no highlight API, or the words were not found: mark the whole block
      block.classList.add("ci-reading-block");
      marked = block;
    }
    // Keep the words in view, for people who read along with a screen magnifier.
    var rect = (target || block).getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > window.innerHeight) {
      block.scrollIntoView({ block: "center", behavior: reduceMotion ? "auto" : "smooth" });
    }
  }

  function lastStarted(list, now, startOf) {
    // The last item to have started by `now` (it stays lit through the pause after it), or -1.
    var found = -1;
    for (var i = 0; i < list.length && startOf(list[i]) <= now; i++) { found = i; }
    return found;
  }

  function update() {
    var now = audio.currentTime;
    var index = lastStarted(timings, now, function (t) { return t.s; });
    var word = -1;
    if (index >= 0 && mode() === "words" && timings[index].w) {
      word = lastStarted(timings[index].w, now, function (w) { return w[0]; });
    }
    if (index !== current || word !== currentWord) {
      current = index; currentWord = word;
      show(index, word);
    }
  }

  // 'timeupdate' comes about 4 times a second: enough for sentences, too slow for words (a word
  // lasts about a third of a second), so while the audio plays the highlight follows every frame.
  var ticking = false;
  function tick() {
    update();
    if (!audio.paused && !audio.ended) { window.requestAnimationFrame(tick); } else { ticking = false; }
  }
  audio.addEventListener("play", function () {
    if (!ticking) { ticking = true; window.requestAnimationFrame(tick); }
  });
  ["timeupdate", "seeked", "pause"].forEach(function (name) { audio.addEventListener(name, update); });
  audio.addEventListener("ended", function () { current = -1; currentWord = -1; clear(); });
  choice.addEventListener("change", function () {
    try { window.localStorage.setItem(STORE, choice.value); } catch (e) { /* not remembered; still works */ }
    current = -1; currentWord = -1;
    if (mode() === "off") { clear(); } else { update(); }
  });
  showState();
})();
