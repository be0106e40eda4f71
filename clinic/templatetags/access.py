"""``{% if user|can:"treatments:plan_detail" %}``: show a link or a control only to whom the page
behind it lets in (clinic.access.may_open). Templates never compare roles themselves."""

from django import template

from clinic.access import may_open

register = template.Library()


@register.filter
def can(user, url_name: str) -> bool:
    return may_open(user, url_name)
