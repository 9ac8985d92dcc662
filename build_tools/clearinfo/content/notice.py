"""The urgent notice: one short message from the settings (`notice:` under the clearinfo plugin in
mkdocs.yml), shown at the top of every page, in the large print PDFs and printed copies, and said
at the start of every page's audio, from its start date until its end date. A build after the end
date leaves it out, so an old notice never lingers.

    notice:
      text: Our phone lines are closed on 25 December.
      ends: 2026-12-26      # the last day it shows
      starts: 2026-12-01    # optional: the first day it shows
"""
from __future__ import annotations

import datetime as dt
import re

from ..errors import Problem
from .safe_html import plain_text_problem
from .settings import PLACEHOLDER
from .yamlnodes import Mapping, Value, key_at, value_at

KEYS = ("text", "ends", "starts")
EXAMPLE = "notice:\n  text: Our phone lines are closed on 25 December.\n  ends: 2026-12-26"
NOTICE_BLOCK = 9998  # its block number for the audio's read-along (partials/notice.html)


def check_notice(v: Value, shown: str) -> tuple[dict | None, list[Problem]]:
    """The notice as {text, ends, starts} when it is right, with a problem (file and line) for each
    mistake. An empty `notice:` is no notice."""
    problems: list[Problem] = []
    if v.value is None or v.value == {}:
        return None, []
    if not isinstance(v.value, Mapping):
        return None, [Problem(*value_at(v, shown), "'notice' must have a 'text' and an 'ends' date indented under "
                                                   f"it, for example:\n{EXAMPLE}")]
    items = v.value.items
    for name, item in items.items():
        if name not in KEYS:
            problems.append(Problem(*key_at(item, shown), f"'{name}' is not part of a notice. A notice has a 'text', "
                                                          "an 'ends' date and, if you want, a 'starts' date."))
    notice: dict = {}
    text = items.get("text")
    words = text.value if text is not None else None
    if not isinstance(words, str) or not words.strip():
        where = value_at(text, shown) if text is not None else key_at(v, shown)
        problems.append(Problem(*where, f"the notice has no 'text'. Say what people need to know, for example:\n{EXAMPLE}"))
    else:
        why = plain_text_problem(words)
        if why or PLACEHOLDER.search(words):
            problems.append(Problem(*value_at(text, shown), "the notice's 'text' must be plain words: no HTML and no "
                                                            "settings like {{ council.phone }}. Write them out."))
        notice["text"] = " ".join(words.split())
    for name, needed in (("ends", True), ("starts", False)):
        item = items.get(name)
        if item is None:
            if needed:
                problems.append(Problem(*key_at(v, shown), "the notice has no 'ends' date, so it would never go away. "
                                                           "Add the last day it should show, like 'ends: 2026-12-26'."))
            continue
        raw = item.raw if item.raw is not None else str(item.value)
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", raw.strip())
        try:
            notice[name] = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
        except ValueError:
            notice[name] = None
        if notice[name] is None:
            problems.append(Problem(*value_at(item, shown), f"the notice's '{name}' must be a date that exists, like "
                                                            f"2026-12-26 (year-month-day), not '{raw}'."))
    if notice.get("starts") and notice.get("ends") and notice["starts"] > notice["ends"]:
        problems.append(Problem(*value_at(items["starts"], shown), "the notice 'starts' after it 'ends'. Check the dates."))
    return (notice if not problems else None), problems


def live_notice(notice: dict | None, today: dt.date) -> str | None:
    """The notice's text if it shows today, else None (not started yet, or ended)."""
    if not notice or not notice.get("text"):
        return None
    if notice.get("starts") and today < notice["starts"]:
        return None
    if notice.get("ends") and today > notice["ends"]:
        return None
    return notice["text"]
