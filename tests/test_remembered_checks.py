"""The plain-language check remembers its answers in the cache: a page whose words, name and settings
did not change is not measured again, and the answer given is the same as measuring it would give."""
from __future__ import annotations

from clearinfo.lint import plain_language
from clearinfo.project import Project


def _checked(project, monkeypatch):
    measured = []
    real = plain_language.check_plain_language

    def counting(page, shown, *args):
        measured.append(shown)
        return real(page, shown, *args)
    monkeypatch.setattr(plain_language, "check_plain_language", counting)
    _, problems = Project.load(project / "mkdocs.yml").check_content()
    return sorted(measured), sorted(str(p) for p in problems)


def test_an_unchanged_page_is_not_measured_again_and_says_the_same(project, monkeypatch, own_cache):
    index = project / "content" / "index.md"  # the bundled pages have no hints to give: plant one
    index.write_text(index.read_text() + "\nThe help that we give to people who ask us is planned with them and with "
                     "the people who matter to them, and it is changed when what they need changes.\n")
    first_measured, first = _checked(project, monkeypatch)
    assert len(first_measured) >= 3 and any("passive voice" in p or "words" in p for p in first)
    again_measured, again = _checked(project, monkeypatch)
    assert again_measured == [] and again == first  # remembered, word for word

    page = project / "content" / "getting-care-and-support.md"
    page.write_text(page.read_text().replace("\n\n", "\n\nThe form was filled in by the team.\n\n", 1))
    edited_measured, edited = _checked(project, monkeypatch)
    assert edited_measured == ["content/getting-care-and-support.md"]
    assert any("getting-care-and-support.md" in p and "'was filled' may be passive voice" in p for p in edited)

    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("      review_months: 12\n",
                                                 "      review_months: 12\n      max_sentence_words: 12\n", 1))
    stricter_measured, stricter = _checked(project, monkeypatch)
    assert stricter_measured == first_measured  # a changed setting: every page measured again
    assert len(stricter) > len(edited)


def test_a_cache_that_cannot_be_written_is_skipped(project, monkeypatch):
    blocked = project / "blocked"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("CLEARINFO_CACHE_DIR", str(blocked / "cache"))
    measured, problems = _checked(project, monkeypatch)
    assert measured and problems  # checked all the same, with no traceback
