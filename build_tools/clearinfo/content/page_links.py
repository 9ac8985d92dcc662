"""Links from one page to another, checked in the Markdown so an editor hears about a mistyped
file name with its line, before the build (the gate checks every link in the built site too)."""
from __future__ import annotations

import difflib
import posixpath
import re

from ..errors import WARNING, Problem

# [words](target) or [words](target "title"); images too. Web, email and phone links are not pages.
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_NOT_A_PAGE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#|/)", re.I)


def broken_page_links(pages, shown, content_name: str, known: set[str], hidden: set[str] | None = None) -> list[Problem]:
    """A warning for each link to a .md page that does not exist, or to an unpublished page (a draft,
    or a page in review when those are not published) from a page that is published (the link would
    be broken on the site). shown(page) -> the file's name; known: every page file (see
    pages.page_files) and the pages Clearinfo writes; hidden: the pages not published (default: drafts)."""
    drafts = hidden if hidden is not None else {p.rel for p in pages if p.meta.get("status") == "draft"}
    problems = []
    for page in pages:
        if not page.body:
            continue
        folder = posixpath.dirname(page.rel)
        fence = False
        for n, line in enumerate(page.body.splitlines(), start=page.body_line):
            if line.lstrip().startswith(("```", "~~~")):
                fence = not fence
            if fence:
                continue
            for target in _LINK.findall(line):
                path = target.split("#", 1)[0]
                if not path.endswith(".md") or _NOT_A_PAGE.match(target):
                    continue
                rel = posixpath.normpath(posixpath.join(folder, path))
                if rel in drafts and page.rel not in drafts:
                    status = next((p.meta.get("status") for p in pages if p.rel == rel), "draft")
                    problems.append(Problem(shown(page), n, f"the link to '{target}' goes to a page that is still '{status}', which "
                                            "is not published yet, so the link will not work on the site. Publish "
                                            "that page first, or remove the link for now.", WARNING))
                    continue
                if rel in known:
                    continue
                close = difflib.get_close_matches(rel, known, n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                problems.append(Problem(shown(page), n, f"the link to '{target}' goes to a page that is not in "
                                        f"{content_name}/.{hint} Check the file name, or remove the link.",
                                        WARNING))
    return problems
