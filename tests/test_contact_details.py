"""Contact details done right (issue 15): the council's phone number is a tel: link wherever a page
says it (not inside another link, code, or the textphone number), and the Relay UK code is explained."""
from __future__ import annotations

import pytest

from clearinfo.theme.phone_links import link_phone_number, tel_href

NUMBER = "01632 960000"
LINK = '<a href="tel:01632960000">01632 960000</a>'


@pytest.mark.parametrize("before, after", [
    ("<p>Phone us on 01632 960000.</p>", f"<p>Phone us on {LINK}.</p>"),
    ("<li><strong>01632 960000</strong></li>", f"<li><strong>{LINK}</strong></li>"),
    ("<p>Phone 01632 960000 or 01632 960000</p>", f"<p>Phone {LINK} or {LINK}</p>"),
    # The twin of the attribute and comment cases below: the number in the text after them is linked.
    ('<p><span title="a > b"><!-- c > d -->01632 960000</span></p>',
     f'<p><span title="a > b"><!-- c > d -->{LINK}</span></p>'),
])
def test_the_phone_number_becomes_a_link_that_calls_it(before, after):
    assert link_phone_number(before, NUMBER) == after


@pytest.mark.parametrize("html", [
    '<p><a href="/contact/">Call 01632 960000</a></p>',          # already a link: no link inside a link
    "<p><code>01632 960000</code></p>",                          # code shows text as written
    "<p>Textphone: 18001 01632 960000</p>",                      # the textphone number is a different number
    "<p>Fax 01632 9600001</p>",                                  # a longer number that starts the same
    '<p><a href="tel:01632960000">01632 960000</a></p>',         # done already: nothing doubles
    '<p><span title="Out of hours > 01632 960000">Help</span></p>',  # in an attribute, after a '>' in it
    "<p><!-- old > 01632 960000 --></p>",                        # in a comment
])
def test_text_that_is_not_the_phone_number_on_its_own_is_left_alone(html):
    assert link_phone_number(html, NUMBER) == html


def test_no_number_set_changes_nothing():
    assert link_phone_number("<p>01632 960000</p>", None) == "<p>01632 960000</p>"
    assert tel_href("+44 1632 960000") == "tel:+441632960000"


@pytest.mark.slow  # reads the bundled site built once
def test_every_page_and_print_format_has_the_contact_details(built_site):
    index = (built_site / "index.html").read_text()
    assert '<a href="tel:01632960000">01632 960000</a>' in index
    assert "18001 is the Relay UK code" in index
    complaints = (built_site / "complaints" / "index.html").read_text()
    body = complaints.split('id="page-title"', 1)[1].split('class="md-footer', 1)[0]
    assert '<a href="tel:01632960000">01632 960000</a>' in body  # in the page's own words, not only the footer
