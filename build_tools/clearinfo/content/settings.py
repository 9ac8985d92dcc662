"""The council's details, set once in mkdocs.yml under `extra: council:`, and the
placeholders (`{{ council.phone }}`) that put them into pages."""
from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from ..errors import Problem
from .yamlnodes import Mapping, Value, key_at, plain, value_at

# What a council sets. Required ones fail the build when missing.
COUNCIL_FIELDS = {
    "name": ("required", "the council's name, for example: Example Council"),
    "phone": ("required", "the adult social care phone number"),
    "textphone": ("optional", "a textphone or Relay UK number"),
    "email": ("required", "the adult social care email address"),
    "address": ("required", "the postal address, one line per item in a list"),
    "opening_hours": ("required", "when the phone line is open"),
    "website": ("optional", "the council's main website"),
    "feedback": ("required", "where 'Was this page helpful?' sends people: a 'url' or an 'email'"),
    "report_problem": ("optional", "where 'Report a problem with this page' sends people: a 'url' or an 'email' "
                                   "(without it, the adult social care email)"),
    "safeguarding_board": ("optional", "the name of your area's Safeguarding Adults Board"),
    "groups": ("optional", "the council's co-production groups, one per line: a short name, a colon, then the "
                           "group's name, for example: carers: Exampletown Carers' Forum"),
}
# A group's short name, as pages write it under 'coproduced_with' and 'checked_by'.
GROUP_KEY = re.compile(r"^[a-z][a-z0-9_-]*$")

PLACEHOLDER = re.compile(r"\{\{\s*(.*?)\s*\}\}")
_NAME = re.compile(r"^council\.([a-z_][a-z0-9_]*)$")


@dataclass
class Settings:
    council: dict = field(default_factory=dict)

    def lookup(self, name: str):
        m = _NAME.match(name)
        if not m:
            return None
        return self.council.get(m.group(1))

    def text(self, name: str) -> str | None:
        value = self.lookup(name)
        if value is None or isinstance(value, dict):
            return None
        if isinstance(value, list):
            return ", ".join(str(x) for x in value)
        return str(value)

    def group_names(self, names: list[str]) -> list[str]:
        """The groups a page names under 'coproduced_with' (or an Easy Read document under 'checked_by'):
        a short name set under 'groups' in mkdocs.yml becomes that group's name, so every page shows the
        names the council set once; any other name is shown as written."""
        groups = self.council.get("groups")
        if not isinstance(groups, dict):
            return list(names)
        return [str(groups[n]) if isinstance(groups.get(n), str) else n for n in names]


def settings_from(extra: Value | None, config_path: str) -> tuple[Settings, list[Problem]]:
    """Read and check `extra.council` from mkdocs.yml as read (see project.py). Each problem names
    where its value came from: mkdocs.yml or a file it INHERITs, and the line, or an environment
    variable given with !ENV."""
    problems: list[Problem] = []

    def bad(at: tuple, msg):
        problems.append(Problem(*at, msg))

    def key(v):
        return key_at(v, config_path)

    def value(v):
        return value_at(v, config_path)

    council_v = None
    if extra is not None and isinstance(extra.value, Mapping):
        council_v = extra.value.items.get("council")
    if council_v is None or not isinstance(council_v.value, Mapping):
        at = key(council_v) if council_v else key(extra) if extra else (config_path, None)
        bad(at, "the council's details are missing. Add them under 'extra:' then 'council:' "
                "(name, phone, email, address, opening_hours and feedback).")
        return Settings(), problems

    items = council_v.value.items
    for name, v in items.items():
        if name not in COUNCIL_FIELDS:
            known = ", ".join(COUNCIL_FIELDS)
            bad(key(v), f"'{name}' under 'council' is not a setting Clearinfo knows. "
                        f"The council settings are: {known}.")
    for name, (need, what) in COUNCIL_FIELDS.items():
        v = items.get(name)
        if v is None or v.value in (None, ""):
            if v is not None and v.env:
                bad(value(v), f"the variable is empty, so the council setting '{name}' has no value. Set "
                              f"{v.env} to {what}{'' if need == 'required' else ', or remove the setting'}.")
            elif need == "required":
                bad(key(council_v), f"the council setting '{name}' is missing. "
                                    f"Add '{name}:' under 'council:' with {what}.")
            continue
        if name == "address":
            if not (isinstance(v.value, str) or (isinstance(v.value, list) and v.value
                                                 and all(isinstance(x.value, str) for x in v.value))):
                bad(value(v), "'address' must be text, or a list with one line of the address per item.")
        elif name in ("feedback", "report_problem"):
            fb = v.value
            if not isinstance(fb, Mapping) or not ({"url", "email"} & set(fb.items)):
                form = "a feedback form" if name == "feedback" else "a form for reporting problems"
                bad(value(v), f"'{name}' must have a 'url' ({form}) or an 'email'. "
                              f"For example: {name}: {{email: feedback@example.org}}")
            elif "url" in fb.items and not str(fb.items["url"].value).startswith(("https://", "http://")):
                bad(value(fb.items["url"]), f"the {name} 'url' must be a web address starting with https://.")
            else:
                for extra_key, extra_v in fb.items.items():
                    if extra_key not in ("url", "email"):
                        bad(key(extra_v), f"'{extra_key}' under '{name}' is not a setting Clearinfo knows. "
                                          f"'{name}' can have a 'url' or an 'email'.")
        elif name == "groups":
            problems += _group_problems(v, key, value)
        elif isinstance(v.value, (list, Mapping)):
            bad(value(v), f"'{name}' must be text, for example: {name}: {what}.")
    council = plain(council_v)
    for name in ("phone", "textphone", "opening_hours", "name", "email", "safeguarding_board"):
        if name in council and council[name] is not None:
            council[name] = str(council[name])
    return Settings(council=council), problems


def _group_problems(v: Value, key, value) -> list[Problem]:
    """'groups' is lines of 'short name: the group's name'."""
    example = "people: Exampletown People's Panel"
    if not isinstance(v.value, Mapping) or not v.value.items:
        return [Problem(*value(v), "'groups' must be your co-production groups, one per line under it: a short "
                                   f"name, a colon, then the group's name. For example: {example}")]
    problems = []
    for short, g in v.value.items.items():
        if not GROUP_KEY.match(short):
            problems.append(Problem(*key(g), f"'{short}' is not a short name Clearinfo can use for a group. Use small "
                                             "letters, numbers, - and _ only, starting with a letter, like 'carers'."))
        if not isinstance(g.value, str) or not g.value.strip():
            problems.append(Problem(*value(g), f"the group '{short}' needs its name as text after the colon. "
                                               f"For example: {example}"))
    return problems


def find_placeholders(text: str, settings: Settings, path: str, first_line: int) -> list[Problem]:
    """Every `{{ ... }}` in text must name a setting that is set."""
    problems = []
    # The whole text is searched with the same pattern fill_placeholders uses, so anything left
    # unfilled is reported, on the line the placeholder starts.
    starts = list(accumulate(len(line) for line in text.splitlines(keepends=True)))
    for m in PLACEHOLDER.finditer(text):
        lineno = first_line + bisect_right(starts, m.start())
        name = m.group(1)
        if not _NAME.match(name):
            problems.append(Problem(path, lineno,
                f"'{m.group(0)}' is not a setting Clearinfo knows. Settings are written like "
                "{{ council.phone }}: the word council, a full stop, then the setting's name."))
        elif settings.text(name) is None:
            key = name.split(".", 1)[1]
            problems.append(Problem(path, lineno,
                f"'{m.group(0)}' needs the setting '{name}', which is not set. Add '{key}:' under "
                "'extra:' then 'council:' in mkdocs.yml, or remove the placeholder."))
    return problems


def fill_placeholders(text: str, settings: Settings, *, for_html: bool = False) -> str:
    """Replace placeholders that have settings; others are left (they were reported already).
    for_html: the text is Markdown or HTML, so a setting's <, & and " are written as entities and
    show as themselves (a council called 'Smith & Jones' stays that, and no setting adds HTML)."""
    def sub(m):
        value = settings.text(m.group(1))
        if value is None:
            return m.group(0)
        return html.escape(value) if for_html else value
    return PLACEHOLDER.sub(sub, text)
