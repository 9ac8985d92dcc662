"""Pages in other languages: their words marked with their language (WCAG 3.1.1 and 3.1.2), and
translations linked both ways from the language list near the top of the page."""
from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from clearinfo.content.languages import is_right_to_left, language_name


def translate(project: Path, name: str, extra: str, title: str = "Deklaracja dostępności") -> Path:
    """A copy of the accessibility page with extra details, standing in for a translation."""
    text = (project / "content" / "accessibility.md").read_text()
    text = text.replace("audio: true", "audio: true\n" + extra, 1)
    text = re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
    path = project / "content" / name
    path.write_text(text)
    return path


def soup_of(project: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((project / "site" / page / "index.html").read_text(), "html.parser")


def test_a_page_in_another_language_marks_its_own_words(project, run):
    """WCAG 3.1.1 and 3.1.2: the page's words carry its language (and direction), so a screen reader
    switches voice. Polish has no list of the theme's words, so the furniture around them stays en-GB."""
    page = project / "content" / "accessibility.md"
    page.write_text(page.read_text().replace("audio: true", "audio: false\nlanguage: pl"))
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    assert "there is no list of the theme's words in Polish (pl)" in err
    soup = BeautifulSoup((project / "site" / "accessibility" / "index.html").read_text(), "html.parser")
    assert soup.html["lang"] == "en-GB"
    for part in (soup.select_one("h1"), soup.select_one(".ci-summary p"), soup.select_one(".ci-page-body")):
        assert part is not None and part["lang"] == "pl" and not part.has_attr("dir")
    assert not soup.select_one(".ci-summary h2").has_attr("lang")
    assert ".ci-page-body" not in str(soup.select_one(".ci-page-info"))
    other = BeautifulSoup((project / "site" / "index.html").read_text(), "html.parser")
    assert other.select_one(".ci-page-body") is None and not other.select_one("h1").has_attr("lang")
    pdf = next((project / "site" / "accessibility").glob("*large-print.pdf"))
    assert pypdf.PdfReader(pdf).trailer["/Root"]["/Lang"] == "pl"


def test_a_translation_and_its_page_link_to_each_other(project, run):
    translate(project, "accessibility-pl.md", "language: pl\ntranslation_of: accessibility.md")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    english = soup_of(project, "accessibility")
    link = english.select_one(".ci-languages a[hreflang=pl]")
    assert link is not None and link.get_text() == "Polski" and link["lang"] == "pl"
    assert link["href"] == "../accessibility-pl/"
    assert english.select_one(".ci-languages [aria-current=page]").get_text() == "English"
    polish = soup_of(project, "accessibility-pl")
    assert polish.select_one("h1")["lang"] == "pl" and polish.select_one("h1").get_text() == "Deklaracja dostępności"
    back = polish.select_one(".ci-languages a[hreflang=en-GB]")
    assert back is not None and back.get_text() == "English" and back["href"] == "../accessibility/"
    # The language list replaces Other formats' links to the translations: one place, not two.
    assert english.select_one(".ci-formats a[hreflang]") is None
    # The other pages are not touched.
    assert soup_of(project, "getting-care-and-support").select_one(".ci-languages") is None


def test_a_draft_translation_is_not_linked(project, run):
    path = translate(project, "accessibility-pl.md", "language: pl\ntranslation_of: accessibility.md")
    path.write_text(path.read_text().replace("status: approved", "status: draft"))
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    assert soup_of(project, "accessibility").select_one(".ci-languages") is None


BAD = {
    "no language": (
        "translation_of: accessibility.md",
        "line {line}: this page is a translation, so say its language too: add a line like 'language: pl' "
        "(the language's code)."),
    "no such page": (
        "language: pl\ntranslation_of: acessibility.md",
        "line {line}: 'translation_of' names 'acessibility.md', which is not another page. Write the file "
        "name of the English page this page translates, like complaints.md."),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_translation_mistakes_are_explained(project, run, case):
    extra, message = BAD[case]
    path = translate(project, "accessibility-pl.md", extra)
    line = path.read_text().splitlines().index(next(x for x in extra.splitlines() if "translation_of" in x)) + 1
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert f"Error: content/accessibility-pl.md, {message.format(line=line)}" in err


def test_a_translation_of_a_translation_or_a_second_one_is_explained(project, run):
    translate(project, "accessibility-pl.md", "language: pl\ntranslation_of: accessibility.md")
    again = translate(project, "accessibility-pl2.md", "language: pl\ntranslation_of: accessibility.md")
    deeper = translate(project, "accessibility-ro.md", "language: ro\ntranslation_of: accessibility-pl.md")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    line = again.read_text().splitlines().index("translation_of: accessibility.md") + 1
    assert (f"Error: content/accessibility-pl2.md, line {line}: content/accessibility-pl.md is already the Polish "
            "translation of accessibility.md. Keep one of them.") in err
    line = deeper.read_text().splitlines().index("translation_of: accessibility-pl.md") + 1
    assert (f"Error: content/accessibility-ro.md, line {line}: 'accessibility-pl.md' is itself a translation (of "
            "accessibility.md). Name the English page instead.") in err


def test_language_names_and_directions():
    assert language_name("pl") == ("Polish", "Polski")
    assert language_name("pa-Guru") == ("Punjabi", "ਪੰਜਾਬੀ")
    assert language_name("xx") == ("xx", "xx")
    assert is_right_to_left("ur") and is_right_to_left("ar-EG") and not is_right_to_left("pl")


def test_english_checks_and_glossary_links_are_for_english_pages_only(project, run):
    """Reading-ease formulas and the English glossary would give nonsense on Polish words."""
    path = translate(project, "accessibility-pl.md", "language: pl\ntranslation_of: accessibility.md")
    path.write_text(path.read_text() + "\nZadzwoń do nas, jeśli potrzebujesz pomocy z tą stroną internetową "
                    "albo z dostępem do informacji w innym formacie, a my postaramy się szybko odpowiedzieć.\n"
                    "\nYou can ask for an advocate.\n")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    # Only the translation's own warning (it is not checked against the English) names it.
    assert [line for line in out.splitlines() if "content/accessibility-pl.md" in line
            and "clearinfo translations update" not in line] == []
    assert soup_of(project, "accessibility-pl").select_one(".ci-page-body a.ci-term") is None
    assert soup_of(project, "getting-care-and-support").select_one("a.ci-term") is not None


def test_a_right_to_left_translation_link_is_written_right_to_left(project, run):
    translate(project, "accessibility-ur.md", "language: ur\ntranslation_of: accessibility.md", title="Accessibility")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    link = soup_of(project, "accessibility").select_one(".ci-languages a[hreflang=ur]")
    assert link.get_text() == "اردو" and link["dir"] == "rtl" and link["lang"] == "ur"
    assert not soup_of(project, "accessibility-ur").select_one(".ci-languages a[hreflang=en-GB]").has_attr("dir")


def test_a_mistake_in_the_english_page_is_not_blamed_on_its_translation(project, run):
    translate(project, "accessibility-pl.md", "language: pl\ntranslation_of: accessibility.md")
    english = project / "content" / "accessibility.md"
    english.write_text(re.sub(r"review_due: .*", "review_due: next spring", english.read_text()))
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert "content/accessibility.md" in err and "'review_due' must be a date" in err
    assert "content/accessibility-pl.md" not in err
