"""A build with nothing changed stops early: the site already is the build of exactly these inputs.
Anything that could change the site (a page, the settings, the date, a file in the site touched by
hand) means a full build, and `--force` always builds."""
from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

from conftest import set_option

from clearinfo import uptodate

NOTHING = "Nothing has changed since the last build"
FULL = "Time taken:"


def _mtimes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


def test_a_build_with_nothing_changed_stops_early_and_anything_changed_builds(project, run, monkeypatch):
    cfg = project / "mkdocs.yml"
    site = project / "site"
    page = project / "content" / "getting-care-and-support.md"
    # An overdue review: a warning, which a build with nothing changed must show again.
    text = page.read_text()
    due = next(line for line in text.splitlines() if line.startswith("review_due:"))
    last = next(line for line in text.splitlines() if line.startswith("last_reviewed:"))
    page.write_text(text.replace(due, "review_due: 2020-01-01").replace(last, "last_reviewed: 2019-01-01"))

    code, out, err = run("build", "-f", cfg)
    assert code == 0, err
    assert FULL in out and NOTHING not in out
    warning = next(line for line in (out + err).splitlines() if line.startswith("Warning:") and "getting-care-and-support.md" in line)
    before = _mtimes(site)

    code, out, err = run("build", "-f", cfg)
    assert code == 0, err
    assert NOTHING in out and FULL not in out
    assert warning in out  # the last build's warning, shown again
    assert _mtimes(site) == before  # not one file written

    # --strict counts warnings as errors: it is a different build, so it runs, and fails.
    code, out, err = run("build", "-f", cfg, "--strict")
    assert code == 1 and NOTHING not in out
    assert _mtimes(site) == before  # a failed build leaves the site as it was

    # A file in the site changed by hand: built again, and the change is gone.
    index = site / "index.html"
    index.write_text(index.read_text() + "<!-- edited by hand -->")
    code, out, err = run("build", "-f", cfg)
    assert code == 0 and FULL in out, err
    assert "edited by hand" not in index.read_text()

    # A page's words changed: built again, with the new words.
    page.write_text(page.read_text().replace("## ", "## Brand new heading words\n\n## ", 1))
    code, out, err = run("build", "-f", cfg)
    assert code == 0 and FULL in out, err
    assert "Brand new heading words" in (site / "getting-care-and-support" / "index.html").read_text()
    code, out, err = run("build", "-f", cfg)
    assert NOTHING in out

    # A setting changed: built again.
    set_option(project, "summary_max_words: 49")
    code, out, err = run("build", "-f", cfg)
    assert code == 0 and FULL in out, err

    # The date the build writes changed (SOURCE_DATE_EPOCH): built again.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    code, out, err = run("build", "-f", cfg)
    assert code == 0 and FULL in out, err
    code, out, err = run("build", "-f", cfg)
    assert NOTHING in out

    # --force always builds.
    code, out, err = run("build", "-f", cfg, "--force")
    assert code == 0 and FULL in out, err

    # Another site folder is another build.
    code, out, err = run("build", "-f", cfg, "-d", project / "elsewhere")
    assert code == 0 and FULL in out, err
    assert (project / "elsewhere" / "index.html").exists()


# --- The fingerprint, without building ------------------------------------------------------------

def _project(tmp_path: Path) -> SimpleNamespace:
    root = tmp_path / "p"
    for rel, words in {"mkdocs.yml": "site_name: x\n", "content/a.md": "# A\n", "site/index.html": "old",
                       ".cache/clearinfo/x.pdf": "pdf", ".git/HEAD": "ref: refs/heads/main\n",
                       ".git/refs/heads/main": "abc\n", "site_overrides/main.html": "{{ page }}"}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(words)
    return SimpleNamespace(root=root, cache_dir=root / ".cache" / "clearinfo", vendor_dir=root / ".vendor")


def test_the_fingerprint_sees_each_input_and_not_the_outputs(tmp_path):
    p = _project(tmp_path)
    site = p.root / "site"
    first = uptodate.fingerprint(p, site, {"strict": False})
    assert uptodate.fingerprint(p, site, {"strict": False}) == first  # the same inputs, the same answer

    # Outputs and caches are not inputs.
    (site / "index.html").write_text("new")
    (p.cache_dir / "y.mp3").write_text("mp3")
    assert uptodate.fingerprint(p, site, {"strict": False}) == first

    # Touching a file without changing its words changes nothing (the words are compared).
    os.utime(p.root / "content" / "a.md", (1, 1))
    assert uptodate.fingerprint(p, site, {"strict": False}) == first

    changes = [
        lambda: (p.root / "content" / "a.md").write_text("# A, changed\n"),
        lambda: (p.root / "content" / "b.md").write_text("# B\n"),
        lambda: (p.root / "site_overrides" / "main.html").write_text("{{ page }}!"),
        lambda: (p.root / ".git" / "refs" / "heads" / "main").write_text("def\n"),  # a new commit
    ]
    seen = {first}
    for change in changes:
        change()
        now = uptodate.fingerprint(p, site, {"strict": False})
        assert now not in seen
        seen.add(now)
    assert uptodate.fingerprint(p, site, {"strict": True}) not in seen  # the build's options count too


def test_a_record_only_counts_for_the_same_inputs_and_an_untouched_site(tmp_path):
    p = _project(tmp_path)
    site = p.root / "site"
    inputs = uptodate.fingerprint(p, site, {})
    assert uptodate.last_build(p, site, inputs) is None  # no record yet
    uptodate.remember(p, site, inputs, 3, ["Warning: content/a.md, line 2: a warning"])
    record = uptodate.last_build(p, site, inputs)
    assert record["pages"] == 3 and record["warnings"] == ["Warning: content/a.md, line 2: a warning"]
    assert uptodate.last_build(p, site, "other inputs") is None
    (site / "extra.html").write_text("added by hand")
    assert uptodate.last_build(p, site, inputs) is None
    (site / "extra.html").unlink()
    assert uptodate.last_build(p, site, inputs) is not None
    (p.cache_dir / uptodate.RECORD_DIR).joinpath(next(iter(
        x.name for x in (p.cache_dir / uptodate.RECORD_DIR).iterdir()))).write_text("not json")
    assert uptodate.last_build(p, site, inputs) is None  # a broken record means: build
