"""Read YAML keeping the line of every value, so errors can point at it.

PyYAML turns `2026-02-30` into a crash and silently keeps the last of two
duplicate keys. We compose the node tree instead and convert it ourselves:
dates stay as text (checked later), duplicates are reported, and every value
keeps its line number.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor

from ..errors import ContentErrors, Problem


@dataclass
class Value:
    """A YAML value with the 1-based line it starts on."""

    value: object
    line: int
    key_line: int = 0
    raw: str | None = None  # the text as written, for scalars
    source: str | None = None  # the file it was written in, when not the one being read (an INHERIT parent)
    env: str | None = None  # the environment variable that gave it (`!ENV NAME` in mkdocs.yml)


@dataclass
class Mapping:
    items: dict[str, Value] = field(default_factory=dict)
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)  # key, first line, repeat line


class _Loader(yaml.SafeLoader):
    """SafeLoader that accepts any tag (mkdocs.yml may use !!python/name or !ENV)."""


def _any_tag(loader, suffix, node):  # pragma: no cover - only reached through yaml
    return None


_Loader.add_multi_constructor("", _any_tag)


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same, through libyaml (C) when PyYAML has it: several times quicker on every page's front matter."""


_FastLoader.add_multi_constructor("", _any_tag)

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def compose(text: str):
    """Compose YAML text into a node tree; raises yaml.YAMLError on bad syntax. A mistake is read
    again by the Python reader, whose messages (and lines) the plain-English errors are built on."""
    try:
        return yaml.compose(text, Loader=_FastLoader)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=_Loader)


def to_value(node, line_offset: int = 0, *, source: str | None = None, unset: list | None = None) -> Value:
    """Convert a node to plain Python, mappings to Mapping, keeping lines. With `unset` (a list), `!ENV`
    tags are filled in from the environment as MkDocs fills them, and each variable that is not set
    and has no default is added to it as (names, line, source)."""
    line = node.start_mark.line + 1 + line_offset
    if unset is not None and node.tag == _ENV:
        return _env_value(node, line, source, unset)
    if isinstance(node, yaml.MappingNode):
        mapping = Mapping()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_line = key_node.start_mark.line + 1 + line_offset
            if key in mapping.items:
                mapping.duplicates.append((key, mapping.items[key].key_line, key_line))
            v = to_value(value_node, line_offset, source=source, unset=unset)
            v.key_line = key_line
            mapping.items[key] = v
        return Value(mapping, line, source=source)
    if isinstance(node, yaml.SequenceNode):
        return Value([to_value(n, line_offset, source=source, unset=unset) for n in node.value], line, source=source)
    return Value(_scalar(node), line, raw=node.value, source=source)


def _scalar(node):
    if node.tag == _TIMESTAMP:
        return node.value
    if node.tag.startswith("tag:yaml.org,2002:"):
        try:
            return SafeConstructor().construct_object(node, deep=True)
        except Exception:  # e.g. a malformed number: keep the text
            return node.value
    return node.value


# --- mkdocs.yml as MkDocs reads it: `!ENV` and `INHERIT` ------------------------------------------

_ENV = "!ENV"


def _env_value(node, line: int, source: str | None, unset: list) -> Value:
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`: the first variable that is set, else the default,
    as pyyaml-env-tag (MkDocs' reader) decides. The value keeps the line of the tag."""
    names, default = [], None
    if isinstance(node, yaml.ScalarNode):
        names = [node.value]
    elif isinstance(node, yaml.SequenceNode):
        kids = node.value
        if len(kids) > 1:
            kids, default = kids[:-1], kids[-1]
        names = [str(k.value) for k in kids if isinstance(k, yaml.ScalarNode)]
    for name in names:
        if name in os.environ:
            text = os.environ[name]
            tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
            return Value(_scalar(yaml.ScalarNode(tag, text)), line, raw=text, source=source, env=name)
    if default is not None:
        return to_value(default, source=source, unset=unset)
    unset.append((names, line, source))
    return Value(None, line, source=source)


def merge_values(parent: Value, child: Value) -> Value:
    """A file merged over the file it INHERITs, as MkDocs merges them (mergedeep): groups of settings
    are merged, name by name, all the way down; anything else in the child replaces the parent's."""
    if not (isinstance(parent.value, Mapping) and isinstance(child.value, Mapping)):
        return child
    items = dict(parent.value.items)
    for key, v in child.value.items.items():
        items[key] = merge_values(items[key], v) if key in items else v
    merged = Mapping(items, parent.value.duplicates + child.value.duplicates)
    return Value(merged, child.line, child.key_line, child.raw, child.source, child.env)


def with_values(loaded, located: Value | None) -> Value:
    """The plain data another reader made (MkDocs' own) with the lines, files and variables of the
    same places in `located`. Where the two differ in shape the value keeps no line, never a wrong one."""
    at = located or Value(None, 0)
    where = dict(line=at.line, key_line=at.key_line, source=at.source, env=at.env)
    if isinstance(loaded, dict):
        inner = at.value if isinstance(at.value, Mapping) else Mapping()
        return Value(Mapping({str(k): with_values(x, inner.items.get(str(k))) for k, x in loaded.items()},
                             inner.duplicates), **where)
    if isinstance(loaded, list):
        inner = at.value if isinstance(at.value, list) and len(at.value) == len(loaded) else [None] * len(loaded)
        return Value([with_values(x, y) for x, y in zip(loaded, inner)], **where)
    return Value(loaded, raw=at.raw, **where)


def value_at(v: Value, shown: str) -> tuple[str, int | None]:
    """Where a Problem about this value points: its file and line, or the environment variable
    that gave it (and the line that names the variable)."""
    if v.env:
        return f"the environment variable {v.env} (from {v.source or shown}, line {v.line})", None
    return v.source or shown, v.line or None


def key_at(v: Value, shown: str) -> tuple[str, int | None]:
    """Where a Problem about this value's name (its `key:`) points."""
    return v.source or shown, v.key_line or None


def plain(v: Value):
    """Strip line information: Value/Mapping tree to plain Python."""
    if isinstance(v.value, Mapping):
        return {k: plain(x) for k, x in v.value.items.items()}
    if isinstance(v.value, list):
        return [plain(x) for x in v.value]
    return v.value


def read_nodes(path, shown: str) -> Value | None:
    """A YAML file as a Value tree (None when it is empty). A file that cannot be read stops the
    build with its name and line, never a traceback."""
    try:
        node = compose(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ContentErrors([Problem(shown, None, "the file is not saved as UTF-8 text. Save it again as UTF-8 "
                                                  "(most editors offer this).")]) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ContentErrors([Problem(shown, mark.line + 1 if mark else None,
                                     f"this file could not be read ({getattr(e, 'problem', None) or 'not YAML'}). "
                                     "Check the indentation, and put text that has a colon in quotes.")]) from None
    return to_value(node) if node is not None else None


def duplicate_problems(mapping: Mapping, shown: str) -> list:
    """A name given twice in one group: YAML would quietly keep the last, so say so instead."""
    return [Problem(shown, again, f"'{key}' is here twice (lines {first} and {again}). Keep one of them.")
            for key, first, again in mapping.duplicates]


def load_data_nodes(path, key: str) -> Mapping:
    """A content data file (duties.yml, references.yml) whose entries sit under `key:`, with the
    line of every value. Each entry must be a group of details; a repeated name is an error."""
    shown = "/".join(path.parts[-2:])
    top = read_nodes(path, shown)
    if top is None:
        return Mapping()
    layout = Problem(shown, None, f"this file must start with '{key}:', with each entry's name indented "
                                  "under it and its details indented under the name.")
    if not isinstance(top.value, Mapping):
        raise ContentErrors([layout])
    entries = top.value.items.get(key)
    if entries is None or entries.value is None:
        return top.value
    if not isinstance(entries.value, Mapping):
        raise ContentErrors([layout])
    problems = duplicate_problems(top.value, shown) + duplicate_problems(entries.value, shown)
    for name, entry in entries.value.items.items():
        if isinstance(entry.value, Mapping):
            problems += duplicate_problems(entry.value, shown)
        else:
            problems.append(Problem(shown, entry.key_line, f"'{name}' must have its details indented under it, "
                                                           "one 'name: value' a line."))
    if problems:
        raise ContentErrors(problems)
    return top.value


def load_data_file(path, key: str) -> dict:
    """A content data file as plain data (see load_data_nodes)."""
    data = plain(Value(load_data_nodes(path, key), 1))
    if data.get(key) is None:
        data[key] = {}
    return data
