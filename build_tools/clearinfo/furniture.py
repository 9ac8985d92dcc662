"""What the theme shows around every page: the quick read, other formats, review dates,
credits and 'Was this page helpful?'. Plain data for the templates; no MkDocs."""
from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from .content.languages import is_right_to_left
from .content.pages import Page
from .content.settings import Settings, fill_placeholders


def long_date(d: dt.date) -> str:
    """1 March 2027: the GOV.UK style, which screen readers and people both read easily."""
    return f"{d.day} {d:%B %Y}"


def join_words(items: list[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def feedback_link(settings: Settings, title: str, page_url: str) -> str:
    """The feedback route with the page prefilled. No script, no tracking: a link."""
    fb = settings.council.get("feedback") or {}
    if fb.get("url"):
        return (str(fb["url"]).replace("{title}", quote(title)).replace("{page}", quote(page_url, safe="")))
    subject = quote(f"Feedback on the page: {title}")
    body = quote(f"Page: {page_url}\n\nWas this page helpful? \n\nWhat could be better? \n")
    return f"mailto:{fb.get('email', '')}?subject={subject}&body={body}"


def language_attributes(language: str | None) -> str:
    """lang (and dir) for the parts of a page written in another language (WCAG 3.1.1 and 3.1.2),
    so a screen reader switches voice; the site's own words around them stay English."""
    if not language:
        return ""
    code = str(language)
    return f' lang="{code}"' + (' dir="rtl"' if is_right_to_left(code) else "")


def furniture(page: Page, settings: Settings, page_url: str, formats: list[dict] | None = None) -> dict:
    meta = page.meta
    return {
        "title": fill_placeholders(meta["title"], settings),
        "summary": fill_placeholders(meta["summary"], settings),
        "formats": [f for f in (formats or []) if f.get("href")],
        "status": meta["status"],
        "last_reviewed": long_date(meta["last_reviewed"]),
        "last_reviewed_iso": meta["last_reviewed"].isoformat(),
        "review_due": long_date(meta["review_due"]),
        "review_due_iso": meta["review_due"].isoformat(),
        "written_with": join_words(meta["coproduced_with"]),
        "owner": meta["owner"],
        "feedback_href": feedback_link(settings, meta["title"], page_url),
        "language": language_attributes(meta.get("language")),
    }
