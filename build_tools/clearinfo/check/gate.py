"""The accessibility gate: every page in a real browser, every PDF, every audio file, every
link; exceptions applied; reports written."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from ..errors import EnvironmentProblem
from ..vendor import ASSETS
from .audio_checks import check_mp3
from .browser_checks import check_in_browser
from .exceptions import apply_exceptions, read_exceptions
from .findings import REVIEW
from .html_checks import check_html
from .pdf_checks import check_pdf
from .report import GateResult, summary, write_html, write_json, write_junit


def run_gate(site: Path, vendor_dir: Path, exceptions_file: Path | None = None, report_dir: Path | None = None,
             today: dt.date | None = None, say=print) -> GateResult:
    site = site.resolve()
    if not (site / "index.html").exists() and not list(site.rglob("*.html")):
        raise EnvironmentProblem(f"There is no built site in {site}. Run 'clearinfo build' first.")
    # The exceptions file first: a mistake in it must not wait for a browser run of every page.
    entries = read_exceptions(exceptions_file)
    started = time.monotonic()
    pages = sorted(site.rglob("*.html"))
    pdfs = sorted(site.rglob("*.pdf"))
    mp3s = sorted(site.rglob("*.mp3"))
    say(f"Checking {len(pages)} pages in Chromium ...")
    findings = check_in_browser(site, pages, vendor_dir, say=lambda *_: None)
    say("Checking headings, links, pictures and link text ...")
    findings += check_html(site, pages)
    say(f"Checking {len(pdfs)} PDFs and {len(mp3s)} audio files ...")
    for pdf in pdfs:
        findings += check_pdf(site, pdf)
    for mp3 in mp3s:
        findings += check_mp3(site, mp3)
    review = [f for f in findings if f.severity == REVIEW]
    violations = [f for f in findings if f.severity != REVIEW]
    failing, excepted, problems = apply_exceptions(violations, entries, exceptions_file, today or dt.date.today())
    result = GateResult(site=site, pages=[p.relative_to(site).as_posix() for p in pages + pdfs + mp3s],
                        files={"html": len(pages), "pdf": len(pdfs), "mp3": len(mp3s)},
                        failing=failing, review=review, excepted=excepted,
                        exception_problems=problems, seconds=time.monotonic() - started,
                        axe_version=ASSETS["axe-core"]["version"], checked_on=today or dt.date.today())
    if report_dir is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        write_json(result, report_dir / "accessibility.json")
        write_junit(result, report_dir / "accessibility-junit.xml")
        write_html(result, report_dir / "accessibility-report.html")
    say(summary(result))
    return result
