"""A finding: what the accessibility gate found, said so a content editor can fix it."""
from __future__ import annotations

from dataclasses import asdict, dataclass

VIOLATION = "violation"   # fails the gate
REVIEW = "review"         # a person should look ("needs review"); does not fail


@dataclass(frozen=True)
class Finding:
    page: str        # path in the site, e.g. "complaints/index.html" or "complaints/x.pdf"
    check: str       # the engine or check: axe, htmlcs, nu, beyond-axe, structure, links, pdf, audio, reflow, gate
    rule: str        # e.g. color-contrast, heading-skip, pdf-no-lang
    message: str     # what is wrong, in plain English
    fix: str         # how to fix it
    element: str = ""  # where on the page: a CSS selector, an HTML snippet, or a place in the file
    severity: str = VIOLATION
    context: str = ""  # e.g. "desktop, light colours"
    selector: str = ""  # the element's CSS selector alone, when the engine gives one: exceptions and
                        # reviews can name it ('element:' in their files)

    def as_dict(self) -> dict:
        return asdict(self)
