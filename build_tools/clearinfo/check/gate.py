"""The accessibility gate: every page in a real browser through every engine and view, every
page's HTML through the Nu HTML Checker and Clearinfo's own checks, every PDF, every audio file,
every link; exceptions and people's reviews applied; reports written, saying what ran."""
from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import json
import os
import time
from pathlib import Path

from ..errors import EnvironmentProblem, plural
from ..options import DEFAULT_CONCURRENCY
from ..progress import Progress, time_table
from ..vendor import ASSETS
from .audio_checks import check_mp3
from .browser_checks import VIEWS, Coverage, check_in_browser, default_engines
from .exceptions import apply_exceptions, read_exceptions
from .findings import REVIEW, Finding
from .html_checks import check_html
from .nu import run_nu
from .pdf_checks import check_pdf
from .report import GateResult, summary, write_html, write_json, write_junit
from .reviews import apply_reviews, read_reviews

# The engines that look at each page's HTML once, not once a view, named as the report shows them.
PAGE_ENGINES = [f"Nu HTML Checker {ASSETS['vnu-jar']['version']}", "Clearinfo structure, links and safety"]


def run_gate(site: Path, vendor_dir: Path, exceptions_file: Path | None = None, report_dir: Path | None = None,
             today: dt.date | None = None, say=print, reviews_file: Path | None = None, views=VIEWS,
             workers: int = DEFAULT_CONCURRENCY, stream=None, grid: str | None = None,
             shard=None, memory: Path | None = None) -> GateResult | None:
    """`workers`: browsers (and PDF and audio checks) side by side. Progress goes to `stream`
    (standard error by default): a bar on a terminal, a line every 10 % or 30 seconds elsewhere.
    `grid`: a Selenium Grid's address; the pages are checked in its browsers, as many side by side
    as it offers. `shard` (cache.Shard): check only this share of the files and write what was
    found, before exceptions and reviews, as a part for `merge_parts`; returns None. `memory`: a
    folder where the findings are kept, so that a file checked before, unchanged, by the same
    checkers, is not checked again (check/memory.py); None checks everything."""
    site = site.resolve()
    today = today or dt.date.today()
    if not (site / "index.html").exists() and not list(site.rglob("*.html")):
        raise EnvironmentProblem(f"There is no built site in {site}. Run 'clearinfo build' first.")
    if shard is not None and report_dir is None:
        raise EnvironmentProblem("A shard of the gate needs a folder to write its part in (--report-dir).")
    # The council's own files first: a mistake in them must not wait for a browser run of every page.
    entries = read_exceptions(exceptions_file, today)
    checks = read_reviews(reviews_file, today)
    engines = default_engines(vendor_dir)
    started = time.monotonic()
    stages: dict[str, float] = {}
    mine = (lambda path: shard.owns(path.relative_to(site).as_posix())) if shard is not None else (lambda path: True)
    pages = [p for p in sorted(site.rglob("*.html")) if mine(p)]
    pdfs = [p for p in sorted(site.rglob("*.pdf")) if mine(p)]
    mp3s = [p for p in sorted(site.rglob("*.mp3")) if mine(p)]
    workers = max(1, workers)
    share = f" (shard {shard}: its share of the site)" if shard is not None else ""
    if grid:
        from .browser import grid_sessions
        browsers = grid_sessions(grid, fallback=workers)
        say(f"Checking {plural(len(pages), 'page')}{share} in Chromium on the Selenium Grid at {grid} "
            f"({len(views)} views each, {plural(browsers, 'session')} side by side) ...")
    else:
        browsers = workers
        say(f"Checking {plural(len(pages), 'page')}{share} in Chromium ({len(views)} views each, "
            f"{plural(workers, 'browser')} side by side) ...")
    recall = _Recall(site, memory, views, engines, grid)
    remembered = {p: r for p in pages if (r := recall.page(p)) is not None}
    unchecked = [p for p in pages if p not in remembered]
    if remembered:
        say(f"  {plural(len(remembered), 'page')} of {len(pages)} {'is' if len(remembered) == 1 else 'are'} as "
            "they were when last checked, with the same files and checkers: their results are remembered "
            "(clearinfo check --fresh checks them again).")
    with Progress("Pages checked in Chromium", len(unchecked), stream=stream) as progress:
        new_findings, new_coverage = (check_in_browser(site, unchecked, engines, views, say=lambda *_: None,
                                                       workers=browsers, progress=progress, grid=grid)
                                      if unchecked else ([], {}))
    stages["pages in Chromium"] = progress.seconds
    findings, coverage = recall.pages_in_order(pages, remembered, new_findings, new_coverage)
    say("Checking the HTML with the Nu HTML Checker ...")
    with _timed(stages, "Nu HTML Checker"):
        findings += recall.nu(pages, lambda some: run_nu(site, some, vendor_dir) if some else [])
    say("Checking headings, links, pictures and link text ...")
    with _timed(stages, "headings, links and pictures"):
        findings += check_html(site, pages)
    say(f"Checking {len(pdfs)} PDFs and {len(mp3s)} audio files ...")
    with _timed(stages, "PDFs and audio"), Progress("PDFs and audio files checked", len(pdfs) + len(mp3s),
                                                     unit="file", stream=stream) as progress:
        findings += _side_by_side([(check_pdf, pdf) for pdf in pdfs] + [(check_mp3, mp3) for mp3 in mp3s],
                                  site, workers, progress, recall)
    say(stage_table(stages))
    found = {"html": [p.relative_to(site).as_posix() for p in pages], "pdf": [p.relative_to(site).as_posix() for p in pdfs],
             "mp3": [p.relative_to(site).as_posix() for p in mp3s], "findings": [f.as_dict() for f in findings],
             "coverage": {page: c.as_dict() | {"page_engines": PAGE_ENGINES} for page, c in coverage.items()},
             "views": [v.name for v in views], "engines": [e.name for e in engines] + PAGE_ENGINES,
             "seconds": time.monotonic() - started, "remembered": recall.remembered_files}
    if shard is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        part = report_dir / PART.format(k=shard.index, n=shard.total)
        part.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
        say(f"Shard {shard}: {plural(len(findings), 'finding')} before exceptions and reviews, kept in {part}. "
            "When every shard is done, run 'clearinfo check --merge' with all the parts in that folder.")
        return None
    return _judge(site, found, entries, checks, exceptions_file, reviews_file, today, report_dir, say)


PART = "accessibility-part-{k}-of-{n}.json"  # what one shard of the gate found


def merge_parts(site: Path, report_dir: Path, exceptions_file: Path | None = None, reviews_file: Path | None = None,
                today: dt.date | None = None, say=print) -> GateResult:
    """Join the parts the shards wrote (`run_gate(shard=)`) into one result, then apply the exceptions
    and reviews to the whole, as one run would, and write the reports."""
    today = today or dt.date.today()
    parts = sorted(report_dir.glob(PART.format(k="*", n="*"))) if report_dir.is_dir() else []
    if not parts:
        raise EnvironmentProblem(f"There are no parts to join in {report_dir}/: run 'clearinfo check --shard K/N' "
                                 "on each machine first, and put their accessibility-part files in that folder.")
    names = {p.name for p in parts}
    totals = {int(p.stem.rsplit("-of-", 1)[1]) for p in parts}
    if len(totals) != 1:
        raise EnvironmentProblem(f"The parts in {report_dir}/ come from different splits ({', '.join(sorted(names))}). "
                                 "Keep the parts of one run only.")
    total = totals.pop()
    missing = [PART.format(k=k, n=total) for k in range(1, total + 1) if PART.format(k=k, n=total) not in names]
    if missing:
        raise EnvironmentProblem(f"Part of the check is missing from {report_dir}/: {', '.join(missing)}. Run "
                                 "that shard, or copy its part here, then join them again.")
    entries = read_exceptions(exceptions_file, today)
    checks = read_reviews(reviews_file, today)
    joined: dict = {"html": [], "pdf": [], "mp3": [], "findings": [], "coverage": {}, "seconds": 0.0,
                    "remembered": []}
    for part in parts:
        data = json.loads(part.read_text(encoding="utf-8"))
        for kind in ("html", "pdf", "mp3", "findings"):
            joined[kind] += data[kind]
        joined["remembered"] += data.get("remembered", [])
        joined["coverage"].update(data["coverage"])
        joined["seconds"] = max(joined["seconds"], data["seconds"])  # the parts ran side by side
        joined["views"], joined["engines"] = data["views"], data["engines"]
    for kind in ("html", "pdf", "mp3"):
        joined[kind] = sorted(joined[kind])
    joined["coverage"] = {page: joined["coverage"][page] for page in sorted(joined["coverage"])}
    say(f"Joined {plural(total, 'part')}: {plural(len(joined['html']), 'page')}, {len(joined['pdf'])} PDFs and "
        f"{len(joined['mp3'])} audio files.")
    return _judge(site.resolve(), joined, entries, checks, exceptions_file, reviews_file, today, report_dir, say)


def _judge(site: Path, found: dict, entries, checks, exceptions_file, reviews_file, today, report_dir, say) -> GateResult:
    """What was found, with people's reviews and the council's exceptions applied; the reports written."""
    findings = [Finding(**f) for f in found["findings"]]
    reviewed = apply_reviews([f for f in findings if f.severity == REVIEW], checks, reviews_file, today)
    violations = [f for f in findings if f.severity != REVIEW] + reviewed.confirmed
    failing, excepted, problems = apply_exceptions(violations, entries, exceptions_file, today)
    result = GateResult(site=site, pages=found["html"] + found["pdf"] + found["mp3"],
                        files={kind: len(found[kind]) for kind in ("html", "pdf", "mp3")},
                        failing=failing, review=reviewed.unchecked, excepted=excepted,
                        exception_problems=problems, seconds=found["seconds"],
                        axe_version=ASSETS["axe-core"]["version"], checked_on=today,
                        reviewed=reviewed.checked, review_notes=reviewed.notes, coverage=found["coverage"],
                        views=found["views"], engines=found["engines"],
                        remembered=found.get("remembered", []),
                        site_wide=[{"rule": e.rule, "reason": e.reason, "expires": e.expires.isoformat()}
                                   for e in entries if e.site_wide and e.expires >= today])
    if report_dir is not None:
        report_dir.mkdir(parents=True, exist_ok=True)
        write_json(result, report_dir / "accessibility.json")
        write_junit(result, report_dir / "accessibility-junit.xml")
        write_html(result, report_dir / "accessibility-report.html")
    say(summary(result))
    return result


@contextlib.contextmanager
def _timed(stages: dict, name: str):
    began = time.monotonic()
    try:
        yield
    finally:
        stages[name] = time.monotonic() - began


def _program_id(path: str) -> str:
    """A program as the memory knows it: its real file, size and time stamp (an upgrade changes them)."""
    real = os.path.realpath(path)
    st = os.stat(real)
    return f"{real}:{st.st_size}:{st.st_mtime_ns}"


def _by_page(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for f in findings:
        grouped.setdefault(f.page, []).append(f)
    return grouped


class _Recall:
    """The gate's memory (check/memory.py) for one run: what is remembered, and keeping what is new."""

    def __init__(self, site: Path, folder: Path | None, views, engines, grid: str | None):
        from .memory import Memory, checkers_id, site_files_id
        self.site, self.remembered_files = site, []
        # On a grid the browsers are the grid's, of versions we cannot see: remember nothing there.
        self.memory = Memory(folder) if folder is not None and not grid else None
        if self.memory is None:
            return
        from .browser import find_chromium
        try:
            programs = [_program_id(p) for p in find_chromium()]
        except (EnvironmentProblem, OSError):
            programs = ["no browser"]
        self.checkers = checkers_id(programs + [v.name for v in views] + [e.name for e in engines])
        self.site_files = site_files_id(site)

    def _key(self, kind: str, path: Path, *more: str) -> str:
        rel = path.relative_to(self.site).as_posix()
        return self.memory.key(kind, self.checkers, rel, *more, path.read_bytes())

    def page(self, path: Path):
        if self.memory is None:
            return None
        found = self.memory.recall(self._key("page", path, self.site_files))
        if found is not None:
            self.remembered_files.append(path.relative_to(self.site).as_posix())
        return found

    def pages_in_order(self, pages: list[Path], remembered: dict, findings: list[Finding], coverage: dict):
        """Every page's findings and coverage in page order; the newly checked ones kept."""
        by_page = _by_page(findings)
        all_findings, all_coverage = [], {}
        for path in pages:
            rel = path.relative_to(self.site).as_posix()
            if path in remembered:
                all_findings += remembered[path]["findings"]
                all_coverage[rel] = Coverage(**remembered[path]["coverage"])
                continue
            all_findings += by_page.get(rel, [])
            all_coverage[rel] = coverage[rel]
            if self.memory is not None and not coverage[rel].not_run:  # all ran: worth keeping
                self.memory.keep(self._key("page", path, self.site_files), by_page.get(rel, []),
                                 coverage=coverage[rel].as_dict())
        return all_findings, all_coverage

    def nu(self, pages: list[Path], run) -> list[Finding]:
        """The Nu checker's findings for every page, in page order: remembered, or from one run of
        `run` over the pages that are not (each then kept)."""
        if self.memory is None:
            return run(pages)
        from .nu import find_java
        try:
            java = _program_id(find_java())
        except (EnvironmentProblem, OSError):
            return run(pages)  # run_nu says what is missing
        keys = {p: self._key("nu", p, java) for p in pages}
        known = {p: r["findings"] for p in pages if (r := self.memory.recall(keys[p])) is not None}
        fresh = run([p for p in pages if p not in known])
        by_page = _by_page(fresh)
        out = []
        for p in pages:
            rel = p.relative_to(self.site).as_posix()
            if p in known:
                out += known[p]
                continue
            mine = by_page.get(rel, [])
            if not any(f.rule == "nu-not-checked" for f in mine):
                self.memory.keep(keys[p], mine)
            out += mine
        return out

    def file(self, check, path: Path) -> list[Finding]:
        """A PDF's or an MP3's findings: remembered, or checked (and then kept)."""
        if self.memory is None:
            return check(self.site, path)
        key = self._key(check.__name__, path)
        found = self.memory.recall(key)
        if found is not None:
            self.remembered_files.append(path.relative_to(self.site).as_posix())
            return found["findings"]
        findings = check(self.site, path)
        if not any(f.check == "gate" for f in findings):  # a check that could not run is not kept
            self.memory.keep(key, findings)
        return findings


def _side_by_side(jobs: list, site: Path, workers: int, progress, recall: _Recall | None = None) -> list:
    """Run each (check, file) job, `workers` at a time; the findings in the order of `jobs`. The
    PDF checks are Python (pikepdf) and the audio checks wait on ffmpeg: threads suit the audio,
    and a PDF's structure is read mostly in pikepdf's C++, which lets go of Python's lock."""
    def one(job):
        check, path = job
        try:
            return recall.file(check, path) if recall is not None else check(site, path)
        finally:
            progress.advance()
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return [f for found in pool.map(one, jobs) for f in found]


def stage_table(stages: dict[str, float]) -> str:
    """How long each part of the gate took, for people wondering where the time goes."""
    return time_table([(name, seconds, "") for name, seconds in stages.items()] + [("all", sum(stages.values()), "")])
