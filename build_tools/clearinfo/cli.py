"""The `clearinfo` command.

Exit codes: 0 all went well; 1 the content has errors (each one printed with its file and line);
2 the command was used wrongly, something is missing from this machine, the command was stopped
(Ctrl-C or SIGTERM), or Clearinfo itself went wrong (the details go to a log file it names).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

from . import __version__
from .errors import ContentErrors, EnvironmentProblem, UserMistake, errors_only, plural, report_fault

OK, CONTENT_ERRORS, USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="clearinfo",
        description="Publish adult social care information that everyone can use: an accessible website "
                    "with Easy Read, large print and audio, built from co-produced Markdown.",
        epilog="Exit codes: 0 all went well, 1 the content has errors, 2 a usage or set-up problem.")
    p.add_argument("--version", action="version", version=f"clearinfo {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def common(sp):
        sp.add_argument("-f", "--config-file", default="mkdocs.yml", metavar="FILE",
                        help="the project's settings file (default: mkdocs.yml in this folder)")

    b = sub.add_parser("build", help="build the whole site, with every format",
                       description="Check every page, then build the whole site. The old site is only "
                                   "replaced when the new one built without errors.")
    common(b)
    b.add_argument("-d", "--site-dir", metavar="DIR", help="where to write the site (default: site/)")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("-v", "--verbose", action="store_true", help="say more about each step")
    b.add_argument("--shard", metavar="K/N", help="make only share K of N of the PDFs and audio, into the "
                   "cache, for builds split across machines; then a plain build puts the site together")
    b.add_argument("--force", action="store_true", help="build everything again even when nothing has "
                   "changed since the last build")
    b.add_argument("--check-only", action="store_true", help="check the pages, Easy Read documents and data "
                   "files as a build does, and make nothing (quick: for a pre-commit hook)")

    s = sub.add_parser("serve", help="preview the site while you edit it",
                       description="Build the site and serve it at http://127.0.0.1:8000/. The page reloads "
                                   "when you save a change. Draft pages are shown, marked DRAFT.")
    common(s)
    s.add_argument("-a", "--dev-addr", metavar="IP:PORT", help="address to serve on (default: 127.0.0.1:8000)")
    s.add_argument("--open", action="store_true", help="open the preview in your web browser")

    n = sub.add_parser("new", help="start something new: 'clearinfo new page \"Title\"'",
                       description="Start a new page with every detail filled in.")
    nsub = n.add_subparsers(dest="what", metavar="WHAT")
    np = nsub.add_parser("page", help="a new standard page", description=(
        "Make content/<name>.md with all its details filled in, as a draft, and add it to the menu."))
    common(np)
    np.add_argument("title", help="the page's title, in quotes, for example \"Support for carers\"")
    np.add_argument("--owner", help="the team that owns the page (default: the 'default_owner' setting)")

    pic = sub.add_parser("pictures", help="find pictures for Easy Read: 'clearinfo pictures find phone'",
                         description="Look through the pictures Easy Read documents can use.")
    picsub = pic.add_subparsers(dest="what", metavar="WHAT")
    pf = picsub.add_parser("find", help="list the pictures whose name contains a word",
                           description="List the pictures whose name contains WORD. Use a name after "
                                       "'picture:' in an Easy Read document.")
    common(pf)
    pf.add_argument("word", help="a word, for example phone, doctor or money")

    ck = sub.add_parser("check", help="check the built site for accessibility problems",
                        description="Open every page of the built site in headless Chromium and run axe-core "
                                    "(WCAG 2.0, 2.1 and 2.2, A and AA) at desktop width and 320px, in each colour "
                                    "scheme; check every PDF, audio file and link. Exit code 1 if anything fails.")
    common(ck)
    ck.add_argument("site_dir", nargs="?", metavar="SITE_DIR", help="the built site (default: site/)")
    ck.add_argument("--report-dir", default="reports", metavar="DIR",
                    help="where to write the HTML, JUnit and JSON reports (default: reports/)")
    ck.add_argument("--exceptions", metavar="FILE",
                    help="findings the council accepts for now (default: accessibility-exceptions.yml if it exists)")
    ck.add_argument("--reviews", metavar="FILE",
                    help="what people found when they checked the items the engines could not decide "
                         "(default: accessibility-reviews.yml if it exists)")
    ck.add_argument("--fresh", action="store_true", help="check every file again, even those that are as they "
                    "were when last checked (the gate remembers those in the cache)")
    ck.add_argument("--grid", metavar="URL",
                    help="check the pages in the browsers of a Selenium Grid at this address (for example "
                         "http://localhost:4444), as many side by side as the grid offers, instead of in "
                         "Chromium on this machine. The grid must be able to reach this machine.")
    split = ck.add_mutually_exclusive_group()
    split.add_argument("--shard", metavar="K/N",
                       help="check only share K of N of the pages, PDFs and audio, and write what was found as a "
                            "part (accessibility-part-K-of-N.json in the report folder) for --merge")
    split.add_argument("--merge", action="store_true",
                       help="join the parts the shards wrote in the report folder, apply the exceptions and "
                            "reviews to the whole, and write the reports. Exit code 1 if anything fails.")

    rv = sub.add_parser("reviews", help="list the pages that are due for review",
                        description="List every page and Easy Read document that is overdue for review or due "
                                    "soon, soonest first, with its owner.")
    common(rv)
    rv.add_argument("--within", type=int, default=60, metavar="DAYS",
                    help="also list what is due in the next DAYS days (default: 60)")
    rv.add_argument("--all", action="store_true", help="list every page, however far off its review is")
    rv.add_argument("--markdown", action="store_true", help="write the list as a Markdown table, for a pull "
                    "request comment or an issue")

    tr = sub.add_parser("translations", help="list the translations and whether each is up to date with its "
                        "English page; 'clearinfo translations update PAGE' records that a translator checked one",
                        description="List every translation with its language, its English page, its status "
                                    "(example or checked) and its state: up to date, out of date (the English page's "
                                    "words changed since the translation was checked), not checked against the "
                                    "English, or draft. With 'update PAGE': record that PAGE (a translation) is up to "
                                    "date with its English page; for an English page, do it for all its translations.")
    common(tr)
    tr.add_argument("action", nargs="?", choices=["update"], metavar="update",
                    help="record that the translations named are up to date with the English")
    tr.add_argument("pages", nargs="*", metavar="PAGE",
                    help="with update: a translation's file (content/getting-care-and-support-cy.md), or an English "
                         "page's file for all its translations")
    tr.add_argument("--markdown", action="store_true", help="write the list as a Markdown table, for a pull "
                    "request comment or an issue")

    fa = sub.add_parser("fetch-assets", help="fetch the fonts and the checkers (make setup does this)",
                        description="Download the self-hosted fonts and the checkers (axe-core, "
                                    "HTML_CodeSniffer and the Nu HTML Checker) at pinned versions, checking "
                                    "their published hashes. A file changed since is fetched again.")
    common(fa)
    fa.add_argument("--quiet", action="store_true", help="say nothing when everything is there already")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse has printed the usage message
        return int(e.code or 0) and USAGE
    if not args.command:
        parser.print_help()
        return USAGE
    if args.command == "new" and not getattr(args, "what", None):
        print("Say what to make, for example: clearinfo new page \"Support for carers\"", file=sys.stderr)
        return USAGE
    if args.command == "pictures" and not getattr(args, "what", None):
        print("Say what to do, for example: clearinfo pictures find phone", file=sys.stderr)
        return USAGE
    try:
        return _run(args)
    except UserMistake as e:  # every mistake a person can fix, said in one place
        for line in e.lines() + _after(args.command, e):
            print(line, file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM during a build (see build.py)
        left = " Nothing in the site folder was changed." if args.command == "build" else ""
        print(f"\nStopped.{left}", file=sys.stderr)
        return USAGE
    except Exception as e:  # a fault in Clearinfo: never a traceback on screen
        _report_fault(e, args, argv)
        return USAGE


def _after(command: str, e: UserMistake) -> list[str]:
    """What the stop means for this command, after the mistakes themselves."""
    left = "Nothing in the site folder was changed."
    if isinstance(e, ContentErrors):
        n = plural(len(e.shown()), "problem")
        stopped = {"build": f"The build stopped: {n} to fix. {left}",
                   "serve": f"The preview did not start: {n} to fix.",
                   "check": f"The check did not start: {n} to fix."}
        return ["", stopped.get(command, f"{n} to fix.")]
    if command == "build" and e.exit_code == CONTENT_ERRORS:
        return [left]
    return []


def _report_fault(e: BaseException, args, argv) -> None:
    """The details go to a log file: the project's cache folder if the project was read (it is
    kept and easy to find), else the system's temporary folder."""
    folders = [f for f in (getattr(args, "log_dir", None), Path(tempfile.gettempdir())) if f is not None]
    report_fault(e, folders, list(sys.argv[1:] if argv is None else argv), __version__)


def _translations(project, args) -> int:
    """`clearinfo translations`: the list (exit code 1 when 'translations_out_of_date' is 'error' and
    one is out of date, as `clearinfo reviews` does with overdue pages); `... update PAGE`: record
    the English version each named translation was checked against."""
    from .content.translations import OUT_OF_DATE, translation_states, translations_markdown, translations_report
    strict = project.options["translations_out_of_date"] == "error"
    project.options = {**project.options, "translations_out_of_date": "warn"}  # listed, not refused
    checked = project.check_all()
    states = translation_states(checked.pages, project.history)

    def shown(page):
        return project.shown(page.path)
    if args.action == "update":
        return _update_translations(project, args.pages, states, checked)
    if args.pages:
        raise EnvironmentProblem("To record that a translation is up to date, say 'update' first: clearinfo "
                                 f"translations update {args.pages[0]}")
    if args.markdown:
        print(translations_markdown(states, shown), end="")
    else:
        for line in translations_report(states, shown):
            print(line)
    errors = errors_only(checked.problems)
    if errors:
        print(f"\n{plural(len(errors), 'problem')} stopped some files being read, so they are not listed. "
              "Run 'clearinfo build' to see them.", file=sys.stderr)
    late = [s for s in states if s.state == OUT_OF_DATE]
    if strict and late:
        print(f"\n{plural(len(late), 'translation')} out of date, and 'translations_out_of_date' is 'error' in "
              f"{project.config_path.name}, so this counts as a failure (exit code 1).", file=sys.stderr)
        return CONTENT_ERRORS
    return OK


def _update_translations(project, names: list[str], states, checked) -> int:
    """Write 'translated_from' (the English page's words' version) into each named translation, or
    into every translation of a named English page. Each file keeps every other byte."""
    from .content.translations import update_file, words_version
    if not names:
        raise EnvironmentProblem("Say which translation a translator has checked, for example: clearinfo "
                                 "translations update content/getting-care-and-support-cy.md")
    loaded = {p.path.resolve(): p for p in checked.pages}
    for name in names:
        path = next((c.resolve() for c in (project.root / name, project.content_dir / name, Path(name)) if c.is_file()),
                    None)
        if path is None:
            raise EnvironmentProblem(f"There is no page {name}. Give the file of a translation, like "
                                     "content/getting-care-and-support-cy.md.")
        page = loaded.get(path)
        if page is None:
            raise ContentErrors([p for p in checked.problems if p.is_error and p.path == project.shown(path)] or
                                [_not_loaded(project.shown(path))])
        chosen = [s for s in states if s.page is page or s.english is page]
        if not chosen:
            raise EnvironmentProblem(f"{project.shown(path)} is not a translation and has no translations. A "
                                     "translation says which page it translates, like 'translation_of: "
                                     "complaints.md'.")
        for s in chosen:
            version = words_version(s.english.body)
            where, english = project.shown(s.page.path), project.shown(s.english.path)
            if update_file(s.page.path, version):
                print(f"{where}: recorded that it is up to date with {english} (translated_from: {version}).")
            else:
                print(f"{where}: already recorded as up to date with {english}; nothing changed.")
    return OK


def _not_loaded(shown: str):
    from .errors import Problem
    return Problem(shown, None, "this page could not be read. Run 'clearinfo build --check-only' to see why.")


def _run(args) -> int:
    from .project import Project

    project = Project.load(args.config_file)
    args.log_dir = project.cache_dir  # where a fault in Clearinfo is logged (see main)

    if args.command == "fetch-assets":
        from .vendor import fetch
        fetched = fetch(project.vendor_dir, say=(lambda *_: None) if args.quiet else print)
        if not args.quiet and not fetched:
            print("The fonts and the checkers are already here, unchanged.")
        return OK

    if args.command == "pictures":
        hits = project.pictures().find(args.word)
        if not hits:
            print(f"No picture names contain '{args.word}'. Try a shorter or a different word.")
            return OK
        width = max(len(n) for n, _ in hits)
        for name, where in hits:
            print(f"{name.ljust(width)}  {where}")
        print(f"\n{len(hits)} pictures. In an Easy Read document write, for example: picture: {hits[0][0]}")
        return OK

    if args.command == "reviews":
        from .content.reviews import due_list, review_markdown, review_report
        strict = project.options["overdue_reviews"] == "error"
        project.options = {**project.options, "overdue_reviews": "warn"}  # an overdue page is listed, not refused
        checked = project.check_all()
        today = dt.date.today()
        items = due_list(checked.pages, checked.easy_reads, project.content_dir.name)
        if args.markdown:
            print(review_markdown(items, today, max(0, args.within), args.all), end="")
        else:
            for line in review_report(items, today, max(0, args.within), args.all):
                print(line)
        errors = errors_only(checked.problems)
        if errors:
            print(f"\n{plural(len(errors), 'problem')} stopped some files being read, so they are not listed. "
                  "Run 'clearinfo build' to see them.", file=sys.stderr)
        overdue = [d for d in items if d.due < today and not d.draft]
        if strict and overdue:
            print(f"\n{plural(len(overdue), 'page')} overdue for review, and 'overdue_reviews' is 'error' in "
                  f"{project.config_path.name}, so this counts as a failure (exit code 1).", file=sys.stderr)
            return CONTENT_ERRORS
        return OK

    if args.command == "translations":
        return _translations(project, args)

    if args.command == "check":
        from .check.gate import run_gate
        site = Path(args.site_dir) if args.site_dir else project.site_dir
        exceptions = Path(args.exceptions) if args.exceptions else project.root / "accessibility-exceptions.yml"
        if args.exceptions and not exceptions.is_file():
            raise EnvironmentProblem(f"There is no exceptions file {args.exceptions}. Check the name after "
                                     "--exceptions, or leave it out.")
        reviews = Path(args.reviews) if args.reviews else project.root / "accessibility-reviews.yml"
        if args.reviews and not reviews.is_file():
            raise EnvironmentProblem(f"There is no reviews file {args.reviews}. Check the name after "
                                     "--reviews, or leave it out.")
        report_dir = project.root / args.report_dir if not Path(args.report_dir).is_absolute() else Path(args.report_dir)
        if args.merge:
            from .check.gate import merge_parts
            result = merge_parts(site, report_dir, exceptions if exceptions.exists() else None,
                                 reviews if reviews.exists() else None)
            return OK if result.passed else CONTENT_ERRORS
        shard = None
        if args.shard:
            from .cache import parse_shard
            shard = parse_shard(args.shard)
        result = run_gate(site, project.vendor_dir, exceptions if exceptions.exists() else None, report_dir,
                          reviews_file=reviews if reviews.exists() else None, workers=project.concurrency,
                          grid=args.grid, shard=shard,
                          memory=None if args.fresh else project.cache_dir / "checks" / "gate")
        return OK if result is None or result.passed else CONTENT_ERRORS  # a shard's part: --merge decides

    if args.command == "build" and args.check_only:
        from .build import check_only
        check_only(project, strict=args.strict)
        return OK

    if args.command == "build":
        from .build import build_site
        if args.shard:
            from .cache import parse_shard
            project.shard = parse_shard(args.shard)
        build_site(project, Path(args.site_dir) if args.site_dir else None,
                   strict=args.strict, verbose=args.verbose, force=args.force)
        return OK

    if args.command == "serve":
        from .build import stop_signals_interrupt
        from .plugin.engine import serve
        _, problems = project.check_content()
        if errors_only(problems):
            raise ContentErrors(problems)
        # SIGTERM stops the preview like Ctrl-C, so MkDocs removes its temporary folder.
        with stop_signals_interrupt():
            serve(project.config_path, args.dev_addr, args.open, on_fault=lambda e: _report_fault(e, args, None))
        return OK

    if args.command == "new" and args.what == "page":
        from .content.newpage import add_to_nav, page_text, slugify
        if not any(ch.isalnum() for ch in args.title):
            raise EnvironmentProblem(f"'{args.title}' has no words in it. Give the page a title that says what it "
                                     "is about, for example: clearinfo new page \"Support for carers\"")
        rel = slugify(args.title) + ".md"
        path = project.content_dir / rel
        if path.exists():
            raise EnvironmentProblem(f"{path.relative_to(project.root)} already exists. Choose another title, "
                                     "or edit that page.")
        owner = args.owner or project.options.get("default_owner") or "Adult Social Care"
        path.write_text(page_text(args.title, owner, dt.date.today(), int(project.options["review_months"])),
                        encoding="utf-8")
        shown = path.relative_to(project.root).as_posix()
        print(f"Made {shown} as a draft. Open it, write the page, and fill in the details at the top.")
        if add_to_nav(project.config_path, args.title, rel):
            print(f"Added \"{args.title}\" to the menu in {project.config_path.name}.")
        else:
            print(f"Add it to the menu: in {project.config_path.name}, under 'nav:', add a line "
                  f"- \"{args.title}\": {rel}")
        return OK
    raise AssertionError(args.command)  # pragma: no cover
