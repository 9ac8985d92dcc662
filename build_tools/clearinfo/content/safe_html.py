"""The HTML a page may hold, decided by a maintained sanitiser (nh3, the Python binding of ammonia).

Pages come from many hands, and a reviewer can miss one line, so only a short, documented list of
HTML passes (README, "Security"). Nothing is stripped silently: everything outside the list is a
content error with its file, its line, why it is refused and what to write instead.

Two looks at every page:
- `check_source` reads the Markdown as written, so most mistakes get their exact line;
- `check_rendered` reads what the Markdown became (attr_list can add attributes, a Markdown link
  becomes an <a href>), so nothing reaches the site that the first look missed.
Both ask nh3 whether each tag, with its attributes, is safe; this file only explains the answer.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

from ..errors import Problem

# The allow-list. Everything Markdown itself writes, plus a few tags people need and Markdown
# cannot write (abbr, details and summary, a span in another language, table captions).
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
})
# h1 is left out on purpose: a page has one main heading, made from its title.
GLOBAL_ATTRIBUTES = frozenset({"lang", "dir", "id", "class", "title"})
ALLOWED_ATTRIBUTES = {
    "*": set(GLOBAL_ATTRIBUTES),
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan", "align"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start", "reversed"},
    "time": {"datetime"},
    "details": {"open"},
    "col": {"span"},
    "colgroup": {"span"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src"})
# md_in_html reads markdown="1" in the source and removes it from the page.
SOURCE_ONLY_ATTRIBUTES = frozenset({"markdown"})

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
# What may stand between a tag's name and its '>': anything but a quote or '>', or a whole quoted
# value, which may hold a '>' (HTML allows title="Over 65 > carer"). The regexes that find tags in
# built pages (the glossary and phone number links, the policy's marking of links to other sites,
# printed addresses) are made with it, so a '>' in a value never ends a tag early.
TAG_INSIDE = r"""(?:[^>"']|"[^"]*"|'[^']*')"""

_AUTOLINK = re.compile(r"^<((?:https?|ftp)://[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>$", re.IGNORECASE)
_TABLE_PARTS = {"td": "<table><tr>{}</tr></table>", "th": "<table><tr>{}</tr></table>",
                "tr": "<table>{}</table>", "thead": "<table>{}</table>", "tbody": "<table>{}</table>",
                "tfoot": "<table>{}</table>", "caption": "<table>{}</table>",
                "colgroup": "<table>{}</table>", "col": "<table><colgroup>{}</colgroup></table>"}

# Why a tag is refused, and what to write instead, in words an editor knows.
_RUNS_PROGRAMS = ("it would run a program in every visitor's browser",
                  "Remove it. Pages cannot add programs; the site's own player, menu and search "
                  "already work on every page")
_EMBEDS = ("it puts another website or program inside the page, which the council cannot check",
           "Link to it instead, for example: [Watch the video](https://www.example.org/video)")
_FORMS = ("a form could send what residents type to somewhere else",
          "Link to the council's own form instead, for example: [Fill in the form](https://www.example.org/form)")
_WHOLE_PAGE = ("it changes how the browser treats the whole page, and can send visitors to another site",
               "Remove it")
_STYLES = ("page styles can hide words, break the large text and dark colours, or load things from "
           "other sites", "Remove it; the site's stylesheet styles every page in the same accessible way")
_DRAWINGS = ("a picture written as code can carry a program",
             "Save the picture as a file in content/ and show it with ![what the picture shows](picture.svg)")
TAG_REASONS = {
    "script": _RUNS_PROGRAMS, "noscript": _RUNS_PROGRAMS, "template": _RUNS_PROGRAMS,
    "iframe": _EMBEDS, "frame": _EMBEDS, "frameset": _EMBEDS, "object": _EMBEDS, "embed": _EMBEDS,
    "applet": _EMBEDS, "portal": _EMBEDS, "video": _EMBEDS, "audio": _EMBEDS,
    "form": _FORMS, "input": _FORMS, "button": _FORMS, "select": _FORMS, "textarea": _FORMS,
    "meta": _WHOLE_PAGE, "link": _WHOLE_PAGE, "base": _WHOLE_PAGE, "html": _WHOLE_PAGE,
    "head": _WHOLE_PAGE, "body": _WHOLE_PAGE, "title": _WHOLE_PAGE,
    "style": _STYLES, "font": _STYLES, "center": _STYLES,
    "svg": _DRAWINGS, "math": _DRAWINGS, "canvas": _DRAWINGS,
    "h1": ("the page's one main heading comes from its 'title'",
           "Use '## ' for a heading inside the page"),
}


def _refused_tag(tag: str) -> str:
    why, instead = TAG_REASONS.get(tag, (
        "it is not in the list of HTML a page may use",
        "Write it in Markdown, or use one of the HTML tags the README lists under 'Security'"))
    return f"the HTML tag <{tag}> is not allowed, because {why}. {instead}."


def _refused_attribute(tag: str, name: str, value: str | None) -> str:
    if name.startswith("on"):
        return (f"'{name}' on <{tag}> is not allowed, because it would run a program when someone uses "
                "the page. Remove it.")
    if name == "style":
        why, instead = _STYLES
        return f"'style' on <{tag}> is not allowed, because {why}. {instead}."
    if name in URL_ATTRIBUTES and name in ALLOWED_ATTRIBUTES.get(tag, ()):
        return refused_address(value or "", picture=(name == "src"))
    allowed = sorted(ALLOWED_ATTRIBUTES.get(tag, set()) | GLOBAL_ATTRIBUTES)
    return (f"'{name}' on <{tag}> is not allowed. Remove it. The attributes <{tag}> may have are: "
            + ", ".join(allowed) + ".")


def decoded_address(url: str) -> str:
    """An address as the browser reads it: character references decoded, and the tabs, line breaks
    and control characters that browsers ignore taken out ('jav&#x09;ascript:' is 'javascript:')."""
    url = html.unescape(url)
    url = re.sub(r"[\t\n\r]", "", url)
    return url.lstrip("".join(chr(c) for c in range(0x21)))


def address_scheme(url: str) -> str | None:
    m = _SCHEME.match(decoded_address(url))
    return m.group(1).lower() if m else None


def address_problem(url: str, *, picture: bool = False) -> str | None:
    """Why an address may not be used in a link (or, with picture, as a picture), or None."""
    scheme = address_scheme(url)
    if picture and (scheme or decoded_address(url).startswith(("//", "\\\\"))):
        return refused_address(url, picture=True)
    if scheme is not None and scheme not in URL_SCHEMES:
        return refused_address(url)
    return None


def refused_address(url: str, *, picture: bool = False) -> str:
    shown = decoded_address(url)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    if picture:
        return (f"the picture address '{shown}' is not allowed: a picture must be a file in this site, so "
                "nothing loads from another website. Save the picture in content/ and write its file name, "
                "for example ![what the picture shows](pictures/day-centre.jpg).")
    scheme = address_scheme(url) or "?"
    return (f"the address '{shown}' starts with '{scheme}:', which is not a web page, an email address or a "
            "phone number. Use an address that starts with https://, http://, mailto: or tel:, or another "
            "page of this site, such as complaints.md.")


def _nh3_keeps(tag: str, tag_text: str) -> dict[str, str | None] | None:
    """What nh3 keeps of one tag: its attributes, or None when it drops the whole tag."""
    wrapped = _TABLE_PARTS.get(tag, "{}").format(tag_text)
    cleaned = nh3.clean(wrapped, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES,
                        url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=False)
    finder = _FirstTag(tag)
    finder.feed(cleaned)
    finder.close()
    return finder.attrs


class _FirstTag(HTMLParser):
    def __init__(self, tag):
        super().__init__(convert_charrefs=True)
        self.tag, self.attrs = tag, None

    def handle_starttag(self, tag, attrs):
        if tag == self.tag and self.attrs is None:
            self.attrs = dict(attrs)

    handle_startendtag = handle_starttag


def judge_tag(tag: str, attrs: list[tuple[str, str | None]], tag_text: str, *, source: bool) -> list[str]:
    """Why this tag, as written, may not be in a page (empty when it may)."""
    tag = tag.lower()
    if tag not in ALLOWED_TAGS:  # decided by the list nh3 is given; said here with the reason
        return [_refused_tag(tag)]
    if source:  # md_in_html's markdown="1" is read, then removed, so nh3 need not see it
        attrs = [(n, v) for n, v in attrs if n.lower() not in SOURCE_ONLY_ATTRIBUTES]
        tag_text = re.sub(r"""\smarkdown\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", "", tag_text, flags=re.IGNORECASE)
    kept = _nh3_keeps(tag, tag_text)
    if kept is None:
        return [_refused_tag(tag)]
    reasons = []
    for name, value in attrs:
        name = name.lower()
        if name not in kept:
            reasons.append(_refused_attribute(tag, name, value))
        elif tag == "img" and name == "src":
            why = address_problem(value or "", picture=True)
            if why:
                reasons.append(why)
    return reasons


class _Scanner(HTMLParser):
    """Walks HTML (or Markdown with its code taken out), asking judge_tag about every tag."""

    def __init__(self, source: bool):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.found: list[tuple[int, str, str]] = []  # line, message, what was written

    def _say(self, message, written):
        self.found.append((self.getpos()[0], message, written))

    def handle_starttag(self, tag, attrs):
        text = self.get_starttag_text() or f"<{tag}>"
        if self.source and _AUTOLINK.match(text):  # <https://...> and <name@example.org> are links
            return
        if self.source and (":" in tag or "@" in tag):  # <javascript:...> would be a link or a tag
            self._say(refused_address(text.strip("<>")), text)
            return
        for why in judge_tag(tag, attrs, text, source=self.source):
            self._say(why, text)

    handle_startendtag = handle_starttag

    def feed(self, data):
        super().feed(as_browsers_read(data))

    def parse_marked_section(self, i, report=1):
        """'<![name[' outside SVG and MathML: a browser reads it as a comment that ends at the first '>'
        (the standard library's parser stops with an AssertionError on names it does not know)."""
        end = self.rawdata.find(">", i + 3)
        if end < 0:  # never closed: the browser hides the rest of the page
            end = len(self.rawdata) - 1
        if report:
            self.unknown_decl(self.rawdata[i + 3:end])
        return end + 1

    def handle_decl(self, decl):
        self._say(_refused_tag("!" + decl.split()[0].lower() if decl else "!"), f"<!{decl}>")

    def handle_pi(self, data):
        self._say("'<?' instructions are not allowed in a page. Remove it.", f"<?{data}>")

    def unknown_decl(self, data):
        self._say("'<![' sections are not allowed in a page. Remove it.", f"<![{data}]>")


def as_browsers_read(text: str) -> str:
    """Python's HTML parser keeps a comment open where browsers end it ('<!-->', '<!--->', '--!>'),
    which would hide what follows from the checks. Written the way browsers read them, they end."""
    return re.sub(r"<!---?>", "<!---->", text).replace("--!>", "-->")


_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
# [words](address "title"), ![picture](address), [name]: address
_INLINE_LINK = re.compile(r"(!?)\[[^\]\n]*\]\(\s*<?([^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)


def without_code(markdown: str) -> str:
    """The Markdown with fenced code blocks and code spans blanked out (line breaks kept), because
    HTML written there is shown as an example, not used."""
    out, fence = [], None
    for line in markdown.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(2)[0] * len(m.group(2))
            out.append("\n" if line.endswith("\n") else "")
            continue
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            out.append("\n" if line.endswith("\n") else "")
            continue
        out.append(line)
    text = "".join(out)
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index)


def check_source(markdown: str, path: str, first_line: int) -> list[Problem]:
    """Every refused tag, attribute and link address in a page's Markdown, with its line."""
    text = without_code(markdown)
    problems: list[Problem] = []
    scanner = _Scanner(source=True)
    scanner.feed(text)
    scanner.close()
    seen = set()
    for line, message, _ in scanner.found:
        key = (line, message)
        if key not in seen:
            seen.add(key)
            problems.append(Problem(path, line + first_line - 1, message))
    for m in _INLINE_LINK.finditer(text):
        why = address_problem(m.group(2), picture=bool(m.group(1)))
        if why:
            problems.append(Problem(path, _line_at(text, m.start()) + first_line, why))
    for m in _REFERENCE.finditer(text):
        why = address_problem(m.group(1))
        if why:
            problems.append(Problem(path, _line_at(text, m.start()) + first_line, why))
    return sorted(problems, key=lambda p: p.line or 0)


def check_rendered(page_html: str, path: str, markdown: str | None = None,
                   first_line: int = 1) -> list[Problem]:
    """What check_source cannot see: the page's HTML as the Markdown made it. The line is the first
    line of the Markdown that has the refused thing in it, when one can be found."""
    scanner = _Scanner(source=False)
    scanner.feed(page_html)
    scanner.close()
    problems, seen = [], set()
    for _, message, written in scanner.found:
        if message in seen:
            continue
        seen.add(message)
        problems.append(Problem(path, _find_line(markdown, message, written, first_line), message))
    return problems


def _find_line(markdown: str | None, message: str, written: str, first_line: int) -> int | None:
    if not markdown:
        return None
    quoted = re.findall(r"'([^']+)'", message)
    needles = [q for q in quoted if len(q) > 2] + [written]
    for needle in needles:
        for n, line in enumerate(markdown.splitlines(), start=first_line):
            if needle.lower() in line.lower():
                return n
    return None


def plain_text_problem(text: str, what: str = "this") -> str | None:
    """For words that are shown as plain text everywhere (a title, a summary, a glossary meaning,
    Easy Read sentences): any HTML tag is a mistake, because it would show as code."""
    m = re.search(r"<(/?[a-zA-Z][^\s>/]*)", text)
    if not m:
        return None
    return (f"{what} is plain text, so HTML such as <{m.group(1)}> cannot be used here: it would show as "
            "code. Write the words only.")
