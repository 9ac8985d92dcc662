"""The full build: check the content, build into a temporary folder, then swap it into place.

A failed or stopped build never leaves a half-written site: the old site stays as it was, and
no temporary folder is left behind. Stopping covers Ctrl-C and SIGTERM alike (SIGTERM is what CI
runners, `kill` and systemd send): both take the same path out, through every clean-up.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentErrors, errors_only
from .plugin.choice import use_chosen_engine
from .progress import time_table
from .project import Project
from . import uptodate

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
CLEAN_UP_SECONDS = 10  # how long a stopped build has to clean up before another signal counts
use_chosen_engine()  # before anything loads MkDocs (plugin/choice.py)


@dataclass
class BuildResult:
    site_dir: Path
    pages: int
    seconds: float
    warnings: list


def build_site(project: Project, site_dir: Path | None = None, *, strict: bool = False,
               verbose: bool = False, force: bool = False, say=print) -> BuildResult:
    with stop_signals_interrupt():
        return _build(project, site_dir, strict=strict, verbose=verbose, force=force, say=say)


def check_only(project: Project, *, strict: bool = False, say=print) -> tuple[list, list]:
    """The content checks a build starts with (every page, Easy Read document and data file), and
    nothing made: `clearinfo build --check-only`, for a pre-commit hook. Errors (and with `strict`,
    warnings) stop it as ContentErrors, as they would stop a build. Returns the pages and the warnings."""
    say(f"Checking the pages in {project.content_dir.name}/ ...")
    pages, problems = project.check_content()
    warnings = [p for p in problems if not p.is_error]
    for w in warnings:
        say(f"Warning: {w}")
    if errors_only(problems) or (strict and warnings):
        raise ContentErrors(problems if strict else errors_only(problems))
    say(f"  {len(pages)} pages are fine.")
    return pages, warnings


def _build(project: Project, site_dir: Path | None, *, strict: bool, verbose: bool, force: bool,
           say) -> BuildResult:
    started = time.monotonic()
    site_dir = (site_dir or project.site_dir).resolve()
    inputs = None
    if project.shard is None:
        inputs = uptodate.fingerprint(project, site_dir, {"strict": strict, "config": str(project.config_path)})
        record = None if force else uptodate.last_build(project, site_dir, inputs)
        if record is not None:
            return _nothing_changed(record, site_dir, started, say)
    pages, warnings = check_only(project, strict=strict, say=say)
    checked = time.monotonic() - started

    from .plugin import engine  # the edge: only here does MkDocs (or ProperDocs) run

    site_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(site_dir)
    tmp = Path(tempfile.mkdtemp(prefix=_work_prefix(site_dir, "building"), dir=site_dir.parent))
    try:
        say("Building the website ...")
        built = time.monotonic()
        stages = engine.build(project.config_path, tmp, strict=strict, verbose=verbose, project=project)
        built = time.monotonic() - built
        if project.shard is not None:  # its share of the formats is in the cache; its site is not whole
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            _swap_into_place(tmp, site_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if inputs is not None:
        uptodate.remember(project, site_dir, inputs, len(pages),
                          [f"Warning: {w}" for w in warnings] + list(engine.shown_warnings))
    seconds = time.monotonic() - started
    say(build_table(checked, built, stages, seconds))
    if project.shard is not None:
        say(f"Done in {seconds:.1f} seconds. Shard {project.shard}: its share of the PDFs and audio is in "
            f"the cache ({os.path.relpath(project.cache_dir)}/), and the site folder was not changed. When "
            "every shard is done, run 'clearinfo build' with the same cache to put the site together.")
    else:
        say(f"Done in {seconds:.1f} seconds. The site is in {os.path.relpath(site_dir)}/")
    return BuildResult(site_dir, len(pages), seconds, warnings)


def _nothing_changed(record: dict, site_dir: Path, started: float, say) -> BuildResult:
    """The site is already the build of exactly these inputs: say so, and show the last build's
    warnings again (they are still true, and a person who missed them should see them)."""
    say(f"Nothing has changed since the last build ({record.get('built', 'earlier')}), so the site in "
        f"{os.path.relpath(site_dir)}/ is up to date. To make it again anyway: clearinfo build --force")
    shown = record.get("warnings") or []
    if shown:
        say(f"The last build's {'warning, which is' if len(shown) == 1 else 'warnings, which are'} still true:")
        for line in shown:
            say(line)
    seconds = time.monotonic() - started
    say(f"Done in {seconds:.1f} seconds. The site is in {os.path.relpath(site_dir)}/")
    return BuildResult(site_dir, int(record.get("pages") or 0), seconds, shown)


# --- Stopping safely ----------------------------------------------------------------------------

@contextmanager
def stop_signals_interrupt():
    """Ctrl-C and SIGTERM both raise KeyboardInterrupt. Signals in the next few seconds are
    ignored, so the clean-up is not cut short by a second Ctrl-C or by a CI runner's SIGTERM
    after its SIGINT; after that a signal stops Clearinfo again, so it can never become
    unstoppable. Only the main thread can take signals; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    first = []

    def stop(signum, frame):
        if first and time.monotonic() - first[0] < CLEAN_UP_SECONDS:
            return
        first[:] = [time.monotonic()]
        raise KeyboardInterrupt

    # A signal the caller chose to ignore (a shell's background job ignores Ctrl-C) stays ignored.
    previous = {s: signal.signal(s, stop) for s in STOP_SIGNALS if signal.getsignal(s) is not signal.SIG_IGN}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def signals_held():
    """Ignore Ctrl-C and SIGTERM until the block is done: a signal arriving between the two
    renames of a swap would leave no site at all. A stop that comes while the new site is put in
    place comes too late to stop anything, so the build finishes (in a moment). This is done with
    Python's handlers, not by blocking the signals, because the kernel hands a blocked signal to
    any other thread that has not blocked it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, lambda signum, frame: None) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _swap_into_place(new: Path, target: Path) -> None:
    """Replace target with new in two renames, so readers never see a half-built site."""
    with signals_held():
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=_work_prefix(target, "old"), dir=target.parent))
            os.rmdir(old)
            os.rename(target, old)
        try:
            os.rename(new, target)
        except OSError:
            if old is not None:  # put the old site back
                os.rename(old, target)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _work_prefix(site_dir: Path, kind: str) -> str:
    """Temporary folders beside the site carry the build's process id, so a later build can tell
    the folders of a build that was killed outright (kill -9, a power cut) from one still running."""
    return f".{site_dir.name}.{kind}-{os.getpid()}-"


def remove_leftovers(site_dir: Path) -> None:
    """Remove the temporary folders of builds that were killed before they could clean up."""
    for path in site_dir.parent.glob(f".{site_dir.name}.*-*-*"):
        kind, _, rest = path.name[len(site_dir.name) + 2:].partition("-")
        pid = rest.partition("-")[0]
        if kind in ("building", "old") and pid.isdigit() and not _running(int(pid)) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def build_table(checked: float, built: float, stages: list, total: float) -> str:
    """Each step's time, and the files made and reused from the cache, for the end of a build."""
    rows = [("Checking the content", checked, "")]
    rows.append(("Pages made by the engine", max(0.0, built - sum(s.seconds for s in stages)), ""))
    for s in stages:
        if s.made is None:
            rows.append((s.name, s.seconds, ""))
        else:
            rows.append((s.name, s.seconds, f"{s.made} made, {s.reused} from the cache"))
    rows.append(("All", total, ""))
    return time_table(rows)
