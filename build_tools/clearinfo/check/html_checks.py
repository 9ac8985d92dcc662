"""Checks on the built HTML that need no browser: headings, ids, images, link text, and links
that go nowhere (to a page, a file or an #anchor that does not exist)."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from bs4 import BeautifulSoup

from ..content.safe_html import as_browsers_read
from .findings import Finding
from .beyond_axe import static_checks
from .safety_checks import check_safety, check_stylesheets

VAGUE = {"click here", "here", "read more", "more", "click", "this link", "link", "this page", "find out more",
         "more information", "learn more", "go"}


def snippet(el) -> str:
    text = " ".join(str(el).split())
    return text if len(text) <= 160 else text[:157] + "..."


def load(path: Path):
    # Comments are ended where browsers end them ('<!-->'), so nothing hides from the checks.
    return BeautifulSoup(as_browsers_read(path.read_text(encoding="utf-8", errors="replace")), "html.parser")


def structure(page: str, soup) -> list[Finding]:
    out = []
    main = soup.find("main") or soup.body or soup
    h1s = soup.find_all("h1")
    if len(h1s) != 1:
        out.append(Finding(page, "structure", "one-h1",
                           f"The page has {len(h1s)} main headings (h1). A page needs exactly 1, so people "
                           "and screen readers know what it is about.",
                           "Keep one h1 with the page's title; make any others h2." if h1s else
                           "Give the page a title: in a content page, set 'title' in its details.",
                           snippet(h1s[1]) if len(h1s) > 1 else ""))
    last = 0
    for h in soup.find_all(re.compile(r"^h[1-6]$")):
        level = int(h.name[1])
        if last and level > last + 1:
            out.append(Finding(page, "structure", "heading-skip",
                               f"The heading '{h.get_text(' ', strip=True)[:60]}' is an h{level} straight after an "
                               f"h{last}: a level is skipped, so the page's outline has a gap.",
                               f"Make it an h{last + 1} (in Markdown, {'#' * (last + 1)} ), or add the missing "
                               "heading above it.", snippet(h)))
        last = level
    ids = {}
    for el in soup.find_all(id=True):
        ids.setdefault(el["id"], []).append(el)
    for value, els in ids.items():
        if len(els) > 1:
            out.append(Finding(page, "structure", "duplicate-id",
                               f"The id '{value}' is used {len(els)} times. Links and screen readers can only "
                               "find the first.", "Give each element its own id.", snippet(els[1])))
    for img in soup.find_all("img"):
        if not img.has_attr("alt"):
            out.append(Finding(page, "structure", "img-alt",
                               "A picture has no alt text, so people who cannot see it do not know what it shows.",
                               "Add alt text that says what the picture shows, or alt=\"\" if it is only decoration.",
                               snippet(img)))
    for a in main.find_all("a", href=True):
        text = " ".join((a.get_text(" ", strip=True) or a.get("aria-label", "")).split()).lower().strip(".")
        if not text and not a.find("img", alt=True):
            continue  # empty links are axe's link-name rule
        if text in VAGUE:
            out.append(Finding(page, "structure", "vague-link",
                               f"The link text '{text}' does not say where the link goes. Screen reader users "
                               "often hear links on their own, out of context.",
                               "Use words that make sense on their own, like 'how to make a complaint'.",
                               snippet(a)))
    return out


def links(site: Path, path: Path, page: str, soup, anchors_of) -> list[Finding]:
    """Every link, script, stylesheet, picture and audio file in the page points at something real."""
    out = []
    refs = [(el, "href") for el in soup.find_all(["a", "link"], href=True)] + \
           [(el, "src") for el in soup.find_all(["img", "script", "audio", "source", "track", "iframe"], src=True)]
    for el, attr in refs:
        url = el[attr].strip()
        parsed = urlparse(url)
        if parsed.scheme or url.startswith(("//", "mailto:", "tel:", "javascript:", "data:")):
            continue
        if el.name == "link" and "canonical" in (el.get("rel") or []):
            continue
        if parsed.path.startswith("/"):  # from the top of the site
            target = (site / unquote(parsed.path).lstrip("/")).resolve()
        else:
            target = (path.parent / unquote(parsed.path)).resolve() if parsed.path else path
        if parsed.path and target.is_dir():
            target = target / "index.html"
        if parsed.path and not target.exists():
            out.append(Finding(page, "links", "broken-link",
                               f"The link to '{url}' goes to something that does not exist.",
                               "Fix the address, or remove the link. For a page, link to its .md file.",
                               snippet(el)))
            continue
        if parsed.fragment and target.suffix == ".html":
            if parsed.fragment not in anchors_of(target):
                out.append(Finding(page, "links", "broken-anchor",
                                   f"The link to '{url}' goes to a place on the page ('#{parsed.fragment}') "
                                   "that does not exist.", "Link to a heading that is on that page.", snippet(el)))
    return out


def check_html(site: Path, pages: list[Path]) -> list[Finding]:
    cache: dict[Path, set] = {}

    def anchors_of(path: Path) -> set:
        if path not in cache:
            soup = load(path)
            cache[path] = {el["id"] for el in soup.find_all(id=True)} | {el["name"] for el in soup.find_all(attrs={"name": True})}
        return cache[path]

    findings = check_stylesheets(site)
    for path in pages:
        page = path.relative_to(site).as_posix()
        soup = load(path)
        findings += check_safety(page, soup)
        findings += structure(page, soup)
        findings += static_checks(page, soup)
        findings += links(site, path, page, soup, anchors_of)
    return findings
