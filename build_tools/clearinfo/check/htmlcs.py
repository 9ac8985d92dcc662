"""HTML_CodeSniffer in the page: a second accessibility engine beside axe-core, run as pa11y runs it.

Its WCAG2AA standard is run on the page's document, in the page as a reader sees it (so colour
contrast is measured in each view). Only its errors count, as in pa11y: its warnings and notices
are questions for a person ("check that the title describes the page"), which axe's 'needs review'
items and the council's own reviews already cover.

The pinned copy fetched by `clearinfo fetch-assets` is used; its hash is checked each time it is
read. It goes in through WebDriver, which the page's Content-Security-Policy does not block (the
policy rightly blocks inline scripts written into the page), and it needs no eval.
"""
from __future__ import annotations

from pathlib import Path

from ..vendor import verified_bytes
from .engine_messages import explain_htmlcs, htmlcs_technique
from .findings import VIOLATION, Finding

STANDARD = "WCAG2AA"
ERROR = 1  # HTML_CodeSniffer's message types: 1 error, 2 warning, 3 notice

# HTMLCS.js is a UMD bundle: run with `this` as the window, it puts HTMLCS and its standards there.
_INJECT = """
(function () {
%s
}).call(window);
return typeof window.HTMLCS === 'object' && typeof window.HTMLCS.process === 'function'
       && typeof window.HTMLCS_%s === 'object';
"""

# Runs the standard on the document and returns its errors with a selector and a snippet for each.
# Elements HTML_CodeSniffer adds itself (its auditor's, ids and classes starting 'HTMLCS-') are left out.
_RUN = """
const done = arguments[arguments.length - 1];
const standard = arguments[0];
if (typeof window.HTMLCS !== 'object') { done({error: 'not-loaded'}); return; }

function selector(el) {
  const parts = [];
  while (el && el.nodeType === 1) {
    if (el.id && document.querySelectorAll('#' + CSS.escape(el.id)).length === 1) {
      parts.unshift('#' + CSS.escape(el.id));
      break;
    }
    let part = el.tagName.toLowerCase();
    const parent = el.parentElement;
    if (parent) {
      const same = [...parent.children].filter(c => c.tagName === el.tagName);
      if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(el) + 1) + ')';
    }
    parts.unshift(part);
    el = parent;
  }
  if (parts.length > 1 && parts[0] === 'html') parts.shift();
  return parts.join(' > ');
}

function snippet(el) {
  if (!el || el.nodeType !== 1) return '';
  const html = el.outerHTML.replace(/\\s+/g, ' ');
  if (html.length <= 160) return html;
  const open = html.slice(0, html.indexOf('>') + 1);
  return (open.length <= 157 ? open : open.slice(0, 157)) + '...';
}

function ours(el) {
  for (; el && el.nodeType === 1; el = el.parentElement) {
    if ((el.id || '').startsWith('HTMLCS-') || [...el.classList].some(c => c.startsWith('HTMLCS-'))) return true;
  }
  return false;
}

try {
  HTMLCS.process(standard, document, function () {
    try {
      done({messages: HTMLCS.getMessages()
        .filter(m => m.type === 1 && !ours(m.element))
        .map(m => ({code: m.code, msg: m.msg, selector: selector(m.element), html: snippet(m.element)}))});
    } catch (e) { done({error: String(e && e.message || e)}); }
  }, function (e) { done({error: 'HTML_CodeSniffer could not load its standard: ' + e}); }, 'en');
} catch (e) { done({error: String(e && e.message || e)}); }
"""


def htmlcs_source(vendor_dir: Path) -> str:
    """HTMLCS.js, its hash checked as it is read. Read it once a run and give it to inject_htmlcs."""
    return verified_bytes(vendor_dir, "html_codesniffer", "HTMLCS.js").decode("utf-8")


def inject_htmlcs(driver, vendor_dir: Path, source: str | None = None) -> None:
    """Put HTML_CodeSniffer into the page: once per page load (a new page forgets it).
    Pass `source` (from htmlcs_source) to avoid reading and hashing the file for every page."""
    ready = driver.execute_script(_INJECT % (source if source is not None else htmlcs_source(vendor_dir),
                                             STANDARD))
    if not ready:
        raise RuntimeError("HTML_CodeSniffer did not load in the page")


def run_htmlcs(driver, page: str, context: str = "") -> list[Finding]:
    """HTML_CodeSniffer's WCAG2AA errors on the page as it is now: once per view. Raises RuntimeError
    if it did not run (not injected, or it failed), so the view is reported as not checked."""
    result = driver.execute_async_script(_RUN, STANDARD)
    if not isinstance(result, dict) or "error" in result:
        raise RuntimeError(f"HTML_CodeSniffer stopped: {(result or {}).get('error', 'no answer')}")
    findings = []
    for m in result["messages"]:
        message, fix = explain_htmlcs(m["code"], " ".join(str(m["msg"]).split()))
        selector = m["selector"]
        where = f"{selector} {m['html']}".strip() if selector else "the whole page"
        findings.append(Finding(page, "htmlcs", htmlcs_technique(m["code"]), message, fix, element=where,
                                severity=VIOLATION, context=context, selector=selector))
    return findings
