"""Step by step: a page that walks people through a journey (for example getting care and support:
contact us, a needs assessment, eligibility, a care and support plan, reviews), each step linking to
the page that explains it, and each of those pages saying "Part of: ... step by step".

A page becomes a step by step with `step_by_step:` in its details:

    step_by_step:
      - title: Ask us for help
        page: getting-care-and-support.md
        text: Phone us, email us or ask someone to contact us for you.
      - title: Have a needs assessment
        page: needs-assessment.md

The steps are an ordered list whose items start with a heading ("Step 1: Ask us for help"), so they
work without JavaScript, in a screen reader's list of headings, and in print (the large print PDF and
the audio are made from the same HTML).
"""
from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass

from .settings import PLACEHOLDER

KEYS = ("title", "page", "text")
EXAMPLE = ("step_by_step:\n  - title: Have a needs assessment\n    page: needs-assessment.md\n"
           "    text: We talk with you about what you need.")


@dataclass(frozen=True)
class Step:
    title: str
    page: str          # the page that explains the step, e.g. "needs-assessment.md"
    text: str = ""     # one or two sentences, optional


def read_steps(value, line: int, bad) -> list[Step] | None:
    """`step_by_step` as Steps, or None (with a problem through `bad(line, message)`) when it is wrong."""
    if not isinstance(value, list) or not value:
        bad(line, f"'step_by_step' must be a list of steps, each with a 'title' and a 'page', for example:\n{EXAMPLE}")
        return None
    steps, ok = [], True
    for n, item in enumerate(value, start=1):
        where = f"step {n} of 'step_by_step'"
        if not isinstance(item, dict):
            bad(line, f"{where} must have a 'title' and a 'page' indented under it, for example:\n{EXAMPLE}")
            ok = False
            continue
        unknown = [k for k in item if k not in KEYS]
        if unknown:
            bad(line, f"{where} has '{unknown[0]}', which a step cannot have. A step has a 'title', a 'page' and, "
                      "if you want, a 'text'.")
            ok = False
        words = {}
        for key in KEYS:
            v = item.get(key)
            if v is None and key != "text":
                bad(line, f"{where} has no '{key}'. Add it, for example:\n{EXAMPLE}")
                ok = False
            elif v is not None and (not isinstance(v, str) or not v.strip()):
                bad(line, f"{where}: '{key}' must be words, not {'empty' if v in ('', None) else 'a list or group'}.")
                ok = False
            elif v is not None and ("<" in v or (key == "page" and PLACEHOLDER.search(v))):
                bad(line, f"{where}: '{key}' must be plain words, with no HTML.")
                ok = False
            else:
                words[key] = " ".join(str(v or "").split())
        if ok and words.get("page") and not words["page"].endswith(".md"):
            bad(line, f"{where}: 'page' must be the file name of a page, like needs-assessment.md, "
                      f"not '{words['page']}'.")
            ok = False
        if ok:
            steps.append(Step(words["title"], words["page"], words.get("text", "")))
    return steps if ok else None


def step_problems(pages, shown, known: set[str], hidden: set[str]) -> list[tuple]:
    """(file, line, message) for each step whose page does not exist or is not published: a warning,
    like any link to such a page (the step is shown without its link)."""
    found = []
    for page in pages:
        for n, step in enumerate(page.meta.get("step_by_step") or [], start=1):
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(page.rel), step.page))
            if rel not in known:
                found.append((shown(page), page.lines.get("step_by_step"), f"step {n} of 'step_by_step' links to "
                              f"'{step.page}', which is not a page in the content folder. Check the file name."))
            elif rel in hidden and page.rel not in hidden:
                found.append((shown(page), page.lines.get("step_by_step"), f"step {n} of 'step_by_step' links to "
                              f"'{step.page}', which is not published yet, so the link would not work."))
    return found


def journeys(pages) -> dict[str, list[dict]]:
    """For each page that is a step of a step by step: the journeys it is part of (the step by step
    page, the numbers of the steps this page explains, and the number of steps). The theme says
    them in the page's language: "step 2 of 5", "steps 2, 3 and 5 of 6"."""
    part_of: dict[str, dict[str, dict]] = {}
    for page in pages:
        steps = page.meta.get("step_by_step") or []
        for n, step in enumerate(steps, start=1):
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(page.rel), step.page))
            entry = part_of.setdefault(rel, {}).setdefault(page.rel, {
                "page": page.rel, "title": page.meta["title"], "numbers": [], "steps": len(steps)})
            entry["numbers"].append(n)
    return {rel: list(entries.values()) for rel, entries in part_of.items()}


def steps_html(steps: list[Step], link_to, fill) -> str:
    """The steps as an ordered list, each item headed "Step N: title", with its text and a link to
    its page. `link_to(page)` -> (the link's address from this page, the page's title), or None;
    `fill(text)` fills placeholders."""
    out = ['<ol class="ci-steps">']
    for n, step in enumerate(steps, start=1):
        out.append(f'<li class="ci-steps__step" id="step-{n}">')
        out.append(f'<h2 class="ci-steps__title">Step {n}: {html.escape(fill(step.title))}</h2>')
        if step.text:
            out.append(f"<p>{html.escape(fill(step.text))}</p>")
        link = link_to(step.page)
        if link:
            href, title = link
            out.append(f'<p>Find out more: <a href="{html.escape(href)}">{html.escape(fill(title))}</a></p>')
        out.append("</li>")
    out.append("</ol>")
    return "\n".join(out)
