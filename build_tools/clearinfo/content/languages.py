"""Pages in other languages: what each language is called, which way it is written, and the links
between a page and its translations. Pure: pages in, problems and links out."""
from __future__ import annotations

from ..errors import Problem

SITE_LANGUAGE = "en-GB"

# The languages most spoken in England after English (2021 census), plus Welsh: each with its
# English name and its own name, so a reader finds their language written in it.
NAMES = {
    "en": ("English", "English"),
    "ar": ("Arabic", "العربية"),
    "bg": ("Bulgarian", "Български"),
    "bn": ("Bengali", "বাংলা"),
    "cy": ("Welsh", "Cymraeg"),
    "el": ("Greek", "Ελληνικά"),
    "es": ("Spanish", "Español"),
    "fa": ("Persian", "فارسی"),
    "fr": ("French", "Français"),
    "gu": ("Gujarati", "ગુજરાતી"),
    "hi": ("Hindi", "हिन्दी"),
    "hu": ("Hungarian", "Magyar"),
    "it": ("Italian", "Italiano"),
    "ku": ("Kurdish", "Kurdî"),
    "lt": ("Lithuanian", "Lietuvių"),
    "ne": ("Nepali", "नेपाली"),
    "pa": ("Punjabi", "ਪੰਜਾਬੀ"),
    "pl": ("Polish", "Polski"),
    "ps": ("Pashto", "پښتو"),
    "pt": ("Portuguese", "Português"),
    "ro": ("Romanian", "Română"),
    "ru": ("Russian", "Русский"),
    "so": ("Somali", "Soomaali"),
    "sq": ("Albanian", "Shqip"),
    "ta": ("Tamil", "தமிழ்"),
    "ti": ("Tigrinya", "ትግርኛ"),
    "tr": ("Turkish", "Türkçe"),
    "uk": ("Ukrainian", "Українська"),
    "ur": ("Urdu", "اردو"),
    "vi": ("Vietnamese", "Tiếng Việt"),
    "zh": ("Chinese", "中文"),
}

# Written right to left (the page's words get dir="rtl").
RIGHT_TO_LEFT = {"ar", "fa", "he", "ps", "ur", "yi", "ckb", "sd"}


def _primary(code: str) -> str:
    return str(code).lower().split("-")[0]


def language_name(code: str) -> tuple[str, str]:
    """(English name, own name); the code itself for a language not in the list."""
    return NAMES.get(_primary(code), (str(code), str(code)))


def is_right_to_left(code: str) -> bool:
    return _primary(code) in RIGHT_TO_LEFT or str(code).lower() == "ku-arab"


def in_site_language(meta: dict) -> bool:
    """True for a page in English: the plain-English checks and the glossary links are for those."""
    return _primary(meta.get("language") or SITE_LANGUAGE) == _primary(SITE_LANGUAGE)


def translation_problems(pages, shown, files: set[str], history=None, *, out_of_date_error: bool = False) -> list[Problem]:
    """Each 'translation_of' names a real English page, once per language, and each translation is
    in step with it (content/translations.py). shown(page) -> file name; files: every page file (see
    pages.page_files); history(): what git knows (content/history.py), asked only when a translation
    is out of date; out_of_date_error: the setting 'translations_out_of_date' is 'error'."""
    from .translations import detail_problems, state_problems, translation_states
    problems = _link_problems(pages, shown, files) + detail_problems(pages, shown)
    if not any(p.is_error for p in problems):
        problems += state_problems(translation_states(pages, history), shown, out_of_date_error)
    return problems


def _link_problems(pages, shown, files: set[str]) -> list[Problem]:
    problems = []
    by_rel = {p.rel: p for p in pages}
    seen: dict[tuple[str, str], object] = {}
    for page in pages:
        target = page.meta.get("translation_of")
        if not target:
            continue
        line = page.lines.get("translation_of")
        original = by_rel.get(target)
        if original is None and target in files and target != page.rel:
            continue  # the page is there but has mistakes of its own, which are reported already
        if original is None or original is page:
            problems.append(Problem(shown(page), line, f"'translation_of' names '{target}', which is not another "
                                    "page. Write the file name of the English page this page translates, like "
                                    "complaints.md."))
            continue
        if original.meta.get("translation_of"):
            problems.append(Problem(shown(page), line, f"'{target}' is itself a translation (of "
                                    f"{original.meta['translation_of']}). Name the English page instead."))
            continue
        key = (target, _primary(page.meta.get("language") or ""))
        if key in seen:
            problems.append(Problem(shown(page), line, f"{shown(seen[key])} is already the "
                                    f"{language_name(key[1])[0]} translation of {target}. Keep one of them."))
            continue
        seen[key] = page
    return problems


def page_languages(pages, url_of) -> dict[str, list[dict]]:
    """Each published page that has published translations, and each of those translations: the
    whole family, English first, each language named in itself (so a reader finds theirs). For the
    language list near the top of the page and the hreflang links in its head. url_of(rel) -> the
    page's address in the site. A draft translation (or a draft English page) is left out."""
    by_rel = {p.rel: p for p in pages}
    families: dict[str, list] = {}
    for page in pages:
        original = by_rel.get(page.meta.get("translation_of") or "")
        if original is None or original.meta.get("translation_of") or "draft" in (page.meta.get("status"),
                                                                                 original.meta.get("status")):
            continue
        families.setdefault(original.rel, [original]).append(page)
    out: dict[str, list[dict]] = {}
    for rel, family in families.items():
        english, *others = family
        others.sort(key=lambda p: (language_name(p.meta["language"])[0], p.rel))
        entries = [{"rel": english.rel, "code": SITE_LANGUAGE, "name": "English", "english_name": "English",
                    "href": url_of(english.rel), "dir": None}]
        for page in others:
            code = page.meta["language"]
            english_name, own = language_name(code)
            entries.append({"rel": page.rel, "code": code, "name": own, "english_name": english_name,
                            "href": url_of(page.rel), "dir": "rtl" if is_right_to_left(code) else None})
        for page in family:
            out[page.rel] = [{**e, "current": e["rel"] == page.rel} for e in entries if e["href"] is not None]
    return out
