"""The progress series and its SVG (treatments/progress.py): pure, no database.

docs/clinical-rules.md §Follow-up: each concern re-scored on the same 0-4 scale, so that
improvement is a number over time.
"""

import datetime as dt
import re

from treatments.presentation import progress

D = dt.date
SEP_1, OCT_13, NOV_24 = D(2025, 9, 1), D(2025, 10, 13), D(2025, 11, 24)


def _melasma(*readings):
    baseline, *later = readings
    return progress.build_series(
        assessed_on=baseline[0],
        baseline=[("melasma", baseline[1])],
        follow_ups=[(day, {"melasma": severity}) for day, severity in later],
    )[0]


def test_each_concern_of_the_assessment_gets_a_series_in_the_assessments_order():
    series = progress.build_series(
        assessed_on=SEP_1,
        baseline=[("melasma", 3), ("hyperpigmentation", 2)],
        follow_ups=[(OCT_13, {"melasma": 2, "hyperpigmentation": 2}), (NOV_24, {"melasma": 1})],
    )
    assert [s.label for s in series] == ["Melasma", "Hyperpigmentation"]
    assert [(r.day, r.severity, r.source) for r in series[0].readings] == [
        (SEP_1, 3, "assessment"),
        (OCT_13, 2, "follow-up"),
        (NOV_24, 1, "follow-up"),
    ]
    # A follow-up that did not re-score a concern adds no reading to it.
    assert [r.severity for r in series[1].readings] == [2, 2]


def test_readings_are_in_date_order_with_the_assessment_first_on_one_day():
    series = progress.build_series(
        assessed_on=SEP_1,
        baseline=[("melasma", 3)],
        follow_ups=[(NOV_24, {"melasma": 1}), (SEP_1, {"melasma": 3})],
    )[0]
    assert [(r.day, r.source) for r in series.readings] == [
        (SEP_1, "assessment"),
        (SEP_1, "follow-up"),
        (NOV_24, "follow-up"),
    ]


def test_the_aria_label_says_every_reading():
    series = _melasma((SEP_1, 3), (OCT_13, 2), (NOV_24, 1))
    assert series.aria_label == "Melasma: 3 on 1 Sep, 2 on 13 Oct, 1 on 24 Nov"


def test_the_aria_label_gives_years_when_the_readings_span_two():
    series = _melasma((D(2025, 11, 24), 3), (D(2026, 1, 12), 2))
    assert series.aria_label == "Melasma: 3 on 24 Nov 2025, 2 on 12 Jan 2026"


def test_change_text_says_better_worse_or_no_change():
    assert _melasma((SEP_1, 3), (NOV_24, 1)).change_text == "3 → 1: better by 2 points"
    assert _melasma((SEP_1, 2), (NOV_24, 2)).change_text == "2 → 2: no change"
    assert _melasma((SEP_1, 1), (NOV_24, 2)).change_text == "1 → 2: worse by 1 point"


def test_severity_runs_from_the_bottom_of_the_plot_to_the_top():
    assert progress.y_for(0) == progress.PLOT_BOTTOM == 128
    assert progress.y_for(4) == progress.PLOT_TOP == 12
    assert progress.y_for(2) == 70.0


def test_points_sit_in_proportion_to_time():
    chart = progress.chart_for(_melasma((SEP_1, 3), (OCT_13, 2), (NOV_24, 1)))
    # 84 days from first to last; 13 Oct is 42 days in: half way across the plot (44 to 300).
    assert [(p.x, p.y) for p in chart.points] == [(44.0, 41.0), (172.0, 70.0), (300.0, 99.0)]


def test_a_single_day_sits_in_the_middle():
    chart = progress.chart_for(_melasma((SEP_1, 3)))
    assert [(p.x, p.y) for p in chart.points] == [(172.0, 41.0)]


def test_with_many_readings_only_the_first_and_last_dates_are_written():
    days = [SEP_1 + dt.timedelta(days=14 * i) for i in range(7)]
    chart = progress.chart_for(_melasma(*[(day, 3) for day in days]))
    assert [tick.text for tick in chart.x_labels] == ["1 Sep", "24 Nov"]
    few = progress.chart_for(_melasma((SEP_1, 3), (OCT_13, 2), (NOV_24, 1)))
    assert [tick.text for tick in few.x_labels] == ["1 Sep", "13 Oct", "24 Nov"]


def test_the_svg_is_a_named_image_with_a_line_and_titled_points():
    markup = progress.svg(progress.chart_for(_melasma((SEP_1, 3), (OCT_13, 2), (NOV_24, 1))))
    assert markup.startswith("<svg ")
    assert 'role="img"' in markup
    assert 'aria-label="Melasma: 3 on 1 Sep, 2 on 13 Oct, 1 on 24 Nov"' in markup
    assert '<polyline points="44.0,41.0 172.0,70.0 300.0,99.0"' in markup
    assert markup.count("<circle ") == 3
    assert "<title>Melasma: 3 – moderate, 1 Sep 2025 (assessment)</title>" in markup
    assert "<title>Melasma: 1 – minimal, 24 Nov 2025 (follow-up)</title>" in markup
    # The y axis is labelled 0 to 4; the strict CSP allows no style attribute.
    assert re.findall(r">([0-4])</text>", markup) == ["0", "1", "2", "3", "4"]
    assert "style=" not in markup


def test_labels_from_data_are_escaped():
    series = progress.Series("x", 'Odd <b>"label"</b>', (progress.Reading(SEP_1, 1, "assessment"),))
    markup = progress.svg(progress.chart_for(series))
    assert "<b>" not in markup
    assert "&lt;b&gt;" in markup
