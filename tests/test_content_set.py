"""The bundled content: complete, honestly sourced, plain, and covering every Care Act 'must' duty."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from clearinfo.content.duties import coverage, load_duties
from clearinfo.content.glossary import Glossary, Term, link_first_uses, load_glossary
from clearinfo.content.references import References
from clearinfo.lint.readability import measure
from clearinfo.project import Project
from conftest import ROOT

TOPICS = ["index.md", "getting-care-and-support.md", "needs-assessment.md", "support-for-carers.md",
          "paying-for-care.md", "personal-budgets.md", "advocacy.md", "safeguarding.md", "mental-capacity.md",
          "complaints.md", "provider-closes.md", "getting-involved.md", "community-and-housing.md",
          "information-formats.md", "words-we-use.md", "about-this-information.md", "accessibility.md",
          "health-benefits-work.md", "suggest-a-change.md", "care-step-by-step.md"]
# The example translations (Welsh and Urdu) of two topics.
TRANSLATIONS = ["getting-care-and-support-cy.md", "getting-care-and-support-ur.md", "safeguarding-cy.md",
                "safeguarding-ur.md"]


@pytest.fixture(scope="module")
def checked():
    project = Project.load(ROOT / "mkdocs.yml")
    pages, problems = project.check_content()
    return project, pages, problems


def test_every_bundled_page_has_valid_details(checked):
    project, pages, problems = checked
    assert [str(p) for p in problems if p.is_error] == []
    assert sorted(p.rel for p in pages) == sorted(TOPICS + TRANSLATIONS)


def test_every_topic_is_built(built_site):
    for topic in TOPICS + TRANSLATIONS:
        path = built_site / ("index.html" if topic == "index.md" else topic[:-3] + "/index.html")
        assert path.exists(), topic


def test_every_page_says_what_it_was_written_from(checked):
    project, pages, _ = checked
    refs = References.load(project.content_dir / "references.yml")
    for page in pages:
        assert page.meta["sources"], page.rel
        for source in page.meta["sources"]:
            assert refs.check(source) is None, (page.rel, source)


def test_reference_index_matches_the_documents():
    """references.yml records each document's length and hash; where the documents are here, they agree."""
    refs = References.load(ROOT / "content" / "references.yml")
    if refs.folder is None or not refs.folder.is_dir():
        pytest.skip(f"the reference documents are not on this machine ({refs.folder})")
    for name, doc in refs.documents.items():
        data = (refs.folder / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == doc["sha256"], name
        text = data.decode()
        assert text.count("\n") + (0 if text.endswith("\n") else 1) == doc["lines"], name


def test_every_must_duty_is_covered(checked):
    project, pages, _ = checked
    duties = load_duties(project.content_dir / "duties.yml")
    musts = [d for d in duties if d.level == "must"]
    assert len(musts) >= 10
    covered = coverage(pages, duties)
    assert [d.id for d in musts if not covered[d.id]] == []


def test_every_duty_is_covered_and_an_uncovered_one_is_warned_about(checked, project):
    root, pages, problems = checked
    duties = load_duties(root.content_dir / "duties.yml")
    assert [d.id for d in duties if not coverage(pages, duties)[d.id]] == []
    assert not [p for p in problems if "no published page covers" in p.message]
    # The small test project has only 4 pages, so most duties are not covered there.
    small = Project.load(project / "mkdocs.yml")
    small_pages, small_problems = small.check_content()
    uncovered = [d.id for d in duties if not coverage(small_pages, duties)[d.id]]
    warned = [p.message for p in small_problems if not p.is_error and "no published page covers" in p.message]
    assert uncovered and len(warned) == len(uncovered)
    for duty_id in uncovered:
        assert any(f"'{duty_id}'" in w for w in warned)


def test_coverage_page_lists_every_duty(built_site, checked):
    project, pages, _ = checked
    soup = BeautifulSoup((built_site / "coverage" / "index.html").read_text(), "html.parser")
    rows = {tr.find_all("td")[0].get_text(strip=True): tr.find_all("td")[1].get_text(" ", strip=True)
            for tr in soup.select("main table tr") if tr.find_all("td")}
    duties = load_duties(project.content_dir / "duties.yml")
    covered = coverage(pages, duties)
    for d in duties:
        assert d.what in rows
        expected = [p.meta["title"] for p in covered[d.id]] or ["Not covered yet"]
        for title in expected:
            assert title in rows[d.what]
    musts = sum(1 for d in duties if d.level == "must")
    assert f"We meet {musts} of the {musts} duties we must meet." in soup.main.get_text()


def test_no_local_details_written_into_pages():
    """Phone numbers, emails, postcodes and the source councils' names come only from settings."""
    patterns = {
        "phone number": r"\b0\d{2,4}[ -]?\d{3}[ -]?\d{3,4}\b",
        "email address": r"[\w.+-]+@[\w-]+\.[\w.]+",
        "postcode": r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b",
        "web address": r"https?://",
        "a source council's name": r"Knowsley|Coventry",
    }
    for md in (ROOT / "content").glob("*.md"):
        body = md.read_text().split("---", 2)[2]
        for what, pattern in patterns.items():
            assert not re.search(pattern, body), f"{md.name} has a {what}: use a {{{{ council.* }}}} setting"


def test_pages_are_plain_english(checked):
    """Reading ease measured on every page; the note on issue 3 lists the figures."""
    _, pages, _ = checked
    scores = {p.rel: measure(p.body) for p in pages}
    for rel, r in scores.items():
        assert r.reading_ease >= 65, (rel, r)  # 60-70 is "plain English"; we aim well above it
        assert r.reading_age <= 12, (rel, r)
    assert sum(r.reading_ease for r in scores.values()) / len(scores) >= 75


# --- Glossary ---------------------------------------------------------------------------------

def test_bundled_glossary_is_complete_and_clean():
    glossary, problems = load_glossary(ROOT / "content" / "glossary.yml", "content/glossary.yml",
                                       References.load(ROOT / "content" / "references.yml"))
    assert [str(p) for p in problems] == []
    assert len(glossary.terms) >= 60
    for t in glossary.terms:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", t.meaning) if s]
        assert 1 <= len(sentences) <= 2, t.term
        assert t.sources, t.term


def test_words_we_use_page_shows_every_term(built_site):
    glossary, _ = load_glossary(ROOT / "content" / "glossary.yml", "g", References({}))
    soup = BeautifulSoup((built_site / "words-we-use" / "index.html").read_text(), "html.parser")
    for t in glossary.terms:
        entry = soup.find(id=t.slug)
        assert entry is not None, t.term
        assert entry.dt.get_text().startswith(t.term)
        assert entry.dd.get_text() == t.meaning


def test_first_use_of_a_term_links_to_its_meaning(built_site):
    soup = BeautifulSoup((built_site / "advocacy" / "index.html").read_text(), "html.parser")
    links = soup.main.select("a.ci-term")
    assert links
    targets = [a["href"] for a in links]
    assert len(targets) == len(set(targets)), "only the first use of each word is linked"
    assert all(h.startswith("../words-we-use/#") for h in targets)
    glossary_page = BeautifulSoup((built_site / "words-we-use" / "index.html").read_text(), "html.parser")
    for href in targets:
        assert glossary_page.find(id=href.split("#")[1]), href
    for a in links:
        assert not a.find_parent(["h1", "h2", "h3", "a"])


def _glossary(*terms):
    return Glossary([Term(term=t, meaning="m", slug=t.lower().replace(" ", "-"), line=1) for t in terms])


def test_linking_rules():
    g = _glossary("Care and support", "Care and support plan", "Carer")
    html = ("<h2>Carer</h2><p>Your care and support plan says what care and support you get.</p>"
            "<p>A carer helps. Another carer.</p><p><a href='x'>carer</a> <code>carer</code></p>")
    out = link_first_uses(html, g, "../words/")
    assert "<h2>Carer</h2>" in out  # never inside headings
    assert '<a class="ci-term" href="../words/#care-and-support-plan">care and support plan</a>' in out
    assert '<a class="ci-term" href="../words/#care-and-support">care and support</a> you get' in out
    assert out.count('href="../words/#carer"') == 1
    assert "<code>carer</code>" in out
    assert "ci-term" not in link_first_uses("<p>carers</p>", g, "w/")  # whole words only, as written


def test_a_term_defined_twice_fails_the_build(project, run):
    (project / "content" / "glossary.yml").write_text(
        "terms:\n"
        "  - term: Advocate\n"
        "    also: [advocacy]\n"
        "    meaning: Someone who speaks up for you.\n"
        "  - term: Advocacy\n"
        "    meaning: Speaking up for someone.\n")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert ("Error: content/glossary.yml, line 5: the term is already in the glossary (line 2, under "
            "'Advocate'). Each word can be explained only once: keep one and delete the other.\n") in err


def test_a_glossary_entry_without_meaning(project, run):
    (project / "content" / "glossary.yml").write_text("terms:\n  - term: Advocate\n")
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert ("Error: content/glossary.yml, line 2: 'Advocate' has no 'meaning'. "
            "Explain it in 1 or 2 plain sentences.\n") in err


def test_duties_are_listed_with_stable_unique_ids():
    text = (ROOT / "content" / "duties.yml").read_text()
    ids = re.findall(r"^  ([a-z-]+):$", text, re.M)
    assert len(ids) == len(set(ids))
    data = yaml.safe_load(text)["duties"]
    assert set(ids) == set(data)
    for duty in data.values():
        assert duty["level"] in ("must", "should")
        assert duty["sources"]


@pytest.mark.parametrize("name,text,message", [
    ("duties.yml", "duties:\n  x: [unclosed\n",
     "content/duties.yml, line 3: this file could not be read (expected ',' or ']', but got '<stream end>'). "
     "Check the indentation, and put text that has a colon in quotes."),
    ("duties.yml", "duties:\n  - safeguarding\n",
     "content/duties.yml: this file must start with 'duties:', with each entry's name indented under it and "
     "its details indented under the name."),
    ("references.yml", "documents: [\n",
     "content/references.yml, line 2: this file could not be read (expected the node content, but found "
     "'<stream end>'). Check the indentation, and put text that has a colon in quotes."),
], ids=["duties not YAML", "duties as a list", "references not YAML"])
def test_a_data_file_that_cannot_be_read_is_explained(project, run, name, text, message):
    (project / "content" / name).write_text(text)
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 1
    assert f"Error: {message}" in err
    assert "Traceback" not in err
