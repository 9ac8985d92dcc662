"""A Clearinfo project: mkdocs.yml, the content folder and the council's settings, read as plain data.

The content model, the formats and the checks work on this, and know nothing of MkDocs. mkdocs.yml
is read with MkDocs' own YAML loader (plugin/settings_file.py, at the engine's edge), so Clearinfo
and the engine can never read it differently (INHERIT, !ENV).
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .content.duties import load_duties, uncovered_warnings
from .content.easyread import link_problems, load_easy_reads
from .content.glossary import load_glossary
from .content.history import approval_problems, read_history
from .content.notice import check_notice, live_notice
from .content.steps import step_problems
from .content.you_said import DATA_FILE as YOU_SAID_DATA, PAGE as YOU_SAID_PAGE, load_you_said
from .content.languages import in_site_language, translation_problems
from .content.page_links import broken_page_links
from .content.pages import PageRules, load_pages, page_files
from .lint.easy_read import level_problems
from .lint.plain_language import Remembered
from .content.references import References
from .content.settings import Settings, settings_from
from .errors import ContentErrors, EnvironmentProblem, Problem, WARNING
from .options import BY_NAME, OPTIONS, defaults
from .pictures import OWN_SUFFIXES
from .content.yamlnodes import (Mapping, Value, compose, key_at, load_data_file, merge_values, plain, to_value,
                                value_at, with_values)

CACHE_ENV = "CLEARINFO_CACHE_DIR"  # overrides the cache_dir setting (for CI pipelines)

# Options for the `clearinfo` plugin in mkdocs.yml, with their defaults: made from options.OPTIONS.
PLUGIN_DEFAULTS = defaults()


# What each setting must be. Whole numbers, numbers, true/false, text, or a list of 'name: value' lines.
_KINDS = {int: "a whole number, like 12", float: "a number, like 16", bool: "true or false",
          str: "text", dict: "a list of 'name: value' lines indented under it",
          list: "a list, one line each starting with '- '"}


OPTION_KINDS = {o.name: o.kind for o in OPTIONS}


def _plugin_options(plugins: Value | None) -> Mapping | None:
    """The clearinfo plugin's settings in mkdocs.yml, with their lines, or None if it has none."""
    if plugins is None:
        return None
    entries = plugins.value if isinstance(plugins.value, list) else [plugins]
    for entry in entries:
        if isinstance(entry.value, Mapping) and "clearinfo" in entry.value.items:
            inner = entry.value.items["clearinfo"]
            return inner.value if isinstance(inner.value, Mapping) else Mapping()
    return None


def check_options(found: Mapping, shown: str) -> tuple[dict, list[Problem]]:
    """The settings that are right, and a problem (with its line) for each one that is not. A wrong
    setting keeps its default, so the rest of the checks still run; the problem stops the build."""
    import difflib
    chosen, problems = {}, []
    for key, v in found.items.items():
        kind = OPTION_KINDS.get(key)
        if kind is None:
            close = difflib.get_close_matches(key, OPTION_KINDS, n=1)
            hint = f"Did you mean '{close[0]}'?" if close else "The README lists the settings."
            problems.append(Problem(*key_at(v, shown), f"'{key}' is not a Clearinfo setting. {hint}"))
            continue
        if key == "exit_this_page_url" and not str(v.value or "").startswith(("https://", "http://")):
            problems.append(Problem(*value_at(v, shown), "'exit_this_page_url' must be a web address starting with "
                                                         "https://, like https://www.bbc.co.uk/weather."))
            continue
        if key == "notice":  # a notice is checked part by part, with the line of each mistake
            notice, found = check_notice(v, shown)
            problems += found
            if not found:
                chosen[key] = notice or {}
            continue
        value = plain(v)
        ok = (isinstance(value, (int, float)) and not isinstance(value, bool)) if kind is float else \
             (isinstance(value, int) and not isinstance(value, bool)) if kind is int else isinstance(value, kind)
        if kind is str and value is None:
            value, ok = "", True
        if not ok:
            given = ("empty" if value is None else f"'{v.raw}'" if v.raw is not None else
                     "a list" if isinstance(value, list) else "a group of settings")
            problems.append(Problem(*value_at(v, shown), f"'{key}' must be {_KINDS[kind]}, not {given}."))
            continue
        if kind is list and not all(isinstance(item, str) and item.strip() for item in value):
            problems.append(Problem(*value_at(v, shown), f"'{key}' must be a list of names, one line each starting "
                                                         "with '- ', with no empty lines."))
            continue
        choices = BY_NAME[key].choices
        if choices and value not in choices:
            problems.append(Problem(*value_at(v, shown), f"'{key}' must be one of: {', '.join(choices)}. "
                                                         f"'{value}' is not one of them."))
            continue
        least = BY_NAME[key].minimum
        if least is not None and value < least:
            problems.append(Problem(*value_at(v, shown), f"'{key}' must be {least} or more, not '{value}'."))
            continue
        chosen[key] = value
    return chosen, problems


def read_config(config_path: Path, root: Path) -> Value | None:
    """mkdocs.yml read as MkDocs reads it, with the place every value came from. The values are
    the engine's own (plugin/settings_file.py); the files it INHERITs, their lines and the !ENV variables
    come from reading the same files' YAML nodes, merged the same way. A mistake is said plainly:
    a file that cannot be read, an INHERIT that names no file, an !ENV variable that is not set."""
    tops, unset = [], []  # each file's nodes, mkdocs.yml first, then the file it INHERITs, and so on
    seen: list[Path] = []
    path, named_at = config_path, None  # named_at: where the INHERIT naming this file is
    while path is not None:
        shown = _shown_config(path, root)
        if path in seen:
            raise ContentErrors([Problem(*named_at, f"'INHERIT' names {shown}, which is this file or inherits it, so "
                                 "the files would go round in a circle. Remove one of the INHERIT lines.")])
        if not path.is_file():
            raise ContentErrors([Problem(*named_at, f"'INHERIT' names {shown}, but there is no such file. Check the "
                                 f"name: it is read from the folder this file is in ({path.parent}).")])
        seen.append(path)
        top = _config_nodes(path, shown, unset)
        path = None
        if top is not None and not isinstance(top.value, Mapping):
            raise EnvironmentProblem(f"{shown}: the settings file is not laid out as 'name: value' lines.")
        if top is not None and "INHERIT" in top.value.items:
            inherit = top.value.items.pop("INHERIT")
            named_at = key_at(inherit, shown)
            if not isinstance(inherit.value, str) or not inherit.value:
                if unset:  # INHERIT: !ENV NAME, and NAME is not set
                    raise ContentErrors([_unset_problem(*u) for u in unset])
                raise ContentErrors([Problem(*named_at, "'INHERIT' must be the name of another settings file, "
                                             "like: INHERIT: base.yml")])
            path = Path(os.path.normpath(Path(seen[-1]).parent / inherit.value))
        if top is not None:
            tops.append(top)
    if unset:
        raise ContentErrors([_unset_problem(*u) for u in unset])
    if not tops:
        return None
    located = tops[-1]
    for top in reversed(tops[:-1]):  # the furthest parent first: each child merged over it, as MkDocs does
        located = merge_values(located, top)
    from .plugin.settings_file import as_the_engine_reads_it  # the engine's own reading: at the edge
    return with_values(as_the_engine_reads_it(config_path), located)


def _shown_config(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else os.path.relpath(path, root)


def _config_nodes(path: Path, shown: str, unset: list) -> Value | None:
    """One settings file's YAML nodes, with lines, !ENV filled in (see yamlnodes.to_value)."""
    try:
        node = compose(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise EnvironmentProblem(f"{shown}: the settings file is not saved as UTF-8 text. Save it again as UTF-8 "
                                 "(most editors offer this).") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise EnvironmentProblem(
            f"{shown}, line {mark.line + 1 if mark else 1}: the settings file could not be read "
            f"({getattr(e, 'problem', e)}). Check the indentation and that text with a colon is in quotes.") from None
    return to_value(node, source=shown, unset=unset) if node is not None else None


def _unset_problem(names: list, line: int, source: str) -> Problem:
    if not names:
        return Problem(source, line, "'!ENV' here names no environment variable. Write the variable's name after "
                                     "it, like: phone: !ENV PHONE")
    name = names[0]  # with two or more, the last is the default (pyyaml-env-tag), so there is one
    return Problem(source, line, f"'!ENV' here needs the environment variable {name}, which is not set. Set it "
                   f"before you build (for example export {name}=\"its value\" in a terminal, or in your CI "
                   f"pipeline's settings), or give a default after the name, like: !ENV [{name}, \"the default\"]")


@dataclass
class Checked:
    """Everything read and checked, ready for the formats."""
    pages: list
    easy_reads: list
    glossary: object
    problems: list


@dataclass
class Project:
    config_path: Path
    root: Path
    content_dir: Path
    site_dir: Path
    settings: Settings
    options: dict
    problems: list[Problem] = field(default_factory=list)
    _pictures: object = field(default=None, repr=False, compare=False)
    _checked: object = field(default=None, repr=False, compare=False)  # check_all's answer for today
    _history: object = field(default=False, repr=False, compare=False)  # read_history's answer, once
    shard: object = None  # cache.Shard: make only this share of the PDFs and audio (clearinfo build --shard)

    @classmethod
    def load(cls, config_path: str | Path) -> "Project":
        config_path = Path(config_path).resolve()
        if not config_path.exists():
            raise EnvironmentProblem(
                f"I cannot find {config_path.name} in {config_path.parent}. Run Clearinfo in the project "
                "folder (the one with mkdocs.yml), or say where it is with --config-file.")
        root = config_path.parent
        shown = config_path.name
        top = read_config(config_path, root)
        if top is None or not isinstance(top.value, Mapping):
            raise EnvironmentProblem(f"{shown}: the settings file is empty or not laid out as 'name: value' lines.")
        items = top.value.items
        settings, problems = settings_from(items.get("extra"), shown)
        docs_dir = root / str(items["docs_dir"].value if "docs_dir" in items else "docs")
        site_dir = root / str(items["site_dir"].value if "site_dir" in items else "site")
        options = defaults()
        found = _plugin_options(items.get("plugins"))
        if found is not None:
            chosen, option_problems = check_options(found, shown)
            options.update(chosen)
            problems = problems + option_problems
        if not docs_dir.is_dir():
            raise EnvironmentProblem(f"{shown}: the content folder {docs_dir.name}/ does not exist. "
                                     "Set 'docs_dir' to the folder with your pages.")
        return cls(config_path, root, docs_dir, site_dir, settings, options, problems)

    @property
    def vendor_dir(self) -> Path:
        return self.root / str(self.options["vendor_dir"])

    @property
    def concurrency(self) -> int:
        """How many PDFs or audio files are made at once (the 'concurrency' setting, at least 1)."""
        return max(1, self.options["concurrency"])

    @property
    def cache_dir(self) -> Path:
        """Where made PDFs and audio are kept between builds. CLEARINFO_CACHE_DIR wins over the
        setting, so a CI pipeline can keep the cache somewhere it saves between runs."""
        return self.root / (os.environ.get(CACHE_ENV) or str(self.options["cache_dir"]))

    def rules(self, today: dt.date | None = None) -> PageRules:
        return PageRules(today=today or dt.date.today(),
                         summary_max_words=int(self.options["summary_max_words"]),
                         references=References.load(self.content_dir / "references.yml"),
                         known_duties=self.duty_ids(),
                         approvers=tuple(self.options["approvers"]),
                         approver_names=bool(self.options["approver_names"]),
                         overdue_is_error=self.options["overdue_reviews"] == "error")

    def duty_ids(self) -> set | None:
        """The ids in content/duties.yml, or None when the project keeps no list of duties."""
        path = self.content_dir / "duties.yml"
        if not path.exists():
            return None
        return set((load_data_file(path, "duties").get("duties") or {}).keys())

    def shown(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)

    def glossary(self):
        """The glossary and any problems in it."""
        path = self.content_dir / "glossary.yml"
        return load_glossary(path, self.shown(path), References.load(self.content_dir / "references.yml"))

    def duties(self):
        return load_duties(self.content_dir / "duties.yml")

    def notice(self, today: dt.date) -> str | None:
        """The urgent notice's words if it shows on `today` (content/notice.py), else None."""
        return live_notice(self.options.get("notice"), today)

    def published(self, status: str) -> bool:
        """Is a page with this status published? Approved pages are; pages in review only with the
        'publish_in_review' setting (otherwise the preview shows them, marked); drafts never."""
        return status == "approved" or (status == "in review" and bool(self.options["publish_in_review"]))

    def history(self):
        """What git knows about the pages (content/history.py), read once; None without git."""
        if self._history is False:
            self._history = read_history(self.content_dir)
        return self._history

    def you_said(self, today: dt.date | None = None, pages: set[str] | None = None):
        """The "You said, we did" entries (content/you-said-we-did.yml); [] when there is no file."""
        return load_you_said(self.content_dir / YOU_SAID_DATA, today or dt.date.today(), pages)

    @property
    def easy_read_dir(self) -> Path:
        return self.root / str(self.options["easy_read_dir"])

    def pictures(self):
        """The picture set, read once per build: every check and format shares it (and what it
        learnt about each picture)."""
        if self._pictures is None:
            from .pictures import PictureSet
            self._pictures = PictureSet(self.easy_read_dir / "pictures")
        return self._pictures

    def easy_read_rules(self, glossary):
        from .lint.easy_read import EasyReadRules
        return EasyReadRules(glossary, self.pictures(), levels=self.options["easy_read_rules"],
                             max_pages=int(self.options["easy_read_max_pages"]))

    def check_all(self, today: dt.date | None = None) -> Checked:
        """Every page, glossary entry and Easy Read document read and checked: once a build. The
        command checks the content before the engine starts, and hands this same project to the
        engine's adapter, which asks again and gets the same answer."""
        if today is None:
            if self._checked is None:
                self._checked = self._check_all(None)
            return self._checked
        return self._check_all(today)

    def _check_all(self, today: dt.date | None) -> Checked:
        rules = self.rules(today)
        pages, problems = load_pages(self.content_dir, self.root, self.settings, rules)
        glossary, found = self.glossary()
        problems = self.problems + problems + found
        docs, found = load_easy_reads(self.easy_read_dir, self.root, self.settings, rules)
        problems += found
        easy_rules = self.easy_read_rules(glossary)
        problems += easy_rules.pictures.problems
        for doc in docs:
            problems += easy_rules.check(doc)
        files = page_files(self.content_dir)

        def shown(page):
            return self.shown(page.path)

        problems += link_problems(pages, docs, self.content_dir.name, self.easy_read_dir.name, self.root, files)
        problems += translation_problems(pages, shown, files, self.history,
                                         out_of_date_error=self.options["translations_out_of_date"] == "error")
        problems += approval_problems(pages, self.history(), shown, self.options["approval_changes"] == "error",
                                      today or dt.date.today())
        notice = self.options.get("notice") or {}
        if notice.get("ends") and (today or dt.date.today()) > notice["ends"]:
            problems.append(Problem(self.config_path.name, None, f"the notice ended on {notice['ends'].isoformat()}, "
                                    "so it is no longer shown. Remove 'notice' from the clearinfo settings.", WARNING))
        try:
            self.you_said(today, files - {p.rel for p in pages if p.meta["status"] == "draft"})  # drafts are not published
        except ContentErrors as e:
            problems += e.problems
        made = {YOU_SAID_PAGE} if (self.content_dir / YOU_SAID_DATA).exists() else set()  # pages Clearinfo writes
        hidden = {p.rel for p in pages if not self.published(p.meta["status"])}  # drafts, and pages in review
        problems += broken_page_links(pages, shown, self.content_dir.name, files | made, hidden)
        problems += [Problem(*found, WARNING) for found in step_problems(pages, shown, files, hidden)]  # as for links
        target, most, jargon = (float(self.options["reading_ease_target"]), int(self.options["max_sentence_words"]),
                                self.options.get("jargon") or {})
        remembered = Remembered(self.cache_dir / "checks" / "plain-language.json", glossary, (target, most, jargon))
        for page in (p for p in pages if in_site_language(p.meta)):  # the checks know only English
            problems += remembered.check(page, self.shown(page.path), glossary, target, most, jargon)
        remembered.save()
        size = self.options["easy_read_font_size"]  # a number: check_options made sure
        if size < 16:
            problems.append(Problem(self.config_path.name, None, f"'easy_read_font_size' is {size}, but Easy "
                                    "Read text must be 16 point or more. Set it to 16 or a larger number."))
        size = self.options["large_print_font_size"]
        if size < 16:
            problems.append(Problem(self.config_path.name, None, f"'large_print_font_size' is {size}, but large "
                                    "print must be 16 point or more (18 is best). Set it to 16 or a larger number."))
        problems += self._logo_problems(docs)
        problems += level_problems(self.options["easy_read_rules"], self.config_path.name)
        if not any(p.is_error for p in problems):
            problems += uncovered_warnings([p for p in pages if self.published(p.meta["status"])], self.duties(),
                                           self.shown(self.content_dir / "duties.yml"))
        names = {p.rel for p in pages}
        for key in ("glossary_page", "accessibility_page"):
            wanted = self.options[key]
            if wanted not in names and not any(p.path.endswith(wanted) for p in problems if p.is_error):
                problems.append(Problem(self.config_path.name, None,
                    f"the footer links to '{wanted}' ({key.replace('_', ' ')}), but there is no such page in "
                    f"{self.content_dir.name}/. Add the page, or set '{key}' under the clearinfo plugin."))
        return Checked(pages, docs, glossary, problems)

    def _logo_problems(self, docs) -> list[Problem]:
        logo = self.options.get("easy_read_logo")
        if not logo:
            return []
        path = self.root / str(logo)
        if not path.is_file():
            return [Problem(self.config_path.name, None, f"'easy_read_logo' is '{logo}', but there is no such "
                            "file. Put the logo there, or remove the 'easy_read_logo' setting.")]
        if path.suffix.lower() not in OWN_SUFFIXES:
            return [Problem(self.config_path.name, None, f"'easy_read_logo' is '{logo}', which is not a picture "
                            "Clearinfo can put in a PDF. Use a PNG, JPEG or SVG file.")]
        return [Problem(self.shown(doc.path), doc.lines.get("checked_by"),
                        "the Easy Read logo is left off this document because 'checked_by' names no one. The logo "
                        "may only be used on documents checked by people with learning disabilities: name "
                        "the group that checked it.", "warning")
                for doc in docs if not doc.meta.get("checked_by")]

    def check_content(self, today: dt.date | None = None):
        """Every page read and checked. Returns (pages, problems including the settings' ones)."""
        checked = self.check_all(today)
        return checked.pages, checked.problems
