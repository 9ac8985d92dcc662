"""A build says how far it has got while it makes the PDFs and audio, and ends with a table of each
step's time and of the files it made and took from the cache."""
from __future__ import annotations

import re

from clearinfo.build import build_table
from clearinfo.pipeline import Stage


def _table(out: str) -> dict[str, str]:
    rows = out.split("Time taken:\n")[1].split("\nDone in")[0].splitlines()
    return {m.group(1).strip(): m.group(3) for m in (re.match(r"  (.+?)\s+(\d+\.\d) s(?:  (.*))?$", r) for r in rows)}


def test_a_cold_build_shows_progress_and_a_warm_one_reuses_everything(project, run, own_cache):
    code, out, err = run("build", "-f", project / "mkdocs.yml")
    assert code == 0, err
    first = _table(out)
    assert list(first) == ["Checking the content", "Pages made by the engine", "Easy Read PDFs",
                           "Large print PDFs and packs", "Audio", "Writing the formats", "All"]
    made = {k: int(v.split()[0]) for k, v in first.items() if v}
    assert made["Large print PDFs and packs"] >= 4 and made["Audio"] >= 4, first
    assert "Large print PDFs made:" in err and "Pages spoken:" in err  # progress, on standard error
    assert re.search(r"Pages spoken: \d+ of \d+ pages in \d+ s", err)

    code, out, err = run("build", "-f", project / "mkdocs.yml", "--force")  # nothing changed: make it all again
    assert code == 0, err
    second = _table(out)
    for step in ("Large print PDFs and packs", "Audio"):
        assert second[step] == f"0 made, {made[step]} from the cache"
    assert "Pages spoken:" not in err


def test_the_table_lines_up_and_the_engine_gets_the_time_the_steps_did_not_take():
    table = build_table(0.5, 10.0, [Stage("Audio", 6.0, 2, 25), Stage("Writing the formats", 1.0)], 11.0)
    lines = table.splitlines()
    assert lines[0] == "Time taken:"
    assert [re.split(r"\s{2,}", line.strip()) for line in lines[1:]] == [
        ["Checking the content", "0.5 s"], ["Pages made by the engine", "3.0 s"],
        ["Audio", "6.0 s", "2 made, 25 from the cache"], ["Writing the formats", "1.0 s"], ["All", "11.0 s"]]
    assert len({line.index(" s") for line in lines[1:]}) == 1  # the times line up
