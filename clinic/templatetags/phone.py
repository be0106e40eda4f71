"""Phone numbers a person can tap: ``{% load phone %}{{ clinic.phone|tel_link }}``."""

import phonenumbers
from django import template
from django.conf import settings
from django.utils.html import format_html

register = template.Library()


@register.filter
def tel_href(number: str) -> str:
    """The ``tel:`` address of a number as typed ("020 7946 0000" -> "tel:+442079460000");
    empty when it is not a phone number."""
    try:
        parsed = phonenumbers.parse(number or "", settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(parsed):
        return ""
    return "tel:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@register.filter
def tel_link(number: str) -> str:
    """The number as a link that dials it on a phone (plain text when it cannot be dialled)."""
    href = tel_href(number)
    if not href:
        return number or ""
    return format_html('<a href="{}">{}</a>', href, number)
