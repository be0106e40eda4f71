"""The face chart component: one shape per zone, offered zones as toggles of the field's
checkboxes (the table equivalent), the others greyed; no inline script."""

from django import forms
from django.template import Context, Template

from clinic.lib.zones import Zone
from clinic.templatetags.zones import SHAPES


class _Form(forms.Form):
    zones = forms.MultipleChoiceField(
        choices=[(z.value, z.label) for z in (Zone.CHIN, Zone.FOREHEAD)],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _render(text, **context):
    return Template("{% load zones %}" + text).render(Context(context))


def test_every_zone_has_one_shape():
    assert sorted(s.zone for s in SHAPES) == sorted(Zone)


def test_offered_zones_are_toggles_with_their_checkboxes_and_the_rest_are_greyed():
    html = _render("{% zone_chart form.zones %}", form=_Form(initial={"zones": ["chin"]}))
    assert html.count('class="zone"') == 2
    assert html.count("zone zone-off") == len(Zone) - 2
    assert 'name="zones" value="chin"' in html and "checked" in html
    assert 'data-zone-field="zones"' in html
    assert "<script" not in html
    # Without the script the chart is hidden from everyone: the checkboxes are the control.
    assert 'hidden aria-hidden="true"' in html


def test_the_chart_without_its_checkboxes_leaves_them_to_the_page():
    html = _render("{% zone_chart form.zones checkboxes=False %}", form=_Form())
    assert 'type="checkbox"' not in html


def test_the_recorded_zones_picture_names_them():
    html = _render('{% zone_map zones label="Treated zones" %}', zones=["chin", "forehead"])
    assert 'role="img" aria-label="Treated zones: Forehead, Chin"' in html
    assert html.count("zone-marked") == 2
