"""Translations kept in step with their English page, and the page in its own language: lang, dir and
hreflang; the theme's words; the notice when the English changed; `clearinfo translations`."""
from __future__ import annotations

import contextlib
import io
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from clearinfo import cli
from clearinfo.content.translations import text_version, with_version, words_version
from clearinfo.theme.catalogue import THEME_WORDS, load_words, missing_words
from conftest import make_project, set_option

ROOT = Path(__file__).resolve().parents[1]


# --- Pure parts ----------------------------------------------------------------------------------

def test_the_version_is_of_the_words_only():
    assert words_version("Hello  there.\n\nBye.") == words_version("Hello there. Bye.")
    assert words_version("Hello there.") != words_version("Hello, there.")
    page = "---\ntitle: A\nreview_due: 2027-01-01\n---\n\nHello there.\n"
    assert text_version(page) == text_version(page.replace("2027-01-01", "2028-01-01")) == words_version("Hello there.")


def test_update_writes_one_line_and_keeps_every_other_byte():
    text = "---\r\ntitle: Y\r\nlanguage: cy\r\ntranslation_of: a.md\r\nstatus: draft\r\n---\r\n\r\nGeiriau.\r\n"
    added = with_version(text, "0123456789ab")
    assert added == text.replace("translation_of: a.md\r\n", "translation_of: a.md\r\ntranslated_from: 0123456789ab\r\n")
    assert with_version(added, "ba9876543210") == added.replace("0123456789ab", "ba9876543210")
    assert with_version("---\ntitle: English\n---\n\nWords.\n", "0123456789ab") is None  # not a translation


def test_every_theme_word_in_the_templates_is_listed_and_the_bundled_languages_have_them_all():
    used = set()
    for path in (ROOT / "site_overrides").rglob("*.html"):
        used |= set(re.findall(r"""(?<![.\w])t\(\s*["']([^"']+)["']\s*\)""", path.read_text()))
    assert used - set(THEME_WORDS) - {"..."} == set()  # '...': a comment's example
    assert "Quick read" in used
    for code in ("cy", "ur"):
        words, problems = load_words(code)
        assert problems == [] and missing_words(words, None) is None
        assert words.t("Quick read") != "Quick read"


def test_a_language_missing_some_words_is_one_warning_naming_each(tmp_path):
    (tmp_path / "cy.yml").write_text('"Quick read": "Darllen cyflym"\n')
    words, problems = load_words("cy", tmp_path)
    assert words.t("Quick read") == "Darllen cyflym" and problems == []
    complete = missing_words(words, tmp_path)
    assert complete is None  # the bundled Welsh has the rest
    words, _ = load_words("pl", tmp_path)
    (tmp_path / "pl.yml").write_text('"Quick read": "Szybki przegląd"\n')
    words, _ = load_words("pl", tmp_path)
    warning = missing_words(words, tmp_path)
    assert warning is not None and not warning.is_error
    assert "'Other formats'" in warning.message and "'Quick read'" not in warning.message
    assert f"{len(THEME_WORDS) - 1} of the theme's words have no Polish translation" in warning.message


# --- A site with a Welsh and an Urdu translation, in git -----------------------------------------

def clearinfo(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": "2026-03-01T12:00:00",
                        "GIT_COMMITTER_DATE": "2026-03-01T12:00:00", "PATH": "/usr/bin:/bin"})


def translation(project: Path, code: str, title: str) -> Path:
    text = (project / "content" / "accessibility.md").read_text()
    text = text.replace("audio: true", f"audio: true\nlanguage: {code}\ntranslation_of: accessibility.md\n"
                                       "translation_status: example", 1)
    text = re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
    path = project / "content" / f"accessibility-{code}.md"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("translations") / "project")
    set_option(project, "audio: false")  # the voices are tested below, without speaking a whole site
    translation(project, "cy", "Datganiad hygyrchedd")
    translation(project, "ur", "رسائی کا بیان")
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "First")
    return project


def soup(project: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((project / "site" / page / "index.html").read_text(), "html.parser")


def test_a_translation_is_marked_with_its_language_and_linked_both_ways(site):
    code, out, err = clearinfo("build", "-f", site / "mkdocs.yml")
    assert code == 0, err
    assert "this translation does not say which version of content/accessibility.md" in out + err
    welsh, urdu, english = (soup(site, p) for p in ("accessibility-cy", "accessibility-ur", "accessibility"))
    assert (welsh.html["lang"], welsh.body["dir"]) == ("cy", "ltr")
    assert (urdu.html["lang"], urdu.body["dir"]) == ("ur", "rtl")
    assert (english.html["lang"], english.body["dir"]) == ("en-GB", "ltr")
    expected = {"en-GB": "https://care.example.org/accessibility/", "cy": "https://care.example.org/accessibility-cy/",
                "ur": "https://care.example.org/accessibility-ur/", "x-default": "https://care.example.org/accessibility/"}
    for page in (welsh, urdu, english):
        assert {l["hreflang"]: l["href"] for l in page.select("link[rel=alternate][hreflang]")} == expected
    assert soup(site, "getting-care-and-support").select("link[hreflang]") == []
    # The language list: each language named in itself, the current one not a link.
    links = {a["hreflang"]: a for a in welsh.select(".ci-languages a")}
    assert links["ur"].get_text() == "اردو" and links["ur"]["lang"] == "ur" and links["ur"]["dir"] == "rtl"
    assert links["en-GB"].get_text() == "English" and links["en-GB"]["href"] == "../accessibility/"
    assert welsh.select_one(".ci-languages [aria-current=page]").get_text() == "Cymraeg"
    assert welsh.select_one(".ci-languages__title").get_text() == "Y dudalen hon mewn ieithoedd eraill"


def test_the_furniture_is_in_the_page_language_and_the_english_parts_are_marked(site):
    welsh, urdu = soup(site, "accessibility-cy"), soup(site, "accessibility-ur")
    assert welsh.select_one(".ci-summary__title").get_text() == "Darllen cyflym"
    assert welsh.select_one(".md-skip").get_text() == "Neidio i'r prif gynnwys"
    assert welsh.select_one(".md-search__input")["placeholder"] == "Chwilio'r wefan hon"
    assert welsh.select_one(".ci-feedback__title").get_text() == "Oedd y dudalen hon yn ddefnyddiol?"
    assert re.search(r"\d+ (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr) "
                     r"\d{4}", welsh.select_one(".ci-page-info time").get_text())
    assert urdu.select_one(".ci-summary__title").get_text() == "مختصر خلاصہ"
    for page in (welsh, urdu):  # the English menu and council details say they are English
        assert page.select_one(".md-sidebar--primary")["lang"] == "en-GB"
        assert page.select_one(".ci-header__home")["lang"] == "en-GB"
        assert page.select_one(".ci-footer__title span")["lang"] == "en-GB"
    # An example translation says so, in its language and in English.
    notes = [p.get_text() for p in welsh.select(".ci-translation__example")]
    assert notes == ["Cyfieithiad enghreifftiol yw hwn. Rhaid i gyfieithydd cymwys ei wirio cyn ei ddefnyddio.",
                     "This is an example translation. A qualified translator must check it before it is used."]
    assert welsh.select(".ci-translation__example")[1]["lang"] == "en-GB"
    assert welsh.select_one(".ci-translation__notice") is None  # not out of date
    english = soup(site, "accessibility")
    assert english.select_one(".ci-summary__title").get_text() == "Quick read" and english.select_one(".ci-translation") is None


def test_editing_the_english_marks_the_translation_out_of_date_until_it_is_updated(site):
    code, out, err = clearinfo("translations", "-f", site / "mkdocs.yml", "update", "content/accessibility.md")
    assert code == 0, err
    assert "content/accessibility-cy.md: recorded that it is up to date with content/accessibility.md" in out
    git(site, "commit", "-q", "-am", "Translations checked")
    english = site / "content" / "accessibility.md"
    english.write_text(english.read_text() + "\nWe added a sentence to the English page.\n")
    git(site, "commit", "-q", "-am", "A new sentence")
    code, out, err = clearinfo("translations", "-f", site / "mkdocs.yml")
    assert code == 0 and "content/accessibility-cy.md" in out and "out of date (the English changed on 2026-03-01)" in out
    code, out, err = clearinfo("translations", "-f", site / "mkdocs.yml", "--markdown")
    assert "| `content/accessibility-ur.md` | Urdu (ur) | `content/accessibility.md` | example | **out of date" in out

    code, out, err = clearinfo("build", "-f", site / "mkdocs.yml")
    assert code == 0, err
    line = (site / "content" / "accessibility-cy.md").read_text().splitlines().index(
        next(x for x in (site / "content" / "accessibility-cy.md").read_text().splitlines()
             if x.startswith("translated_from:"))) + 1
    assert (f"Warning: content/accessibility-cy.md, line {line}: the English page content/accessibility.md changed on "
            "2026-03-01 after this translation was checked against it") in out + err
    assert "clearinfo translations update content/accessibility-cy.md" in out + err
    notice = soup(site, "accessibility-cy").select_one(".ci-translation__notice")
    assert " ".join(notice.get_text().split()).startswith(
        "Newidiodd y fersiwn Saesneg o'r dudalen hon ar 1 Mawrth 2026. Efallai nad yw'r cyfieithiad hwn yn gyfredol.")
    assert notice.select_one("a")["href"] == "../accessibility/"
    assert "1 مارچ 2026" in soup(site, "accessibility-ur").select_one(".ci-translation__notice").get_text()

    # The setting makes it an error, for the build and for the list.
    config = (site / "mkdocs.yml").read_text()
    set_option(site, "translations_out_of_date: error")
    try:
        assert clearinfo("translations", "-f", site / "mkdocs.yml")[0] == 1
        code, out, err = clearinfo("build", "-f", site / "mkdocs.yml", "--check-only")
        assert code == 1 and "Error: content/accessibility-cy.md" in out + err
    finally:
        (site / "mkdocs.yml").write_text(config)

    code, out, err = clearinfo("translations", "-f", site / "mkdocs.yml", "update", "content/accessibility-cy.md")
    assert code == 0 and "accessibility-ur" not in out
    code, out, err = clearinfo("build", "-f", site / "mkdocs.yml")
    assert code == 0
    assert soup(site, "accessibility-cy").select_one(".ci-translation__notice") is None
    assert soup(site, "accessibility-ur").select_one(".ci-translation__notice") is not None


def test_translation_details_are_checked(tmp_path):
    project = make_project(tmp_path / "project")
    path = translation(project, "cy", "Datganiad")
    path.write_text(path.read_text().replace("translation_status: example", "translation_status: finished\n"
                                             "translated_from: yesterday"))
    code, out, err = clearinfo("build", "-f", project / "mkdocs.yml", "--check-only")
    assert code == 1
    assert "'translation_status' must be 'example'" in out + err and "not 'finished'" in out + err
    assert "'translated_from' is 'yesterday', which is not a version Clearinfo wrote" in out + err


def test_each_language_is_spoken_in_its_own_voice():
    """A Welsh page's audio uses espeak-ng's Welsh voice, an Urdu page's the Urdu one (the page's
    'language' picks the voice: pipeline/audio.py, formats/audio.py pick_voice)."""
    pyttsx3 = pytest.importorskip("pyttsx3")
    from clearinfo.formats.audio import Voice, pick_voice
    from clearinfo.pipeline.audio import AudioStep
    from clearinfo.project import Project
    project = Project.load(ROOT / "mkdocs.yml")
    step = AudioStep(project, project.glossary()[0], lambda *_: None)
    engine = pyttsx3.init()
    voices = {v.id: v for v in engine.getProperty("voices")}
    for code, name in (("cy", "Welsh"), ("ur", "Urdu")):
        step.keep(f"page-{code}.md", f"page-{code}/", "Title", "Summary.", "<p>Words.</p>", True, code)
        job, _ = step.jobs[f"page-{code}.md"]
        assert job.voice.language == code
        chosen = voices[pick_voice(engine, job.voice)]
        assert chosen.name == name and any(str(l).lower().lstrip("\x05") == code for l in chosen.languages)
    step.keep("page.md", "page/", "Title", "Summary.", "<p>Words.</p>", True, None)
    assert step.jobs["page.md"][0].voice.language == "en-gb"
