"""Phone numbers patients are told to call are links that dial them."""

import pytest
from django.template import Context, Template

from clinic.templatetags.phone import tel_href


@pytest.mark.parametrize(
    ("typed", "href"),
    [
        ("020 7946 0000", "tel:+442079460000"),
        ("+44 20 7946 0000", "tel:+442079460000"),
        ("(020) 7946-0000", "tel:+442079460000"),
        ("", ""),
        ("call reception", ""),
        ("12", ""),
    ],
)
def test_tel_href(typed, href):
    assert tel_href(typed) == href


def test_tel_link_escapes_and_falls_back_to_text():
    template = Template("{% load phone %}{{ number|tel_link }}")
    assert template.render(Context({"number": "020 7946 0000"})) == (
        '<a href="tel:+442079460000">020 7946 0000</a>'
    )
    assert template.render(Context({"number": "<b>ask</b>"})) == "&lt;b&gt;ask&lt;/b&gt;"
