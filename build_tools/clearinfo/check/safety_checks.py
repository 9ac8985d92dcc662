"""What an auditor's security scan of the built site would look for, checked on every page:
the Content-Security-Policy is there and strict, every inline script is allowed by its hash, and
nothing runs or loads from elsewhere (no event handler attributes, no javascript: addresses, no
script, style, font or media from another site)."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from ..content.safe_html import decoded_address
from ..theme.policy import csp_hash
from .findings import Finding

# Where a page loads something from (a link rel=canonical or rel=next only names an address).
_LOADS = {"script": "src", "img": "src", "audio": "src", "video": "src", "source": "src", "track": "src",
          "iframe": "src", "frame": "src", "embed": "src", "object": "data", "input": "src"}
_LOADING_RELS = {"stylesheet", "preload", "modulepreload", "icon", "apple-touch-icon", "manifest",
                 "prefetch", "preconnect", "dns-prefetch"}
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "poster", "background")
_NEVER = ("javascript", "vbscript", "data")
_CSS_FROM_ELSEWHERE = re.compile(r"""(@import\s+(url\()?\s*["']?\s*(https?:)?//|url\(\s*["']?\s*(https?:)?//)""",
                                 re.IGNORECASE)
FIX_CONTENT = "Rebuild with 'clearinfo build': the content checks refuse this, so something changed the built site."


def _from_elsewhere(url: str) -> bool:
    url = decoded_address(url)
    return bool(urlsplit(url).scheme) and not url.lower().startswith(("mailto:", "tel:")) or url.startswith("//")


def _policy(soup) -> tuple[object, dict[str, list[str]]]:
    meta = soup.find("meta", attrs={"http-equiv": re.compile("^content-security-policy$", re.IGNORECASE)})
    directives = {}
    if meta is not None:
        for part in (meta.get("content") or "").split(";"):
            words = part.split()
            if words:
                directives[words[0].lower()] = words[1:]
    return meta, directives


def check_policy(page: str, soup) -> list[Finding]:
    out = []
    meta, directives = _policy(soup)
    if meta is None:
        return [Finding(page, "security", "csp-missing",
                        "The page has no Content-Security-Policy, so a script that reached it could run.",
                        FIX_CONTENT)]
    head = soup.find("head")
    first = [el for el in (head.find_all(True, recursive=False) if head else []) if el.name != "meta"
             or el.get("charset") is None][:1]
    if first and first[0] is not meta:
        out.append(Finding(page, "security", "csp-late",
                           "The Content-Security-Policy comes after other things in the page's head, so "
                           "they are not covered by it.", FIX_CONTENT, str(first[0])[:160]))
    for name in ("default-src", "script-src", "style-src", "object-src", "base-uri"):
        if name not in directives:
            out.append(Finding(page, "security", "csp-weak", f"The policy does not say '{name}'.", FIX_CONTENT))
    for name in ("default-src", "script-src", "style-src", "font-src", "media-src", "connect-src"):
        # Only the site itself, nothing, or one script by its hash: anything else (a host, a scheme,
        # '*', 'unsafe-inline', 'unsafe-eval') lets things run or load from outside the site.
        weak = [w for w in directives.get(name, []) if w not in ("'self'", "'none'") and not w.startswith("'sha256-")]
        if weak:
            out.append(Finding(page, "security", "csp-weak",
                               f"The policy's '{name}' allows {' '.join(weak)}, which lets things run or load "
                               "from outside the site.", FIX_CONTENT))
    allowed = set(directives.get("script-src", []))
    for script in soup.find_all("script"):
        if script.has_attr("src") or (script.get("type") or "text/javascript").lower() not in (
                "text/javascript", "module", "application/javascript"):
            continue
        if csp_hash(script.string or "") not in allowed:
            out.append(Finding(page, "security", "csp-unlisted-script",
                               "An inline script is not allowed by the page's policy, so the browser will not "
                               "run it (and it may not be the theme's own).", FIX_CONTENT, str(script)[:160]))
    return out


def check_loads(page: str, soup) -> list[Finding]:
    out = []
    for el in soup.find_all(True):
        for name, value in el.attrs.items():
            if name.lower().startswith("on"):
                out.append(Finding(page, "security", "inline-handler",
                                   f"<{el.name}> has an event handler ('{name}'), a program that would run in "
                                   "visitors' browsers.", FIX_CONTENT, str(el)[:160]))
            elif name.lower() in _URL_ATTRIBUTES and isinstance(value, str):
                scheme = urlsplit(decoded_address(value)).scheme.lower()
                if scheme in _NEVER and not (el.name == "img" and scheme == "data"):
                    out.append(Finding(page, "security", "script-address",
                                       f"<{el.name}> has a '{scheme}:' address, which can run a program.",
                                       FIX_CONTENT, str(el)[:160]))
            elif name.lower() == "style" and _CSS_FROM_ELSEWHERE.search(str(value)):
                out.append(Finding(page, "security", "loads-from-elsewhere",
                                   f"<{el.name}> has a style that loads something from another site.",
                                   FIX_CONTENT, str(el)[:160]))
        attr = _LOADS.get(el.name)
        if attr and el.get(attr) and _from_elsewhere(el[attr]):
            out.append(_elsewhere(page, el, el[attr]))
        if el.name == "link" and el.get("href") and _LOADING_RELS & {r.lower() for r in el.get("rel") or []} \
                and _from_elsewhere(el["href"]):
            out.append(_elsewhere(page, el, el["href"]))
        if el.name == "style" and _CSS_FROM_ELSEWHERE.search(el.get_text()):
            out.append(Finding(page, "security", "loads-from-elsewhere",
                               "A style in the page loads something from another site.", FIX_CONTENT))
    return out


def _elsewhere(page, el, url) -> Finding:
    return Finding(page, "security", "loads-from-elsewhere",
                   f"<{el.name}> loads '{url[:80]}' from another site. Visitors' browsers would tell that site "
                   "who they are, and the council cannot check what it sends.",
                   "Serve the file from the site itself.", str(el)[:160])


def check_stylesheets(site: Path) -> list[Finding]:
    """The site's own stylesheets load fonts and pictures only from the site."""
    out = []
    for css in sorted(site.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        m = _CSS_FROM_ELSEWHERE.search(text)
        if m:
            out.append(Finding(css.relative_to(site).as_posix(), "security", "loads-from-elsewhere",
                               "The stylesheet loads something from another site.",
                               "Serve the file from the site itself.", text[m.start():m.start() + 120]))
    return out


def check_safety(page: str, soup) -> list[Finding]:
    return check_policy(page, soup) + check_loads(page, soup)
