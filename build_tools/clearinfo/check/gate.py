"""The accessibility gate: every page in a real browser through every engine and view, every
page's HTML through the Nu HTML Checker and Clearinfo's own checks, every PDF, every audio file,
every link; exceptions and people's reviews applied; reports written, saying what ran."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from ..errors import EnvironmentProblem
from ..vendor import ASSETS
from .audio_checks import check_mp3
from .browser_checks import VIEWS, check_in_browser, default_engines
from .exceptions import apply_exceptions, read_exceptions
from .findings import REVIEW
from .html_checks import check_html
from .nu import run_nu
from .pdf_checks import check_pdf
from .report import GateResult, summary, write_html, write_json, write_junit
from .reviews import apply_reviews, read_reviews

# The engines that look at each page's HTML once, not once a view, named as the report shows them.
PAGE_ENGINES = [f"Nu HTML Checker {ASSETS['vnu-jar']['version']}", "Clearinfo structure, links and safety"]


def run_gate(site: Path, vendor_dir: Path, exceptions_file: Path | None = None, report_dir: Path | None = None,
             today: dt.date | None = None, say=print, reviews_file: Path | None = None, views=VIEWS) -> GateResult:
    site = site.resolve()
    today = today or dt.date.today()
    if not (site / "index.html").exists() and not list(site.rglob("*.html")):
        raise EnvironmentProblem(f"There is no built site in {site}. Run 'clearinfo build' first.")
    # The council's own files first: a mistake in them must not wait for a browser run of every page.
    entries = read_exceptions(exceptions_file, today)
    checks = read_reviews(reviews_file, today)
    engines = default_engines(vendor_dir)
    started = time.monotonic()
    pages = sorted(site.rglob("*.html"))
    pdfs = sorted(site.rglob("*.pdf"))
    mp3s = sorted(site.rglob("*.mp3"))
    say(f"Checking {len(pages)} pages in Chromium ({len(views)} views each) ...")
    findings, coverage = check_in_browser(site, pages, engines, views, say=lambda *_: None)
    say("Checking the HTML with the Nu HTML Checker ...")
    findings += run_nu(site, pages, vendor_dir)
    say("Checking headings, links, pictures and link text ...")
    findings += check_html(site, pages)
    say(f"Checking {len(pdfs)} PDFs and {len(mp3s)} audio files ...")
    for pdf in pdfs:
        findings += check_pdf(site, pdf)
    for mp3 in mp3s:
        findings += check_mp3(site, mp3)
    reviewed = apply_reviews([f for f in findings if f.severity == REVIEW], checks, reviews_file, today)
    violations = [f for f in findings if f.severity != REVIEW] + reviewed.confirmed
    failing, excepted, problems = apply_exceptions(violations, entries, exceptions_file, today)
    result = GateResult(site=site, pages=[p.relative_to(site).as_posix() for p in pages + pdfs + mp3s],
                        files={"html": len(pages), "pdf": len(pdfs), "mp3": len(mp3s)},
                        failing=failing, review=reviewed.unchecked, excepted=excepted,
                        exception_problems=problems, seconds=time.monotonic() - started,
                        axe_version=ASSETS["axe-core"]["version"], checked_on=today,
                        reviewed=reviewed.checked, review_notes=reviewed.notes,
                        coverage={page: c.as_dict() | {"page_engines": PAGE_ENGINES} for page, c in coverage.items()},
                        views=[v.name for v in views], engines=[e.name for e in engines] + PAGE_ENGINES,
                        site_wide=[{"rule": e.rule, "reason": e.reason, "expires": e.expires.isoformat()}
                                   for e in entries if e.site_wide and e.expires >= today])
    if report_dir is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        write_json(result, report_dir / "accessibility.json")
        write_junit(result, report_dir / "accessibility-junit.xml")
        write_html(result, report_dir / "accessibility-report.html")
    say(summary(result))
    return result
