"""The gate split across machines: `clearinfo check --shard K/N` checks its share and writes a part;
`clearinfo check --merge` joins the parts and applies the exceptions and reviews to the whole, so the
result is the one a single run gives: the same findings, the same reports, and an exception for a
page in one shard is not called unused by the others."""
from __future__ import annotations

import json
import shutil

import pytest

from clearinfo.cache import Shard
from clearinfo.check.gate import PART, merge_parts, run_gate
from clearinfo.errors import EnvironmentProblem
from conftest import ROOT
from test_gate import make_broken_site

VENDOR = ROOT / ".vendor"
KEEP = {"index.html", "missing-alt.html", "low-contrast.html", "reflow.html", "broken-link.html", "click-here.html"}


def _said(findings) -> list[tuple]:
    return sorted((f.page, f.check, f.rule, f.selector or f.element, f.severity, f.context) for f in findings)


@pytest.mark.browser
def test_shards_joined_give_what_one_run_gives(tmp_path):
    site = make_broken_site(tmp_path / "broken")
    for page in site.glob("*.html"):
        if page.name not in KEEP:
            page.unlink()
    assert {Shard(1, 2).owns(p) for p in KEEP} == {True, False}  # both shards have pages
    exceptions = tmp_path / "accessibility-exceptions.yml"
    exceptions.write_text("exceptions:\n  - rule: vague-link\n    page: click-here.html\n"
                          "    reason: The supplier's page; replaced in the spring.\n    expires: 2027-03-01\n")
    quiet = lambda *_: None  # noqa: E731
    one = run_gate(site, VENDOR, exceptions, tmp_path / "one", say=quiet)
    split = tmp_path / "split"
    for k in (1, 2):
        assert run_gate(site, VENDOR, exceptions, split, say=quiet, shard=Shard(k, 2)) is None
        assert (split / PART.format(k=k, n=2)).is_file()
        assert not (split / "accessibility.json").exists()  # a part is not a report
    joined = merge_parts(site, split, exceptions, say=quiet)
    assert one.failing and _said(joined.failing) == _said(one.failing)
    assert _said(joined.excepted) == _said(one.excepted) != []
    assert joined.exception_problems == one.exception_problems == []  # not "matches nothing" in a shard
    assert joined.files == one.files and sorted(joined.pages) == sorted(one.pages)
    assert joined.coverage == one.coverage and joined.passed == one.passed
    for name in ("accessibility.json", "accessibility-junit.xml", "accessibility-report.html"):
        assert (split / name).is_file()
    report = json.loads((split / "accessibility.json").read_text())
    assert len(report["violations"]) == len(one.failing)

    (split / PART.format(k=2, n=2)).unlink()
    with pytest.raises(EnvironmentProblem, match="accessibility-part-2-of-2.json"):
        merge_parts(site, split, exceptions, say=quiet)
    shutil.copy(split / PART.format(k=1, n=2), split / PART.format(k=1, n=3))
    with pytest.raises(EnvironmentProblem, match="different splits"):
        merge_parts(site, split, exceptions, say=quiet)


def test_joining_with_no_parts_says_what_to_do(tmp_path):
    with pytest.raises(EnvironmentProblem, match="run 'clearinfo check --shard K/N' on each machine first"):
        merge_parts(tmp_path, tmp_path / "reports")
