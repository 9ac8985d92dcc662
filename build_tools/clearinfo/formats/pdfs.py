"""PDFs made from HTML by WeasyPrint: cached by a hash of everything they depend on (see
clearinfo/cache.py), made `concurrency` at a time in separate processes, and repaired for PDF/UA
by pdf_finish. Used by every print format (Easy Read, large print, the packs)."""
from __future__ import annotations

import concurrent.futures
import os
import shutil
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..cache import Shelf, file_sha256, key, tool_versions
from ..options import DEFAULT_CONCURRENCY
from ..progress import Progress
from .pdf_finish import VERSION as FINISH_VERSION, dated, finish_pdf

HERE = Path(__file__).parent


def human_size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / (1024 * 1024):.1f} MB"


# --- Fonts for pages in other languages ---------------------------------------------------------

# Atkinson Hyperlegible (every PDF's font) lacks some letters other languages need. WeasyPrint does
# not honour unicode-range, so each font is a family of its own, named in turn: a letter comes from
# the first that has it. (Atkinson's Latin Extended part lacks Welsh ŵ and ŷ: Atkinson Hyperlegible
# Next has them. Vazirmatn writes Urdu, Arabic, Persian and Pashto.)
EXTRA_FACES = (
    ("Atkinson Hyperlegible Latin Extended", "atkinson-hyperlegible", "atkinson-hyperlegible-latin-ext-{w}.woff"),
    ("Atkinson Hyperlegible Next", "atkinson-hyperlegible-next", "atkinson-hyperlegible-next-latin-ext-{w}.woff"),
    ("Vazirmatn", "vazirmatn", "vazirmatn-{w}.woff"),
)


def language_faces(vendor_dir: Path) -> list[dict]:
    """The extra fonts a page in another language needs, as {family, weight, url}, for those fetched."""
    faces = []
    for family, asset, pattern in EXTRA_FACES:
        for weight in ("400", "700"):
            path = vendor_dir / asset / "fonts" / pattern.format(w=weight)
            if path.is_file():
                faces.append({"family": family, "weight": weight, "url": path.as_uri()})
    return faces


def language_font_files(vendor_dir: Path) -> list[Path]:
    """The files language_faces uses, for the PDFs' cache keys."""
    return sorted(Path(p["url"][len("file://"):]) for p in language_faces(vendor_dir))


def font_stack(faces: list[dict]) -> str:
    """The font list for a PDF in another language: Atkinson Hyperlegible first, then each extra
    family, then DejaVu Sans (on most Linux machines) and the machine's own."""
    families = list(dict.fromkeys(f["family"] for f in faces))
    return ", ".join(f'"{name}"' for name in ["Atkinson Hyperlegible", *families, "DejaVu Sans"]) + ", sans-serif"


# --- PDFs: cached and parallel -----------------------------------------------------------------

TOOLS = ("weasyprint", "pydyf", "fonttools", "pikepdf")  # what makes a PDF, with pdf_finish's own version


def pdf_key(document_html: str, extra: list[Path]) -> str:
    """A hash of everything the PDF depends on: its HTML and the contents of the files it uses, the
    versions of WeasyPrint and the libraries it uses, and of the repairs made after it. A file is
    known by its contents, not where it is, so a copy of the project (or a CI runner's fresh
    checkout) finds the PDFs the last build made."""
    for path in sorted(set(extra), key=lambda p: len(p.as_posix()), reverse=True):
        digest = file_sha256(path) if path.exists() else "-"
        for written in (path.as_uri(), path.as_posix()):
            document_html = document_html.replace(written, f"sha256:{digest}")
    return key({"html": document_html, "finish": FINISH_VERSION, "dated": dated()}, tool_versions(*TOOLS))


def _render_pdf(document_html: str, part: str) -> int:
    """Make one PDF (runs in a worker process) into `part`. Returns its number of pages. WeasyPrint
    writes into the worker's temporary folder, and pdf_finish repairs that into `part`."""
    import weasyprint

    document = weasyprint.HTML(string=document_html, base_url=str(HERE)).render()
    handle, raw = tempfile.mkstemp(suffix=".pdf")  # in the folder the build removes, however it ends
    os.close(handle)
    try:
        document.write_pdf(raw, pdf_variant="pdf/ua-1")
        finish_pdf(raw, part)
    finally:
        os.unlink(raw)
    return len(document.pages)


@dataclass
class PdfJob:
    name: str
    html: str
    files: list[Path]


def make_pdfs(jobs: list[PdfJob], cache_dir: Path, workers: int = DEFAULT_CONCURRENCY, say=print,
              label: str = "PDFs made", tally: dict | None = None, shard=None) -> dict[str, tuple[Path, int]]:
    """Each job's PDF in the cache, made only when its inputs changed. Returns name -> (path, pages).
    Progress on standard error under `label`; `tally` gets how many were made and how many reused.
    With a `shard` (cache.Shard), PDFs of other shards that are not in the cache are left out."""
    shelf = Shelf(cache_dir, ".pdf")
    results, todo = {}, []
    for job in jobs:
        job_key = pdf_key(job.html, job.files)
        entry = shelf.get(job.name, job_key)
        if entry is None:
            if shard is None or shard.owns(job.name):
                todo.append((job, job_key))
        else:
            results[job.name] = (entry.path, int(entry.record["pages"]))
    if tally is not None:
        tally["made"], tally["reused"] = tally.get("made", 0) + len(todo), tally.get("reused", 0) + len(results)
    if todo:
        say(f"  Making {len(todo)} PDF{'s' if len(todo) != 1 else ''} ({len(results)} unchanged) ...")
        with Progress(label, len(todo), unit="PDF") as progress:
            for job, job_key, part, pages in _render_all(todo, shelf, workers, say, progress):
                entry = shelf.keep(job.name, job_key, part, {"pages": pages})
                results[job.name] = (entry.path, pages)
    return results


def _render_all(todo: list[tuple[PdfJob, str]], shelf: Shelf, workers: int, say,
                progress: Progress) -> list[tuple[PdfJob, str, Path, int]]:
    """Make the PDFs, `workers` at a time, each in its own process. However this ends (done, a
    failure, Ctrl-C or SIGTERM), the workers are stopped and nothing temporary is left behind."""
    temp_root = tempfile.mkdtemp(prefix=f"clearinfo-pdfs-{os.getpid()}-")
    parts = {job_key: shelf.part(shelf.path(job.name, job_key)) for job, job_key in todo}
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=max(1, min(workers, len(todo))),
                                                  initializer=_start_worker, initargs=(temp_root,))
    try:
        # The longest first (the printed packs lay out every page again, for many seconds): the short
        # ones then fill in around them, and no core waits at the end while one pack is still being made.
        longest_first = sorted(todo, key=lambda task: len(task[0].html), reverse=True)
        futures = {pool.submit(_render_pdf, job.html, str(parts[job_key])): (job, job_key) for job, job_key in longest_first}
        done = []
        for f in concurrent.futures.as_completed(futures):
            job, job_key = futures[f]
            done.append((job, job_key, parts[job_key], f.result()))
            say(f"    {job.name}: {done[-1][3]} pages")
            progress.advance()
        pool.shutdown()
        return done
    except BaseException:
        _stop_workers(pool)
        for part in parts.values():
            part.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(temp_root, ignore_errors=True)


def _start_worker(temp_root: str) -> None:
    """Set up one PDF worker process. WeasyPrint copies fonts into a temporary folder and removes
    it only when Python collects the document, which a worker never does before it ends: pointing
    the temporary folder into temp_root lets the build remove them all. The build decides when to
    stop: SIGTERM ends a worker at once and quietly, and Ctrl-C (which a terminal sends to every
    process) is left to the build, which then stops the workers itself."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tempfile.tempdir = temp_root


def _stop_workers(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Stop at once, not after the PDFs still queued. Python 3.14 names this terminate_workers();
    before it, the executor keeps its worker processes in _processes."""
    if hasattr(pool, "terminate_workers"):
        pool.terminate_workers()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)
