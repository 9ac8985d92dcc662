"""What a resident gets, read from the built HTML of the bundled site."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup

from clearinfo.content.pages import split_front_matter
from conftest import ROOT, words_for


def council_settings() -> dict:
    text = (ROOT / "mkdocs.yml").read_text()
    return yaml.load(text, Loader=yaml.BaseLoader)["extra"]["council"]


def pages(site: Path):
    return sorted(p for p in site.rglob("*.html"))


def content_pages():
    """(Markdown source, its front matter) for every published page."""
    out = []
    for md in sorted((ROOT / "content").glob("*.md")):
        meta = yaml.safe_load(split_front_matter(md.read_text())[0])
        if meta["status"] != "draft":
            out.append((md, meta))
    return out


def html_for(site: Path, md: Path) -> BeautifulSoup:
    name = md.stem
    path = site / "index.html" if name == "index" else site / name / "index.html"
    return BeautifulSoup(path.read_text(), "html.parser")


def test_every_page_is_british_english(built_site):
    """Every page is British English, but a translation, which is in its own language."""
    translations = {md.stem: meta["language"] for md, meta in content_pages() if meta.get("translation_of")}
    assert set(translations.values()) == {"cy", "ur"}  # the bundled examples
    for page in pages(built_site):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        assert soup.html["lang"] == translations.get(page.parent.name, "en-GB"), page


def test_skip_link_is_first_and_targets_main(built_site):
    for md, _ in content_pages():
        soup = html_for(built_site, md)
        first_link = soup.body.find("a")
        assert first_link["href"] == "#main-content"
        assert first_link.get_text(strip=True) == words_for(soup)("Skip to main content")
        mains = soup.find_all("main")
        assert len(mains) == 1, md
        assert mains[0]["id"] == "main-content"


def test_landmarks_and_one_h1(built_site):
    for md, meta in content_pages():
        soup = html_for(built_site, md)
        assert len(soup.find_all("h1")) == 1, md
        assert soup.h1.get_text(strip=True) == meta["title"]
        assert soup.find("header") and soup.find("footer") and soup.find("nav")
        # The menu sits outside <main>, so skipping to main really skips it.
        assert not soup.main.select("nav.md-nav")


def test_summary_box_credits_and_review_dates(built_site):
    for md, meta in content_pages():
        soup = html_for(built_site, md)
        summary = soup.select_one(".ci-summary")
        t = words_for(soup)
        assert summary.h2.get_text(strip=True) == t("Quick read")
        assert " ".join(summary.p.get_text().split()) == " ".join(meta["summary"].split()) or "{{" in meta["summary"]
        info = {dt.get_text(strip=True): dd.get_text(" ", strip=True) for dt, dd in
                zip(soup.select(".ci-page-info dt"), soup.select(".ci-page-info dd"))}
        d = meta["last_reviewed"]
        assert info[t("Last reviewed")] == f"{d.day} {t(f'{d:%B}')} {d.year}"
        d = meta["review_due"]
        assert info[t("Next review")] == f"{d.day} {t(f'{d:%B}')} {d.year}"
        groups = council_settings().get("groups", {})  # a short name shows the group's name from the settings
        for group in meta["coproduced_with"]:
            assert groups.get(group, group) in info[t("Written with")]
        # An empty "Other formats" box is not shown.
        box = soup.select_one(".ci-formats")
        assert box is None or box.find("a")


def test_feedback_goes_to_the_configured_route_with_the_title(built_site):
    email = council_settings()["feedback"]["email"]
    for md, meta in content_pages():
        soup = html_for(built_site, md)
        link = soup.select_one(".ci-feedback a")
        assert link["href"].startswith(f"mailto:{email}?subject=")
        assert quote(f"Feedback on the page: {meta['title']}") in link["href"]


def test_footer_shows_the_councils_contact_details(built_site):
    council = council_settings()
    for page in pages(built_site):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        footer = soup.find("footer").get_text(" ", strip=True)
        for key in ("name", "phone", "textphone", "email", "opening_hours"):
            assert council[key] in footer, (page, key)
        for line in council["address"]:
            assert line in footer
        links = {a.get_text(strip=True) for a in soup.find("footer").find_all("a")}
        t = words_for(soup)
        assert {t("Accessibility statement"), t("Words we use")} <= links


def test_placeholders_are_filled_in(built_site):
    for page in pages(built_site):
        text = page.read_text()
        assert "{{" not in BeautifulSoup(text, "html.parser").get_text(), page
    home = (built_site / "index.html").read_text()
    assert council_settings()["phone"] in BeautifulSoup(home, "html.parser").main.get_text()


RESOURCE_ATTRS = {"script": ["src"], "link": ["href"], "img": ["src", "srcset"], "source": ["src", "srcset"],
                  "audio": ["src"], "video": ["src", "poster"], "iframe": ["src"], "embed": ["src"],
                  "object": ["data"], "track": ["src"], "input": ["src"]}


def _is_external(url: str) -> bool:
    parsed = urlparse(url.strip())
    return bool(parsed.scheme in ("http", "https") or url.strip().startswith("//"))


def test_nothing_loads_from_outside_the_site(built_site):
    """No script, stylesheet, font or image from a third party: a resident's browser calls nobody else."""
    for page in pages(built_site):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        for tag, attrs in RESOURCE_ATTRS.items():
            for el in soup.find_all(tag):
                if tag == "link" and not set(el.get("rel", [])) & {"stylesheet", "icon", "preload", "preconnect",
                                                                  "dns-prefetch", "modulepreload", "manifest"}:
                    continue
                for attr in attrs:
                    if el.get(attr):
                        assert not _is_external(el[attr]), (page, str(el)[:200])
        for style in soup.find_all(style=True):
            assert "url(" not in style["style"] or "http" not in style["style"], page
    for css in built_site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", css.read_text()):
            assert not _is_external(url.strip("'\"")), (css, url)
    assert "fonts.googleapis.com" not in "".join(p.read_text() for p in pages(built_site))


def test_fonts_are_self_hosted_with_their_licence(built_site):
    fonts = built_site / "assets" / "fonts"
    assert (fonts / "atkinson-hyperlegible-latin-400.woff2").stat().st_size > 10_000
    assert "SIL OPEN FONT LICENSE" in (fonts / "OFL-LICENSE.txt").read_text().upper()


def test_data_files_are_not_published(built_site):
    assert not list(built_site.rglob("*.yml"))


@pytest.mark.parametrize("page", ["index.html", "getting-care-and-support/index.html"])
def test_page_links_resolve(built_site, page):
    soup = BeautifulSoup((built_site / page).read_text(), "html.parser")
    for a in soup.select("main a[href]"):
        href = a["href"]
        if href.startswith(("mailto:", "tel:", "#", "http")):
            continue
        target = (built_site / page).parent / href.split("#")[0]
        assert target.exists() or (target / "index.html").exists(), href

