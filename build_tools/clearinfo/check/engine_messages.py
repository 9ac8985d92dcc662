"""What HTML_CodeSniffer and the Nu HTML Checker report, said in plain English with how to fix it.

Both tools write for web developers. The people who read the gate's report are often not, so each
common message gets a sentence saying what is wrong for a reader and a sentence saying what to
change. Anything not listed here falls back to the tool's own words, so nothing is ever hidden.
"""
from __future__ import annotations

import re

# --- HTML_CodeSniffer ----------------------------------------------------------------------------

# The kind of control in an H91 code ("H91.InputCheckbox.Name"), in everyday words.
_CONTROL = {
    "A": "link", "Button": "button", "InputButton": "button", "InputSubmit": "button", "InputReset": "button",
    "InputImage": "picture button", "InputCheckbox": "tick box", "InputRadio": "option button",
    "InputText": "text box", "InputEmail": "email box", "InputTel": "phone number box", "InputSearch": "search box",
    "InputNumber": "number box", "InputPassword": "password box", "InputUrl": "web address box",
    "InputDate": "date box", "InputFile": "file picker", "InputRange": "slider", "Select": "drop-down list",
    "Textarea": "text area", "Iframe": "embedded frame",
}

_CHECK_NAME = ("Give it a name a screen reader can say: a <label for=\"...\"> whose 'for' matches its id, "
               "or an aria-label.")

# (technique, as a regular expression; what is wrong; how to fix it). {what} is the kind of control;
# {id}, {required} and {value} come from HTML_CodeSniffer's own message when it gives them.
_HTMLCS = [
    (r"H32\.2", "This form has no submit button, so people who use a keyboard or a screen reader may not "
                "be able to send it.",
     "Add a submit button inside the form, for example <button type=\"submit\">Search</button>."),
    (r"F68", "This form field has no label, so a screen reader cannot say what it is for.",
     "Add a <label for=\"...\"> next to it whose 'for' matches the field's id, with words that say what "
     "to enter or choose."),
    (r"H91\.A\.(EmptyNoId|NoContent|Placeholder|Empty|EmptyWithName)",
     "This link has no words, so a screen reader cannot say where it goes.",
     "Put words inside the link that say where it goes, or give a picture inside it alt text."),
    (r"H91\.(?P<kind>\w+)\.Name", "This {what} has no name, so a screen reader cannot say what it is for.",
     _CHECK_NAME),
    (r"H91\.(?P<kind>\w+)\.Value", "This {what} has no value a screen reader can say.",
     "Give it a value, for example mark one option as selected, or put text in it."),
    (r"H44\.NonExistent(Fragment)?", "A label's 'for' points to an id that is not on the page, so the label "
                                     "is not joined to any field.",
     "Make the label's 'for' match the id of the field it describes."),
    (r"H44\.NotFormControl", "A label's 'for' points to something that is not a form field.",
     "Make the label's 'for' match the id of the field it describes."),
    (r"H37", "A picture has no alt text, so people who cannot see it do not know what it shows.",
     "Add alt text that says what the picture shows, or alt=\"\" if it is only decoration."),
    (r"H30\.2", "A link is only a picture, and the picture has no alt text, so a screen reader cannot say where "
                "the link goes.",
     "Give the picture alt text that says where the link goes."),
    (r"H36", "A picture button has no alt text, so a screen reader cannot say what it does.",
     "Give the button alt text that says what it does."),
    (r"H24", "A clickable area of a picture has no alt text.", "Give each <area> alt text that says where it goes."),
    (r"H67\.1", "A picture marked as decoration (alt=\"\") still has a title, so some screen readers read it out.",
     "Remove the title, or give the picture real alt text if it is not decoration."),
    (r"H2\.EG5", "A picture inside a link repeats the link's words in its alt text, so screen readers say them twice.",
     "Use alt=\"\" on the picture, because the link's words already say where it goes."),
    (r"H25\.1\.(NoHeadEl|NoTitleEl|EmptyTitle)", "The page has no title, so people cannot tell pages apart in "
                                                 "browser tabs, history and screen readers.",
     "Give the page a title: in a content page, set 'title' in its details."),
    (r"H57\.2", "The page does not say what language it is in, so screen readers may read it in the wrong voice.",
     "Set lang on the <html> element, for example lang=\"en-GB\"."),
    (r"H57\.3\.\w+", "The page's language code is not a real language code.",
     "Use a code like en-GB, cy or pl in the page's lang."),
    (r"H58\.1\.\w+", "A part of the page has a language code that is not a real language code.",
     "Use a code like en-GB, cy or pl in that part's lang."),
    (r"H64\.1", "An embedded frame has no title, so screen reader users do not know what is in it.",
     "Give the <iframe> a title that says what it shows."),
    (r"F77", "The id '{id}' is used more than once on the page. Links and screen readers can only find the first.",
     "Give each element its own id."),
    (r"H42\.2", "A heading has no words in it. Screen reader users hear an empty heading.",
     "Put words in the heading, or remove it."),
    (r"H71\.NoLegend", "A group of form fields (a fieldset) has no legend, so screen readers do not say what the "
                       "group is about.",
     "Add a <legend> as the first thing in the fieldset, saying what the group is about."),
    (r"H43.*|H63.*", "A table's heading cells are not joined to its data cells, so screen readers cannot say which "
                     "heading each value belongs to.",
     "Use <th> for heading cells, with scope=\"col\" or scope=\"row\" (or headers on the data cells for "
     "complex tables)."),
    (r"H39\.3\.LayoutTable|H73\.3\.LayoutTable", "A table used only for layout has a caption or summary, so screen "
                                                 "readers treat it as a data table.",
     "Do not use tables for layout; if it really holds data, give it heading cells."),
    (r"(G18|G145|G17)(_or_\w+)?\.Fail", "The text here does not stand out enough from its background (contrast "
                                        "{value}:1, it needs at least {required}:1), so people with low vision "
                                        "may not be able to read it.",
     "Use a darker text colour or a lighter background (or the other way round), from the theme's colours."),
    (r"F40\.2|F41\.2", "The page reloads or moves to another page by itself after a time, and the reader cannot "
                       "stop it.",
     "Remove the meta refresh; link to the new page instead."),
    (r"G1,G123,G124\.NoSuchID(Fragment)?", "A link points to '#{id}' on this page, but nothing on the page has that "
                                           "id, so the link goes nowhere.",
     "Make the link point to an id that is on the page, or add that id."),
    (r"F92,ARIA4", "An element marked as decoration (role=\"presentation\") holds content with meaning, so screen "
                   "readers may skip it.",
     "Remove role=\"presentation\", or move the meaningful content out of it."),
    (r"H98\.\w+", "A form field's autocomplete value is wrong for that kind of field, so browsers and assistive "
                  "tools cannot fill it in for people.",
     "Use an autocomplete value from the HTML standard that fits the field (for example 'name', 'email', "
     "'tel'), or remove it."),
]


def _detail(raw: str, name: str) -> str:
    patterns = {
        "id": r"(?:id attribute value|named) [\"“]([^\"”]+)[\"”]",
        "required": r"at least ([\d.]+):1",
        "value": r"contrast ratio of ([\d.]+):1",
    }
    m = re.search(patterns[name], raw)
    return m.group(1) if m else "?"


def wcag_criterion(code: str) -> str:
    """'WCAG2AA.Principle3.Guideline3_2.3_2_2.H32.2' -> '3.2.2' ('' if the code has none)."""
    parts = code.split(".")
    return parts[3].replace("_", ".") if len(parts) > 4 and re.fullmatch(r"\d+_\d+_\d+", parts[3]) else ""


def htmlcs_technique(code: str) -> str:
    """'WCAG2AA.Principle3.Guideline3_2.3_2_2.H32.2' -> 'H32.2': the part that names the problem."""
    parts = code.split(".")
    return ".".join(parts[4:]) if wcag_criterion(code) else code


def explain_htmlcs(code: str, raw: str) -> tuple[str, str]:
    """(what is wrong, how to fix it) for one HTML_CodeSniffer error, the WCAG criterion included."""
    technique = htmlcs_technique(code)
    sc = wcag_criterion(code)
    where = f" (WCAG {sc})" if sc else ""
    for pattern, message, fix in _HTMLCS:
        m = re.fullmatch(pattern, technique)
        if m:
            kind = m.groupdict().get("kind") or ""
            values = {"what": _CONTROL.get(kind, "form control"), "id": _detail(raw, "id"),
                      "required": _detail(raw, "required"), "value": _detail(raw, "value")}
            return message.format(**values) + where, fix
    return (f"HTML_CodeSniffer says: {raw}{where}",
            f"Fix what the message describes. The technique {technique} is explained at "
            "https://squizlabs.github.io/HTML_CodeSniffer/Standards/WCAG2/")


# --- The Nu HTML Checker -------------------------------------------------------------------------

_Q = r"“([^”]*)”"  # Nu puts names and values in curly quotes


def _q(name: str) -> str:
    return rf"“(?P<{name}>[^”]*)”"


_ARIA = r"“(?P<attr>role|aria-[a-z]+)”"  # the attributes that tell screen readers what something is

# (slug, the message as a regular expression, what is wrong, how to fix it). The first that matches wins,
# so the ARIA ones come before the general attribute ones.
_NU = [
    ("nu-aria-misuse", rf"The {_ARIA} attribute must not be (?:used|specified) on (?:any|an?|the) {_q('el')} "
                       r"element(?P<rest>.*)",
     "The <{el}> element has the {attr} attribute, which is not allowed there{why}. Screen readers may then say the "
     "wrong thing about it, or nothing.",
     "Remove the {attr} attribute from the <{el}>.{label_fix}"),
    ("nu-aria-misuse", rf"Attribute {_ARIA} not allowed on element {_q('el')} at this point\.",
     "The <{el}> element has the {attr} attribute, which is not allowed on it. Screen readers may then say the "
     "wrong thing about it.",
     "Remove the {attr} attribute, or use an element that means what you want (a <button> for a button, "
     "and so on)."),
    ("nu-aria-misuse", rf"Bad value {_q('value')} for attribute “role” on element {_q('el')}.*",
     "The <{el}> element has role=\"{value}\", which is not a role it may have. Screen readers will describe "
     "it wrongly.",
     "Remove the role, or use the HTML element that already has that meaning."),
    ("nu-aria-misuse", rf"The {_ARIA} attribute must point to an element in the same document\.",
     "The {attr} attribute points to an id that is not on the page, so screen readers get nothing from it.",
     "Make it point to the id of an element on the same page."),
    ("nu-attribute-not-allowed", rf"Attribute {_q('attr')} is only allowed when the input type is (?P<types>.*)\.",
     "This form field has the {attr} attribute, which is only allowed on some kinds of field, not this one.",
     "Remove the {attr} attribute from this field."),
    ("nu-attribute-not-allowed", rf"Attribute {_q('attr')} not allowed on element {_q('el')} at this point\.",
     "The <{el}> element has the {attr} attribute, which is not allowed there.",
     "Remove the {attr} attribute, or check its spelling."),
    ("nu-element-not-allowed-as-child", rf"Element {_q('el')} not allowed as child of element {_q('parent')} "
                                        r"in this context\..*",
     "A <{el}> is inside a <{parent}>, where it is not allowed. Browsers and screen readers may then show the "
     "page differently from how it was meant.",
     "Move the <{el}> out of the <{parent}>, or use an element that is allowed there."),
    ("nu-duplicate-id", rf"Duplicate ID {_q('id')}\.",
     "The id '{id}' is used more than once on the page. Links and screen readers can only find the first.",
     "Give each element its own id."),
    ("nu-bad-value", rf"Bad value {_q('value')} for attribute {_q('attr')} on element {_q('el')}(?:: (?P<why>.*))?",
     "The <{el}> element's {attr} is \"{value}\", which is not a value it can have.",
     "Change {attr} to an allowed value.{why_fix}"),
    ("nu-label-for-non-hidden-control",
     r"The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control\.",
     "A label's 'for' does not point to a visible form field on the page, so the label is not joined to a field "
     "a person can use.",
     "Make the label's 'for' match the id of a visible form field, or remove the label."),
    ("nu-stray-end-tag", rf"(?:Stray end tag {_q('el')}\.|No {_Q} element in scope but a {_q('el2')} end tag seen\.)",
     "There is a closing </{el}> tag that has no matching opening tag. Browsers guess what was meant, and may "
     "guess differently.",
     "Remove the stray </{el}>, or add the opening <{el}> it belongs to."),
    ("nu-stray-start-tag", rf"Stray start tag {_q('el')}\.",
     "There is a <{el}> tag in a place it cannot be (for example after the end of the page).",
     "Move it into the page's body, or remove it."),
    ("nu-unclosed-element", rf"(?:Unclosed element {_Q}\.|End tag {_Q} seen, but there were open "
                            r"elements\.|End tag {_Q} implied, but there were open elements\.)",
     "An element is opened but never closed, so the rest of the page may be read as part of it.",
     "Close every element you open, in the right order."),
    ("nu-missing-attribute", rf"Element {_q('el')} is missing (?:required attribute|one or more of the following "
                             rf"attributes:) (?P<attr>.*)\.",
     "The <{el}> element is missing an attribute it must have: {attr}.",
     "Add the missing attribute."),
    ("nu-img-alt", r"An “img” element must have an “alt” attribute.*",
     "A picture has no alt text, so people who cannot see it do not know what it shows.",
     "Add alt text that says what the picture shows, or alt=\"\" if it is only decoration."),
    ("nu-bad-nesting", rf"The element {_q('el')} must not appear as a descendant of the {_q('parent')} element\.",
     "A <{el}> is inside a <{parent}>. Putting one control inside another confuses keyboards and screen readers.",
     "Move the <{el}> out of the <{parent}>."),
    ("nu-missing-doctype", r"(?:Start tag seen without seeing a doctype first|Non-space characters found "
                           r"without seeing a doctype first)\..*",
     "The page does not start with <!doctype html>, so browsers show it in an old 'quirks' mode.",
     "Start the page with <!doctype html>."),
    ("nu-empty-title", r"Element “title” must not be empty\.",
     "The page's title is empty, so people cannot tell pages apart in browser tabs and screen readers.",
     "Give the page a title: in a content page, set 'title' in its details."),
    ("nu-duplicate-attribute", rf"Duplicate attribute {_q('attr')}\.",
     "An element has the {attr} attribute twice. Browsers use only the first.",
     "Keep one {attr} attribute."),
    ("nu-obsolete", rf"The {_q('what')} (?:element|attribute on the {_Q} element) is obsolete\..*",
     "The page uses {what}, which HTML no longer has.", "Remove it; use CSS or a current element instead."),
    ("nu-text-not-allowed", rf"Text not allowed in element {_q('el')} in this context\.",
     "There is text directly inside a <{el}>, where text is not allowed.",
     "Put the text inside an element that may hold it, or remove it."),
]


def _slug_of(raw: str) -> str:
    """A stable name for a message nobody has explained yet: its words, without the names in quotes."""
    words = re.findall(r"[a-z]+", re.sub(_Q, " ", raw).lower())
    words = [w for w in words if w not in {"the", "a", "an", "of", "on", "in", "is", "be", "must", "for", "this"}]
    return "nu-" + "-".join(words[:6] or ["message"])


def explain_nu(raw: str) -> tuple[str, str, str]:
    """(rule, what is wrong, how to fix it) for one Nu HTML Checker error."""
    for slug, pattern, message, fix in _NU:
        m = re.fullmatch(pattern, raw, flags=re.S)
        if not m:
            continue
        values = {k: v or "" for k, v in m.groupdict().items()}
        values.update({k[:-1]: v for k, v in values.items() if k[-1].isdigit() and v})  # el2 -> el
        if "rest" in values:
            values["why"] = " when it is tied to a form field" if "labelable element" in values["rest"] else ""
            values["label_fix"] = (" A label tied to a form field already gives that field its name."
                                   if values.get("el") == "label" else "")
        if "why" in values and "why_fix" not in values and "rest" not in values:
            values["why_fix"] = f" The checker explains: {values['why']}" if values["why"] else ""
        return slug, message.format(**values), fix.format(**values)
    return _slug_of(raw), f"The HTML checker says: {raw}", ("Fix what the message describes. If it is in the "
                                                              "theme rather than in a page's words, tell the people "
                                                              "who look after Clearinfo.")
