"""The templates and stylesheets of the print formats (Easy Read, large print, the packs).

One Jinja environment for them all, made once. The stylesheets beside this module are plain CSS:
their text sizes are custom properties (`var(--text-size)`), and the only generated CSS is one
small rule giving those sizes (`size_rule`), so no setting or name is ever written into CSS. The one
exception is the words of the page numbers in a document in another language (`page_numbers_rule`),
escaped so that nothing but the words gets into the CSS.
"""
from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from ..theme.catalogue import Words

HERE = Path(__file__).parent


@functools.lru_cache(maxsize=None)
def env() -> jinja2.Environment:
    """The Jinja environment for formats/templates/: HTML is escaped, block tags leave no blank lines."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                              autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True,
                              lstrip_blocks=True)


def render(template: str, **values) -> str:
    return env().get_template(template).render(**values)


def stylesheet(*names: str) -> str:
    """The named stylesheets beside this module, one after another."""
    return "\n".join((HERE / name).read_text(encoding="utf-8") for name in names)


def size_rule(**sizes: float) -> str:
    """The one generated CSS rule: each text size in points as a custom property, for example
    size_rule(text_size=18) gives ':root { --text-size: 18pt; }'. Sizes are numbers, so nothing
    else can get into the CSS."""
    values = " ".join(f"--{name.replace('_', '-')}: {float(points):g}pt;" for name, points in sizes.items())
    return f":root {{ {values} }}"


def _css_string(text: str) -> str:
    """Text as a CSS string: the words files come from many hands, so nothing else gets into the CSS."""
    return '"' + "".join(c if c.isalnum() or c in " .,:;'()-" else f"\\{ord(c):x} " for c in text) + '"'


def page_numbers_rule(words: Words) -> str:
    """The PDF's "Page 2 of 5" in the document's language, or "" for English (print.css and
    easy_read_pdf.css have the English)."""
    phrase = words.plain("Page {page} of {pages}")
    if phrase == "Page {page} of {pages}" or "{page}" not in phrase or "{pages}" not in phrase:
        return ""
    before, rest = phrase.split("{page}", 1)
    between, after = rest.split("{pages}", 1)
    parts = [_css_string(before) if before else "", "counter(page)", _css_string(between) if between else "",
             "counter(pages)", _css_string(after) if after else ""]
    return "@page { @bottom-center { content: " + " ".join(x for x in parts if x) + "; } }"
