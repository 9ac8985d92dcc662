"""Read YAML keeping the line of every value, so errors can point at it.

PyYAML turns `2026-02-30` into a crash and silently keeps the last of two
duplicate keys. We compose the node tree instead and convert it ourselves:
dates stay as text (checked later), duplicates are reported, and every value
keeps its line number.
"""
from __future__ import annotations

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


@dataclass
class Mapping:
    items: dict[str, Value] = field(default_factory=dict)
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)  # key, first line, repeat line


class _Loader(yaml.SafeLoader):
    """SafeLoader that accepts any tag (mkdocs.yml may use !!python/name or !ENV)."""


def _any_tag(loader, suffix, node):  # pragma: no cover - only reached through yaml
    return None


_Loader.add_multi_constructor("", _any_tag)

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def compose(text: str):
    """Compose YAML text into a node tree; raises yaml.YAMLError on bad syntax."""
    return yaml.compose(text, Loader=_Loader)


def to_value(node, line_offset: int = 0) -> Value:
    """Convert a node to plain Python, mappings to Mapping, keeping lines."""
    line = node.start_mark.line + 1 + line_offset
    if isinstance(node, yaml.MappingNode):
        mapping = Mapping()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_line = key_node.start_mark.line + 1 + line_offset
            if key in mapping.items:
                mapping.duplicates.append((key, mapping.items[key].key_line, key_line))
            v = to_value(value_node, line_offset)
            v.key_line = key_line
            mapping.items[key] = v
        return Value(mapping, line)
    if isinstance(node, yaml.SequenceNode):
        return Value([to_value(n, line_offset) for n in node.value], line)
    # Scalars.
    if node.tag == _TIMESTAMP:
        return Value(node.value, line, raw=node.value)
    if node.tag.startswith("tag:yaml.org,2002:"):
        try:
            constructed = SafeConstructor().construct_object(node, deep=True)
        except Exception:  # e.g. a malformed number: keep the text
            constructed = node.value
        return Value(constructed, line, raw=node.value)
    return Value(node.value, line, raw=node.value)


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
