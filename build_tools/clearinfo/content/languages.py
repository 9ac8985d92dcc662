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


def translation_problems(pages, shown, files: set[str]) -> list[Problem]:
    """Each 'translation_of' names a real English page, once per language. shown(page) -> file name;
    files: every page file (see pages.page_files)."""
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


def translation_links(pages, url_of) -> dict[str, list[dict]]:
    """'Other formats' entries: each published page links to its published translations, and each
    translation links back to the English page. url_of(rel) -> the page's address in the site."""
    by_rel = {p.rel: p for p in pages}
    links: dict[str, list[dict]] = {}
    for page in sorted(pages, key=lambda p: (language_name(p.meta.get("language") or "")[0], p.rel)):
        original = by_rel.get(page.meta.get("translation_of") or "")
        if original is None or "draft" in (page.meta.get("status"), original.meta.get("status")):
            continue
        code = page.meta["language"]
        english, own = language_name(code)
        links.setdefault(original.rel, []).append(
            {"label": own, "href": url_of(page.rel), "detail": f"this page in {english}", "lang": code,
             "dir": "rtl" if is_right_to_left(code) else None})
        links.setdefault(page.rel, []).append(
            {"label": "English", "href": url_of(original.rel), "detail": "the original page",
             "lang": SITE_LANGUAGE})
    return links
