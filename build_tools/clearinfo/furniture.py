"""What the theme shows around every page: the quick read, other formats, review dates,
credits and 'Was this page helpful?'. Plain data for the templates; no MkDocs."""
from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from .content.languages import is_right_to_left
from .content.pages import Page
from .content.settings import Settings, fill_placeholders
from .theme.catalogue import Words


def long_date(d: dt.date) -> str:
    """1 March 2027: the GOV.UK style, which screen readers and people both read easily."""
    return f"{d.day} {d:%B %Y}"


def join_words(items: list[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _filled(url: str, title: str, page_url: str) -> str:
    """A form's address with the page's title and address put in: {title}, and {url} (or {page})."""
    address = quote(page_url, safe="")
    return str(url).replace("{title}", quote(title)).replace("{url}", address).replace("{page}", address)


def _route(setting: dict, email: str, title: str, page_url: str, subject: str, question: str) -> str:
    """A form's address (`setting['url']`) or an email (`setting['email']`, else `email`), with the
    page's title and address filled in. No script, no tracking: a link."""
    if setting.get("url"):
        return _filled(setting["url"], title, page_url)
    body = quote(f"Page: {title}\nAddress: {page_url}\n\n{question}")
    return f"mailto:{setting.get('email') or email}?subject={quote(f'{subject}: {title}')}&body={body}"


def feedback_link(settings: Settings, title: str, page_url: str) -> str:
    """'Was this page helpful?': the feedback route with the page's title and address filled in."""
    return _route(settings.council.get("feedback") or {}, "", title, page_url, "Feedback on the page",
                  "Was this page helpful? \n\nWhat could be better? \n")


def report_link(settings: Settings, title: str, page_url: str) -> str:
    """'Report a problem with this page': the report_problem route (a form or an email address),
    or else the adult social care email, with the page's title and address filled in."""
    return _route(settings.council.get("report_problem") or {}, settings.council.get("email", ""), title, page_url,
                  "A problem with the page", "What is wrong? \n")


def language_attributes(language: str | None) -> str:
    """lang (and dir) for the parts of a page written in another language (WCAG 3.1.1 and 3.1.2),
    so a screen reader switches voice; the site's own words around them stay English."""
    if not language:
        return ""
    code = str(language)
    return f' lang="{code}"' + (' dir="rtl"' if is_right_to_left(code) else "")


def _in_words(formats: list[dict], words: Words | None) -> list[dict]:
    """Other formats' names in the page's language (the file sizes stay as they are)."""
    if words is None or not words.translated:
        return formats
    return [{**f, "label": words.t(f["label"]), "detail": words.t(f["detail"]) if f.get("detail") else f.get("detail")}
            for f in formats]


def furniture(page: Page, settings: Settings, page_url: str, formats: list[dict] | None = None, *,
              history: list[dict] | None = None, preview: bool = False, words: Words | None = None) -> dict:
    """`history`: the page's changes (content/history.py page_history), shown when given.
    `preview`: the page is shown by `clearinfo serve`, so a page that is not published says so.
    `words`: the theme's words in the page's language (theme/catalogue.py), for a translation."""
    meta = page.meta
    approved = meta["status"] == "approved" and meta.get("approved_by") and meta.get("approved_on")
    when = words.date if words is not None and words.translated else long_date  # months in the page's language
    return {
        "title": fill_placeholders(meta["title"], settings),
        "summary": fill_placeholders(meta["summary"], settings),
        "formats": _in_words([f for f in (formats or []) if f.get("href")], words),
        "status": meta["status"],
        "last_reviewed": when(meta["last_reviewed"]),
        "last_reviewed_iso": meta["last_reviewed"].isoformat(),
        "review_due": when(meta["review_due"]),
        "review_due_iso": meta["review_due"].isoformat(),
        "written_with": join_words(meta["coproduced_with"]),
        "owner": meta["owner"],
        "feedback_href": feedback_link(settings, fill_placeholders(meta["title"], settings), page_url),
        "report_href": report_link(settings, fill_placeholders(meta["title"], settings), page_url),
        "approved_by": meta.get("approved_by") if approved else None,
        "approved_on": when(meta["approved_on"]) if approved else None,
        "approved_on_iso": meta["approved_on"].isoformat() if approved else None,
        "history": [{"date": when(c["date"]), "iso": c["date"].isoformat(), "summary": c["summary"]}
                    for c in history or []],
        "preview_marker": {"draft": "DRAFT", "in review": "IN REVIEW"}.get(meta["status"]) if preview else None,
        "language": language_attributes(meta.get("language")),
    }


def translation_box(state, words: Words, english_href: str) -> dict:
    """What a translation says about itself, near its top: that its English page changed since it
    was checked (content/translations.py), in its own language, with a link to the English; and,
    for an example translation, that a qualified translator must check it, in its language and in
    English (so the council's staff can read it too)."""
    from .content.translations import OUT_OF_DATE
    from .theme.catalogue import ENGLISH
    notice = None
    if state is not None and state.state == OUT_OF_DATE:
        if state.changed_on:
            notice = words.fill("The English version of this page changed on {date}. This translation may be out "
                                "of date.", date=f'<time datetime="{state.changed_on.isoformat()}">'
                                               f'{words.date(state.changed_on)}</time>')
        else:
            notice = words.t("The English version of this page changed. This translation may be out of date.")
    example = (state is not None and state.status == "example") or None
    sentence = "This is an example translation. A qualified translator must check it before it is used."
    return {"notice": notice, "english_href": english_href, "read_english": words.t("Read the English page"),
            "example": words.t(sentence) if example else None,
            "example_english": ENGLISH.t(sentence) if example and words.translated else None}
