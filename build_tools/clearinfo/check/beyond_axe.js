// The in-page half of the beyond-axe checks (beyond_axe.py). Run through WebDriver's
// execute_script, which a Content-Security-Policy does not block; it adds nothing to the page
// (no <style>, no <script>), and puts back the focus and scroll position it changes.
// The file is one expression; Python appends "return BA.<phase>(...)".
const BA = (() => {
  const STORE = '__clearinfoBeyondAxe';

  // ---- small helpers -------------------------------------------------------------------------
  // While one picture of the page is taken (see `picture` below) nothing on the page changes, so
  // what is read about an element then (its style, its box, whether it is on the page) is kept
  // until the picture is done: the same ancestors are asked about again and again.
  let memo = null;

  function css(el, pseudo) {
    if (!memo || pseudo) return getComputedStyle(el, pseudo || null);
    let style = memo.styles.get(el);
    if (!style) memo.styles.set(el, style = getComputedStyle(el));
    return style;
  }

  function remembered(table, el, work) {
    if (!memo) return work();
    const map = memo[table];
    if (!map.has(el)) map.set(el, work());
    return map.get(el);
  }

  function withMemo(work) {
    memo = {styles: new Map(), onPage: new Map(), fixed: new Map(), block: new Map(), clip: new Map()};
    try {
      return work();
    } finally {
      memo = null;
    }
  }
  const px = (v) => parseFloat(v) || 0;

  function allElements(root, out = []) {
    // Every element, including those in open shadow roots (the flat tree, near enough).
    for (const el of root.querySelectorAll('*')) {
      out.push(el);
      if (el.shadowRoot) allElements(el.shadowRoot, out);
    }
    return out;
  }

  function parentOf(el) {
    if (el.assignedSlot) return el.assignedSlot;
    if (el.parentElement) return el.parentElement;
    const root = el.getRootNode && el.getRootNode();
    return root && root.host ? root.host : null;
  }

  function closest(el, test) {
    for (let e = el; e; e = parentOf(e)) if (test(e)) return e;
    return null;
  }

  // A short CSS selector a person can read: the element's id, or its tag and first class, with
  // as few of its ancestors as make it unique on the page.
  function selector(el) {
    const parts = [];
    const root = el.getRootNode ? el.getRootNode() : document;
    for (let e = el; e && e.nodeType === 1 && parts.length < 6; e = e.parentElement) {
      if (e.id && root.querySelectorAll('#' + CSS.escape(e.id)).length === 1) {
        parts.unshift('#' + CSS.escape(e.id));
        break;
      }
      const cls = [...e.classList].find((c) => !/^(focus-visible|js-focus-visible)$/.test(c));
      let part = e.localName + (cls ? '.' + CSS.escape(cls) : '');
      const parent = e.parentElement;
      if (parent) {
        const kin = [...parent.children].filter((c) => c.localName === e.localName);
        if (kin.filter((c) => !cls || c.classList.contains(cls)).length > 1) part += `:nth-of-type(${kin.indexOf(e) + 1})`;
      }
      parts.unshift(part);
      try {
        if (root.querySelectorAll(parts.join(' > ')).length === 1) break;
      } catch (err) { /* keep going */ }
      if (e.localName === 'body') break;
    }
    return parts.join(' > ');
  }

  function snippet(el) {
    const html = el.outerHTML || '';
    const end = html.indexOf('>');
    let tag = end >= 0 ? html.slice(0, end + 1) : html;
    const text = (el.textContent || '').replace(/\s+/g, ' ').trim();
    if (text) tag += text.slice(0, 60) + (text.length > 60 ? '...' : '');
    return tag.length > 160 ? tag.slice(0, 157) + '...' : tag;
  }

  function describe(el, extra) {
    return Object.assign({selector: selector(el), snippet: snippet(el)}, extra || {});
  }

  const ariaHiddenTrue = (el) =>
    (el.getAttribute('aria-hidden') || '').trim().toLowerCase() === 'true';

  function rendered(el) {
    return el.getClientRects().length > 0 && css(el).visibility === 'visible';
  }

  // In sequential focus navigation: reachable with the Tab key. tabIndex reflects the element's
  // own focusability (links with href, buttons, inputs, summary, tabindex>=0, contenteditable).
  function tabbable(el) {
    const editingHost = el.isContentEditable && !(el.parentElement && el.parentElement.isContentEditable);
    if (!(el.tabIndex >= 0) && !(editingHost && !el.hasAttribute('tabindex'))) return false;
    if (el.matches(':disabled')) return false;
    if (closest(el, (e) => e.hasAttribute && e.hasAttribute('inert'))) return false;
    if (el.localName === 'a' && !el.hasAttribute('href') && !el.hasAttribute('tabindex')) return false;
    return rendered(el);
  }

  function finishTransitions() {
    // Jump CSS transitions to their end, so computed styles are what a reader ends up seeing.
    // (An injected stylesheet would be blocked by the page's Content-Security-Policy.)
    for (const a of document.getAnimations()) {
      if (typeof CSSTransition !== 'undefined' && a instanceof CSSTransition) {
        try { a.finish(); } catch (e) { /* an infinite one: leave it */ }
      }
    }
  }

  // ---- 1.4.12 text spacing: !important in style attributes ----------------------------------
  // ACT rules 24afc2, 9e45ec, 78fd32: the style attribute wins the cascade over any author style a
  // reader's tool adds, so an !important value below the 1.4.12 minimum cannot be changed.
  const SPACING = [['letter-spacing', 0.12], ['word-spacing', 0.16], ['line-height', 1.5]];

  function visibleTextChildren(el) {
    const rects = [];
    for (const node of el.childNodes) {
      if (node.nodeType !== 3 || !node.data.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width > 0 && r.height > 0 && r.right + scrollX > 0 && r.bottom + scrollY > 0) rects.push(r);
      }
    }
    return rects;
  }

  function lineCount(rects) {
    const tops = [];
    for (const r of rects) if (!tops.some((t) => Math.abs(t - r.top) < r.height / 2)) tops.push(r.top);
    return tops.length;
  }

  function spacing() {
    const out = [];
    for (const el of document.querySelectorAll('[style]')) {
      if (!(el instanceof HTMLElement)) continue;
      const checks = SPACING.filter(([prop]) =>
        el.style.getPropertyPriority(prop) === 'important' &&
        !/^(inherit|unset|revert|revert-layer)$/i.test(el.style.getPropertyValue(prop).trim()));
      if (!checks.length) continue;
      const style = css(el);
      if (style.visibility !== 'visible' || px(style.opacity) === 0) continue;
      const rects = visibleTextChildren(el);
      if (!rects.length) continue;
      const size = px(style.fontSize);
      if (!size) continue;
      for (const [prop, minimum] of checks) {
        let value = style.getPropertyValue(prop);
        if (prop === 'line-height') {
          if (lineCount(rects) < 2) continue;  // only text that wraps needs room between lines
          value = value === 'normal' ? 1.2 * size : px(value);
        } else {
          value = value === 'normal' ? 0 : px(value);
        }
        const ratio = value / size;
        if (ratio < minimum - 0.005) {
          out.push(describe(el, {property: prop, ratio: Math.round(ratio * 100) / 100, minimum}));
        }
      }
    }
    return out;
  }

  // ---- 4.1.2 focusable content inside aria-hidden="true" (ACT 6cfa84) -----------------------
  function ariaHiddenFocus() {
    const out = [];
    const seen = new Set();
    const active = document.activeElement;
    const toggles = saveToggles();
    for (const host of allElements(document)) {
      if (!ariaHiddenTrue(host)) continue;
      const inside = [host, ...allElements(host)];
      if (host.shadowRoot) inside.push(...allElements(host.shadowRoot));
      for (const el of inside) {
        if (seen.has(el) || !tabbable(el)) continue;
        seen.add(el);
        // A focus "sentinel" that sends focus straight on is not focusable content (ACT's
        // 1-second exception): try it, and skip it if focus does not stay.
        el.focus({preventScroll: true});
        const stays = document.activeElement === el ||
          (el.shadowRoot && el.shadowRoot.activeElement) || el.contains(document.activeElement);
        if (!stays) continue;
        out.push(describe(el, {hidden_by: selector(host)}));
      }
    }
    restoreFocus(active);
    restoreToggles(toggles);
    return out;
  }

  // Focus can open things (a theme opens its search box when the box gets focus). The checks put
  // every switch back as it was, and tell the page, so the next view and engine see the same page.
  function saveToggles() {
    return [...document.querySelectorAll('input[type=checkbox], input[type=radio], details')]
      .map((el) => [el, el.localName === 'details' ? el.open : el.checked]);
  }

  function restoreToggles(saved) {
    for (const [el, value] of saved || []) {
      if (el.localName === 'details') {
        if (el.open !== value) el.open = value;
      } else if (el.checked !== value) {
        el.checked = value;
        el.dispatchEvent(new Event('change', {bubbles: true}));
      }
    }
  }

  function restoreFocus(active) {
    if (active && active !== document.body && active.focus) active.focus({preventScroll: true});
    else if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  }

  // ---- 2.1.1 scrollable region not reachable by keyboard (ACT 0ssw9k) -----------------------
  function hasVisibleContent(el) {
    if ((el.innerText || '').trim()) return true;
    const media = 'img, svg, video, canvas, picture, object, embed, iframe, input, select, textarea';
    for (const m of el.querySelectorAll(media)) {
      const r = m.getBoundingClientRect();
      if (r.width > 1 && r.height > 1 && css(m).visibility === 'visible') return true;
    }
    return false;
  }

  function scrollable() {
    const out = [];
    const page = document.scrollingElement;
    for (const el of allElements(document)) {
      if (el === page || el === document.body || el === document.documentElement) continue;
      if (/^(textarea|select|iframe|frame|object|embed)$/.test(el.localName)) continue;
      const dx = el.scrollWidth - el.clientWidth;
      const dy = el.scrollHeight - el.clientHeight;
      if (dx <= 1 && dy <= 1) continue;
      const style = css(el);
      // Scrolls in a direction where there is more to see than its own padding (Chromium counts
      // the end padding as scrollable overflow).
      const x = /auto|scroll/.test(style.overflowX) && dx > Math.max(px(style.paddingLeft), px(style.paddingRight), 1);
      const y = /auto|scroll/.test(style.overflowY) && dy > Math.max(px(style.paddingTop), px(style.paddingBottom), 1);
      if (!x && !y) continue;
      if (style.visibility !== 'visible' || !el.getClientRects().length) continue;
      if (el.hasAttribute('tabindex') && el.tabIndex >= 0 && tabbable(el)) continue;
      if (tabbable(el)) continue;
      if (allElements(el).some(tabbable) || (el.shadowRoot && allElements(el.shadowRoot).some(tabbable))) continue;
      if (!hasVisibleContent(el)) continue;
      out.push(describe(el, {direction: x && y ? 'both' : (x ? 'sideways' : 'up and down')}));
    }
    return out;
  }

  function scan() {
    return {spacing: spacing(), ariaHidden: ariaHiddenFocus(), scrollable: scrollable()};
  }

  // The scan and the focus pass in one call (each call is a round trip to the browser), with what
  // Python needs to know about the page: when it was loaded (performance.timeOrigin) and its width.
  function checks(limit) {
    const started = performance.now();
    const found = scan();
    found.scanSeconds = (performance.now() - started) / 1000;
    found.focus = focusPass(limit);
    found.loaded = performance.timeOrigin;
    found.width = innerWidth;
    return found;
  }

  // ---- 2.4.7 focus visible (ACT oj04fd) ------------------------------------------------------
  // For every element the Tab key reaches: does anything a reader can see change when it gets
  // keyboard focus? Computed styles of the element, its ::before/::after, its ancestors and its
  // neighbours are compared first (fast); elements where nothing changed are handed back to
  // Python, which compares screenshots (an indicator can be drawn anywhere by a script).
  const LOOK = ['background-color', 'background-image', 'color', 'opacity', 'visibility', 'transform', 'filter',
                'clip-path', 'text-decoration-line', 'text-decoration-color', 'text-decoration-style',
                'text-decoration-thickness', 'text-underline-offset', 'font-weight', 'font-style', 'text-shadow'];
  const SIDES = ['top', 'right', 'bottom', 'left'];

  const transparent = (c) => /^transparent$|rgba\([^)]*,\s*0\)$|\/\s*0\)$/.test((c || '').trim());

  function lineStyle(style, width, colour) {
    if (style === 'none' || style === 'hidden' || px(width) === 0 || transparent(colour)) return 'none';
    return `${style} ${width} ${colour}`;
  }

  function shadow(value) {
    if (!value || value === 'none') return 'none';
    const colours = value.match(/rgba?\([^)]*\)/g) || [];
    return colours.length && colours.every(transparent) ? 'none' : value;
  }

  function look(el, pseudo) {
    const s = css(el, pseudo);
    if (pseudo && (s.content === 'none' || s.content === 'normal')) return 'none';
    const parts = LOOK.map((p) => s.getPropertyValue(p));
    const outline = lineStyle(s.outlineStyle, s.outlineWidth, s.outlineColor);
    parts.push(outline === 'none' ? outline : outline + ' ' + s.outlineOffset);
    for (const side of SIDES) {
      parts.push(lineStyle(s.getPropertyValue(`border-${side}-style`), s.getPropertyValue(`border-${side}-width`),
                           s.getPropertyValue(`border-${side}-color`)));
    }
    parts.push(shadow(s.boxShadow));
    if (pseudo) parts.push(s.content, s.width, s.height);
    return parts.join('|');
  }

  // Could a reader see any of the element where it is now? Not if it lies outside the page (an
  // off-canvas menu at x < 0), or outside a box that hides its overflow.
  const meets = (a, b) => b.right > b.left && b.bottom > b.top &&
    a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;

  // Whether the element, or a box around it, is fixed to the window.
  function inFixed(el) {
    if (!el || el.nodeType !== 1) return false;
    return remembered('fixed', el, () => css(el).position === 'fixed' || inFixed(parentOf(el)));
  }

  // The box that hides the element's overflow, or null if it lets its overflow show.
  function clipOf(el) {
    return remembered('clip', el, () => {
      const s = css(el);
      return /hidden|clip/.test(s.overflowX + ' ' + s.overflowY) ? clipBox(el) : null;
    });
  }

  function onPage(el) {
    return remembered('onPage', el, () => {
      const r = el.getBoundingClientRect();
      const box = {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
      if (r.width < 1) { box.left -= 1; box.right += 1; }   // a line is still seen (an outline)
      if (r.height < 1) { box.top -= 1; box.bottom += 1; }
      const area = inFixed(el) ? {left: 0, top: 0, right: innerWidth, bottom: innerHeight}
        : {left: -scrollX, top: -scrollY, right: document.documentElement.scrollWidth - scrollX,
           bottom: document.documentElement.scrollHeight - scrollY};
      if (!meets(box, area)) return false;
      for (let a = containingBlockParent(el); a && a !== document.body && a !== document.documentElement;
           a = containingBlockParent(a)) {
        const clip = clipOf(a);
        if (clip && !meets(box, clip)) return false;
      }
      return true;
    });
  }

  // What a reader sees of the element and around it: its own look and box, its neighbours' and
  // its ancestors' looks, part by part. Taken before and after focus; any difference is a focus
  // indicator.
  function* pictureParts(el) {
    const r = el.getBoundingClientRect();
    if (onPage(el)) {
      yield look(el);
      yield look(el, '::before');
      yield look(el, '::after');
      yield [r.x, r.y, r.width, r.height].map(Math.round).join(',');
    } else {
      yield 'off the page';
    }
    for (const n of [el.previousElementSibling, el.nextElementSibling]) if (n) yield onPage(n) ? look(n) : 'off';
    for (let a = parentOf(el); a && a !== document.documentElement; a = parentOf(a)) {
      yield a === document.body || onPage(a) ? look(a) : 'off';
    }
  }

  function picture(el) {
    return withMemo(() => [...pictureParts(el)]);
  }

  // Whether the element's picture now is the same as `before`. It stops at the first part that
  // differs (most elements show focus on themselves, the first part), so the rest is not read.
  function samePicture(el, before) {
    return withMemo(() => {
      let i = 0;
      for (const part of pictureParts(el)) {
        if (part !== before[i++]) return false;
      }
      return i === before.length;
    });
  }

  // The outermost box around an element that is off the page with it (the closed menu it is in).
  function offPageRoot(el) {
    if (onPage(el)) return null;
    let root = el;
    for (let a = parentOf(el); a && a !== document.body && a !== document.documentElement && !onPage(a);
         a = parentOf(a)) {
      root = a;
    }
    return root;
  }

  function focusPass(limit) {
    const active = document.activeElement;
    if (active && active !== document.body && active.blur) active.blur();
    const x = scrollX, y = scrollY;
    const toggles = saveToggles();
    // Not frames: focus goes on into their own document.
    const targets = allElements(document)
      .filter((el) => tabbable(el) && !/^(iframe|frame|object|embed)$/.test(el.localName))
      .slice(0, limit);
    const unchanged = [];
    let checked = 0;
    for (const el of targets) {
      finishTransitions();
      const before = picture(el);
      el.focus({preventScroll: true, focusVisible: true});
      const focused = document.activeElement === el || (el.shadowRoot && el.shadowRoot.activeElement);
      if (!focused) continue;  // focus went elsewhere at once (a sentinel), or would not go
      finishTransitions();
      const same = samePicture(el, before);
      el.blur();
      restoreToggles(toggles);
      checked += 1;
      if (same) unchanged.push(el);
    }
    finishTransitions();
    scrollTo(x, y);
    restoreFocus(active);
    window[STORE] = {unchanged, x, y, active, toggles, targets};
    const result = {checked, total: targets.length, unchanged: unchanged.map((el) => {
      const root = offPageRoot(el);
      return describe(el, {group: root ? selector(root) : null, group_snippet: root ? snippet(root) : null});
    })};
    // Nothing left for screenshots: put the page back now, rather than in another call.
    if (!unchanged.length) focusDone();
    return result;
  }

  // One element of the list above, for a screenshot: 'blur' shows it unfocused (scrolled into
  // view), 'focus' focused, 'restore' puts back every scroll position the first step changed
  // (scrollIntoView also scrolls boxes that hide their overflow, which a reader cannot undo).
  // 'blur' first puts back the element shown before it, and focusDone the last one, so Python
  // need not ask for 'restore' itself.
  function focusShot(index, state) {
    const store = window[STORE];
    if (state === 'blur' && store.shown !== undefined) focusShot(store.shown, 'restore');
    store.shown = state === 'restore' ? undefined : index;
    const el = store.unchanged[index];
    if (state === 'blur') {
      // Arrive as a keyboard user does: from the element before it in the Tab order, whose focus
      // may have opened something (a search box), then left it.
      const before = store.targets[store.targets.indexOf(el) - 1];
      if (before) {
        before.focus({preventScroll: true, focusVisible: true});
        before.blur();
      }
      if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
      store.scrolls = [];
      for (let a = parentOf(el); a; a = parentOf(a)) {
        if (a.scrollLeft || a.scrollTop || a.scrollWidth > a.clientWidth || a.scrollHeight > a.clientHeight) {
          store.scrolls.push([a, a.scrollLeft, a.scrollTop]);
        }
      }
      el.scrollIntoView({block: 'center', inline: 'nearest'});
    } else if (state === 'focus') {
      el.focus({preventScroll: true, focusVisible: true});
    } else {
      if (document.activeElement === el) el.blur();
      restoreToggles(store.toggles);
      for (const [a, left, top] of store.scrolls || []) { a.scrollLeft = left; a.scrollTop = top; }
      store.scrolls = [];
      scrollTo(store.x, store.y);
    }
    finishTransitions();
    return state !== 'focus' || document.activeElement === el;
  }

  // Before any screenshot: the elements `indexes` (of the list above) are focused once more, one
  // at a time, arriving as focusPass did, and their picture is compared again once the next frames
  // are drawn and a task after them. A theme that answers focus from a script a frame later (a
  // search box that opens) changes the picture then: its focus shows, as surely as it would have in
  // focusPass. Calls done(the indexes whose picture changed) when all are done; the page is put
  // back after each one. fail(error) if something went wrong (a callback's error reaches no caller).
  function focusLate(indexes, done, fail) {
    const store = window[STORE];
    const changed = [];
    const guarded = (then) => () => { try { then(); } catch (e) { fail(e); } };
    const settle = (then) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(guarded(then), 0)));
    const next = (k) => {
      if (k >= indexes.length) { done(changed); return; }  // (only when the last could not take focus)
      const el = store.unchanged[indexes[k]];
      finishTransitions();
      const before = picture(el);
      el.focus({preventScroll: true, focusVisible: true});
      if (document.activeElement !== el && !(el.shadowRoot && el.shadowRoot.activeElement)) { next(k + 1); return; }
      settle(() => {
        finishTransitions();
        if (!samePicture(el, before)) changed.push(indexes[k]);
        el.blur();
        restoreToggles(store.toggles);
        scrollTo(store.x, store.y);
        if (k + 1 < indexes.length) settle(() => next(k + 1));  // the page's answer to the blur, first
        else done(changed);
      });
    };
    next(0);
  }

  function focusDone() {
    const s = window[STORE];
    if (!s) return;
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    restoreToggles(s.toggles);
    for (const [a, left, top] of s.scrolls || []) { a.scrollLeft = left; a.scrollTop = top; }
    finishTransitions();
    scrollTo(s.x, s.y);
    restoreFocus(s.active);
    delete window[STORE];
  }

  // ---- 1.4.4 text cut off at 200% (ACT 59br37, run at a 640 by 512 viewport) ----------------
  // A text node is cut off when a box with overflow hidden or clip, on its way up to the page,
  // hides part of it while part of it shows. Text hidden whole (collapsed panels, the 1px
  // "visually hidden" pattern, off-canvas menus, opacity 0) is hidden on purpose and left alone.
  function containingBlockParent(el) {
    return remembered('block', el, () => {
      const pos = css(el).position;
      let p = parentOf(el);
      if (pos === 'absolute' || pos === 'fixed') {
        while (p && p !== document.documentElement) {
          const s = css(p);
          const makesBlock = s.transform !== 'none' || s.filter !== 'none' || s.perspective !== 'none' ||
            /paint|layout|strict|content/.test(s.contain) || s.willChange.includes('transform');
          if (makesBlock || (pos === 'absolute' && s.position !== 'static')) break;
          p = parentOf(p);
        }
      }
      return p;
    });
  }

  function clipBox(el) {
    const r = el.getBoundingClientRect();
    const left = r.left + el.clientLeft, top = r.top + el.clientTop;
    return {left, top, right: left + el.clientWidth, bottom: top + el.clientHeight};
  }

  const narrowX = (r, box) => Object.assign(r, {left: Math.max(r.left, box.left), right: Math.min(r.right, box.right)});
  const narrowY = (r, box) => Object.assign(r, {top: Math.max(r.top, box.top), bottom: Math.min(r.bottom, box.bottom)});

  function clipped() {
    finishTransitions();
    const out = new Map();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const W = document.documentElement.scrollWidth, H = document.documentElement.scrollHeight;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.data.trim()) continue;
      const parent = node.parentElement;
      if (!(parent instanceof HTMLElement)) continue;
      if (/^(script|style|noscript|template|title)$/.test(parent.localName)) continue;
      if (closest(parent, ariaHiddenTrue)) continue;
      const ps = css(parent);
      if (ps.visibility !== 'visible') continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      let lines = [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0.5)
        .map((r) => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom}));
      // Outside the page, where no scrolling reaches, is hidden on purpose.
      lines = lines.filter((r) => r.right + scrollX > 0 && r.bottom + scrollY > 0 &&
                                  r.left + scrollX < W && r.top + scrollY < H);
      if (!lines.length) continue;
      let shown = lines.map((r) => Object.assign({}, r));
      const cuts = [];
      let hiddenOnPurpose = false;
      for (let el = parent; el && el !== document.documentElement; el = containingBlockParent(el)) {
        const s = css(el);
        if (px(s.opacity) === 0) { hiddenOnPurpose = true; break; }
        if (el === document.body) continue;
        const ox = s.overflowX, oy = s.overflowY;
        const hx = ox === 'hidden' || ox === 'clip', hy = oy === 'hidden' || oy === 'clip';
        const sx = ox === 'auto' || ox === 'scroll', sy = oy === 'auto' || oy === 'scroll';
        if (!hx && !hy && !sx && !sy) continue;
        const box = clipBox(el);
        if ((hx || hy) && (box.right - box.left <= 2 || box.bottom - box.top <= 2)) { hiddenOnPurpose = true; break; }
        // Scrolling boxes: the reader can scroll to what they hide, so only their own box counts
        // from here on.
        if (sx) shown = shown.map((r) => narrowX(r, box));
        if (sy) shown = shown.map((r) => narrowY(r, box));
        let cutX = false, cutY = false;
        if (hx) {
          cutX = shown.some((r) => r.right > r.left && (r.left < box.left - 1 || r.right > box.right + 1));
          shown = shown.map((r) => narrowX(r, box));
        }
        if (hy) {
          cutY = shown.some((r) => r.bottom > r.top && (r.top < box.top - 1 || r.bottom > box.bottom + 1));
          shown = shown.map((r) => narrowY(r, box));
        }
        if (cutX || cutY) cuts.push({el, s, box, cutX, cutY});
      }
      if (hiddenOnPurpose || !cuts.length) continue;
      // Some of the text must still show, or it is hidden whole (on purpose).
      if (!shown.some((r) => r.right - r.left >= 2 && r.bottom - r.top >= 2)) continue;
      for (const {el, s, box, cutX, cutY} of cuts) {
        let kind = null;
        const clamp = s.getPropertyValue('-webkit-line-clamp');
        if (cutY && clamp && clamp !== 'none') {
          kind = 'ellipsis';  // cut short after some lines, with '...'
        } else if (cutY) {
          // One line kept on purpose: a box one whole line high, no more (ACT's exception), which
          // still has room for the letters (not 10px high for 16px text).
          const lh = s.lineHeight === 'normal' ? 1.2 * px(s.fontSize) : px(s.lineHeight);
          const height = el.getBoundingClientRect().height;
          if (!(lh >= height - 0.5 && height >= px(s.fontSize) - 0.5)) kind = 'cut';
        }
        if (!kind && cutX) {
          kind = s.whiteSpace.startsWith('nowrap') || s.whiteSpace === 'pre' || s.textWrapMode === 'nowrap'
            ? (s.textOverflow && s.textOverflow !== 'clip' ? 'ellipsis' : 'cut') : 'cut';
        }
        if (!kind) continue;
        const prev = out.get(el);
        if (!prev || (prev.kind === 'ellipsis' && kind === 'cut')) {
          out.set(el, describe(el, {kind, text: node.data.replace(/\s+/g, ' ').trim().slice(0, 80)}));
        }
      }
    }
    return [...out.values()];
  }

  function viewport() {
    return [innerWidth, innerHeight, scrollX, scrollY];
  }

  return {scan, checks, spacing, ariaHiddenFocus, scrollable, focusPass, focusLate, focusShot, focusDone, clipped,
          viewport};
})();
