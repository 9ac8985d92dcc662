"""The Content-Security-Policy every built page carries, and the headers for the web server.

In 2018 one compromised read-aloud script put a crypto-miner on UK council sites. The policy says
the browser may run only the site's own files: scripts, styles, fonts, pictures and media from the
site itself, and the few inline scripts the theme needs, allowed one by one by their hash
(computed here, at build time, from the page as written). Nothing can be framed, posted elsewhere
or loaded from another site, even if a page slipped past the content checks.

A meta tag cannot carry frame-ancestors or the other headers, so `headers_file` writes them for
static hosts that read a `_headers` file (Netlify, Cloudflare Pages); README "Security" gives the
same for nginx, Apache and IIS.
"""
from __future__ import annotations

import base64
import hashlib
import html
import re
from urllib.parse import urlsplit

from ..content.safe_html import TAG_INSIDE

HEADERS_FILE = "_headers"
REFERRER = "strict-origin-when-cross-origin"

# An inline <script> with no src that the browser runs (not a JSON data block).
_INLINE_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.DOTALL | re.IGNORECASE)
# A link tag whose address starts with http:, https: or // (another site, perhaps). Menus hold a
# link to every page, so most links are relative: only these few are looked at closely.
# An <a> tag whole (TAG_INSIDE: a '>' inside title="a > b" does not end it). Then its attributes one
# by one, so that words inside another attribute's value (title='href="//x"') are never read as an href.
_LINK_TAG = re.compile(rf"""<a\s{TAG_INSIDE}*>""", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""\s([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_RUNS = re.compile(r"""\btype\s*=\s*["']?(?!text/javascript|module|application/javascript)""", re.IGNORECASE)


def csp_hash(text: str) -> str:
    """The policy's token that allows exactly this inline script or style: 'sha256-...'."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode('utf-8')).digest()).decode('ascii')}'"


def inline_script_hashes(page_html: str) -> list[str]:
    """CSP hashes ('sha256-...') of every inline script the browser would run, in page order."""
    hashes = []
    for m in _INLINE_SCRIPT.finditer(page_html):
        attrs = m.group(1) or ""
        if re.search(r"\ssrc\s*=", attrs, re.IGNORECASE) or _RUNS.search(attrs):
            continue  # a file (allowed by 'self') or a data block, which never runs
        token = csp_hash(m.group(2))
        if token not in hashes:
            hashes.append(token)
    return hashes


def form_targets(feedback: dict | None) -> str:
    """Forms may go only to the council's feedback form, when it has one; otherwise nowhere."""
    url = (feedback or {}).get("url")
    if url:
        parts = urlsplit(str(url))
        if parts.scheme in ("https", "http") and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    return "'none'"


def policy(script_hashes: list[str], feedback: dict | None, *, for_header: bool = False) -> str:
    directives = [
        "default-src 'none'",
        "script-src 'self' " + " ".join(script_hashes) if script_hashes else "script-src 'self'",
        "style-src 'self'",
        # data: only for the theme's own icons, drawn in its stylesheet; pages cannot add pictures
        # from anywhere but the site (the content checks refuse them).
        "img-src 'self' data:",
        "font-src 'self'",
        "media-src 'self'",
        "connect-src 'self'",   # the search index
        "worker-src 'self'",    # the search runs in a worker
        "manifest-src 'self'",
        "frame-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action " + form_targets(feedback),
    ]
    if for_header:  # only a header can say these
        directives.append("frame-ancestors 'none'")
    return "; ".join(d.strip() for d in directives)


def apply_policy(page_html: str, feedback: dict | None, site_url: str | None = None) -> tuple[str, list[str]]:
    """The page with its policy and referrer meta tags first in <head>, and every link to another
    site marked rel="noopener noreferrer". Returns (html, the inline script hashes it allowed)."""
    hashes = inline_script_hashes(page_html)
    tags = (f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes, feedback)}">'
            f'<meta name="referrer" content="{REFERRER}">')
    # Straight after <meta charset> (which must come first), before anything the policy covers.
    page_html, n = re.subn(r"<head(\s[^>]*)?>(\s*<meta charset=[^>]*>)?", lambda m: m.group(0) + tags,
                           page_html, count=1, flags=re.IGNORECASE)
    if not n:  # a fragment with no head: nothing to protect here
        return page_html, []
    own_host = urlsplit(site_url or "").netloc.lower()
    # Only a tag with '//' (or a character reference, which could spell it) can link to another site.
    return _LINK_TAG.sub(lambda m: _mark_external(m.group(0), own_host) if "//" in m.group(0) or "&" in m.group(0)
                         else m.group(0), page_html), hashes


def _attribute(tag: str, name: str):
    """The first `name` attribute of the tag (its match: group 2 is the value as written), or None."""
    for m in _ATTRIBUTE.finditer(tag, 2):  # after '<a'
        if m.group(1).lower() == name:
            return m
    return None


def _value(m) -> str:
    """An attribute's value as the browser reads it: without its quotes, character references decoded."""
    raw = m.group(2) or ""
    return html.unescape(raw[1:-1] if raw[:1] in "\"'" and len(raw) >= 2 else raw)


def _mark_external(tag: str, own_host: str) -> str:
    href = _attribute(tag, "href")
    if not href:
        return tag
    parts = urlsplit(_value(href).strip())
    if parts.scheme.lower() not in ("http", "https", "") or not parts.netloc or parts.netloc.lower() == own_host:
        return tag
    rel = _attribute(tag, "rel")
    if rel:
        words = _value(rel).split()
        words += [w for w in ("noopener", "noreferrer") if w not in words]
        return tag[:rel.start()] + f' rel="{html.escape(" ".join(words))}"' + tag[rel.end():]
    return tag[:-1].rstrip("/").rstrip() + ' rel="noopener noreferrer">'


def headers_file(all_hashes: list[str], feedback: dict | None) -> str:
    """The `_headers` file: every page's policy, plus what only a header can say."""
    return "\n".join([
        "# Security headers for every page, for static hosts that read a _headers file",
        "# (Netlify, Cloudflare Pages). Written by Clearinfo at build time: README, 'Security'.",
        "/*",
        f"  Content-Security-Policy: {policy(sorted(set(all_hashes)), feedback, for_header=True)}",
        "  X-Content-Type-Options: nosniff",
        f"  Referrer-Policy: {REFERRER}",
        "  X-Frame-Options: DENY",
        "  Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "",
    ])
