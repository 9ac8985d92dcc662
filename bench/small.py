"""The gate's browser checks against axe-core on its own, on small pages (issue 13: the gate should
take at most 1.2 times axe-core's own time per view).

    .venv/bin/python bench/small.py                 # 120 small pages
    .venv/bin/python bench/small.py --pages 400

Both are timed in the same run, on the same generated pages, each in one browser:

- **axe-core alone**: for each page, load it, put the pinned axe-core in, run it once (the rules
  the gate runs). That is what one view of one page costs axe-core itself.
- **the gate**: `check_in_browser` as `clearinfo check` runs it, with every engine (axe-core,
  HTML_CodeSniffer, Clearinfo's own checks, reflow) in every view (4), one browser. Its time is
  divided by pages x views to give a time per view.

The ratio is gate time per view / axe-core time per page. It is a benchmark, not a test: nothing
passes or fails on the figure. bench/run runs it too (the "small pages" table).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build_tools"))

# A small page with what a real one has a little of: landmarks, headings, a list, a table, a link,
# a picture, a details box. Kept passing, so the time is checking, not reporting.
PAGE = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Small page {n}</title></head>
<body><header><p><a href="index.html">Home</a></p></header>
<main><h1>Small page {n}</h1>
<p>This page tells you about help with care number {n}. You can ask us for help at any time.</p>
<h2>What you can do</h2>
<ul><li>Ask for an assessment.</li><li>Ask for a carer's assessment.</li><li>Ask how much you will pay.</li></ul>
<table><caption>When we are open</caption><thead><tr><th scope="col">Day</th><th scope="col">Hours</th></tr></thead>
<tbody><tr><td>Monday</td><td>9am to 5pm</td></tr><tr><td>Tuesday</td><td>9am to 5pm</td></tr></tbody></table>
<p><img src="dot.png" alt="A green dot" width="8" height="8"></p>
<details><summary>More about this</summary><p>More words about care number {n}.</p></details>
<p><a href="page-{next}.html">Next page</a></p></main>
<footer><p>Written with people who use services.</p></footer></body></html>
"""

# An 8 by 8 green PNG.
DOT = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000008000000080802000000"
    "4b6d29dc0000001549444154789c63606860f8cf8000864a2318630000"
    "6a7a0f8149b6c1350000000049454e44ae426082")

_AXE_ALONE = """
const done = arguments[arguments.length - 1];
axe.run(document, arguments[0]).then(r => done(r.violations.length), e => done(String(e)));
"""


def make_pages(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dot.png").write_bytes(DOT)
    pages = []
    for n in range(count):
        path = folder / f"page-{n}.html"
        path.write_text(PAGE.format(n=n, next=(n + 1) % count), encoding="utf-8")
        pages.append(path)
    (folder / "index.html").write_text(PAGE.format(n="home", next=0), encoding="utf-8")
    return pages


def axe_alone(site: Path, pages: list[Path]) -> float:
    """Seconds for axe-core alone: load, inject, run once, for every page, in one browser."""
    from clearinfo.check import axe
    from clearinfo.check.browser import chromium, serve_directory
    source = axe.axe_source(ROOT / ".vendor")
    options = {"runOnly": {"type": "tag", "values": axe.GATE_TAGS}, "resultTypes": ["violations", "incomplete"]}
    with serve_directory(site, "127.0.0.1") as base, chromium() as driver:
        driver.get(base + pages[0].name)  # the browser started and warm, as the gate's is
        start = time.perf_counter()
        for page in pages:
            driver.get(base + page.name)
            driver.execute_script(source)
            driver.execute_async_script(_AXE_ALONE, options)
        return time.perf_counter() - start


def gate(site: Path, pages: list[Path]) -> tuple[float, int]:
    """Seconds for the gate's browser checks on every page (one browser), and the views a page."""
    from clearinfo.check.browser_checks import VIEWS, check_in_browser, default_engines
    engines = default_engines(ROOT / ".vendor")
    check_in_browser(site, pages[:1], engines, say=lambda *_: None)  # warm, as above
    start = time.perf_counter()
    findings, _ = check_in_browser(site, pages, engines, say=lambda *_: None, workers=1)
    seconds = time.perf_counter() - start
    if findings:
        print(f"note: the gate found {len(findings)} problems on the small pages "
              f"(first: {findings[0].rule} on {findings[0].page})", file=sys.stderr)
    return seconds, len(VIEWS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=120, help="how many small pages (default 120)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    args = parser.parse_args()
    if args.pages < 1:
        parser.error("--pages must be 1 or more")
    with tempfile.TemporaryDirectory(prefix="clearinfo-small-") as tmp:
        site = Path(tmp)
        pages = make_pages(site, args.pages)
        alone = axe_alone(site, pages)
        checked, views = gate(site, pages)
    per_page_axe = alone / len(pages)
    per_view_gate = checked / (len(pages) * views)
    figures = {"pages": len(pages), "views": views, "load": os.getloadavg()[0],
               "axe_alone_seconds": round(alone, 2), "axe_alone_per_page": round(per_page_axe, 4),
               "gate_seconds": round(checked, 2), "gate_per_view": round(per_view_gate, 4),
               "ratio": round(per_view_gate / per_page_axe, 2)}
    print(f"Small pages: {len(pages)}, one browser, load average {figures['load']:.1f}")
    print(f"  axe-core alone (load, inject, run)  {alone:7.1f} s  {per_page_axe:.3f} s a page")
    print(f"  the gate, {views} views, every engine    {checked:7.1f} s  {per_view_gate:.3f} s a view"
          f"  ({figures['ratio']:.2f} times axe-core alone)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
