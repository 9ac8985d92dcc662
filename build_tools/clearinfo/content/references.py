"""The index of reference documents (content/references.yml) that `sources` point into."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentErrors, Problem
from .yamlnodes import load_data_file

SOURCE = re.compile(r"^(?P<file>[^\s:]+):(?P<start>\d+)(?:-(?P<end>\d+))?$")


@dataclass
class References:
    documents: dict  # file name -> {"title", "lines", "sha256"}
    folder: Path | None = None

    @classmethod
    def load(cls, path: Path) -> "References":
        if not path.exists():
            return cls(documents={})
        data = load_data_file(path, "documents")
        for name, doc in (data.get("documents") or {}).items():
            lines = doc.get("lines")
            if not isinstance(lines, int) or isinstance(lines, bool) or lines < 1:
                raise ContentErrors([Problem("/".join(path.parts[-2:]), None, (
                    f"'{name}' must say how many lines the document has, as a number, for example "
                    "'lines: 1200'. Clearinfo checks each page's sources against it."))])
        folder = data.get("folder")
        return cls(documents=data.get("documents") or {},
                   folder=(path.parent.parent / folder).resolve() if folder else None)

    def check(self, source: str) -> str | None:
        """None when `source` is a valid reference; otherwise what is wrong, in plain English."""
        example = next(iter(self.documents), "003_8c4143861d2e16af.txt") + ":725-751"
        if source.startswith("https://"):
            return None
        m = SOURCE.match(source)
        if not m:
            return (f"source '{source}' must name a reference document and its lines, like {example}, "
                    "or be a web address starting with https://.")
        name, start = m.group("file"), int(m.group("start"))
        end = int(m.group("end") or start)
        doc = self.documents.get(name)
        if doc is None:
            known = ", ".join(self.documents) or "none are listed"
            return (f"source '{source}' names '{name}', which is not in content/references.yml. "
                    f"The documents listed there are: {known}.")
        if start < 1 or end < start:
            return f"source '{source}' has its lines the wrong way round. Write the first line, a dash, then the last line."
        if end > int(doc["lines"]):
            return f"source '{source}' goes past the end of {name}, which has {doc['lines']} lines."
        return None
