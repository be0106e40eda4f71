"""The rows of the calendar table, written as HTML."""

import html

from django.utils.safestring import SafeString, mark_safe

from treatments.presentation.calendar.shapes import COMPACT_LINK, COMPACT_WORDS, NEEDS_MOVING, Grid


def grid_body(grid: Grid, where: str) -> SafeString:
    """The rows of the calendar table, as HTML. ``where``: "room" or "practitioner", what each
    block names besides the patient.

    Built here rather than in the template: a week of a busy clinic has two thousand blocks and
    five thousand cells, and the template engine took over 150 ms of CPU to write them where
    these few string operations take a tenth of that. Every value is escaped.
    """
    escaped: dict[str, str] = {}  # names, types and times repeat: escape each once

    def esc(value: str) -> str:
        text = escaped.get(value)
        if text is None:
            text = escaped[value] = html.escape(value)
        return text

    if grid.compact:
        return _compact_body(grid, esc)
    out: list[str] = []
    for row in grid.rows:
        out.append('<tr class="cal-hour">' if row.on_the_hour else "<tr>")
        out.append(f'<th scope="row" class="cal-time">{esc(row.label)}</th>')
        for cell in row.cells:
            entry = cell.entry
            if entry is not None:
                other = entry.room_name if where == "room" else entry.practitioner_name
                when, patient = esc(entry.time_text), esc(entry.patient_name)
                kind, status = esc(entry.type_text), esc(entry.status_label)
                flag = title_flag = ""
                if entry.needs_moving:
                    # In words, first, so that even a one-row block shows it.
                    flag = f'<span class="cal-flag">{NEEDS_MOVING}</span> '
                    title_flag = f", {NEEDS_MOVING.lower()}"
                out.append(
                    f'<td rowspan="{cell.rowspan}" class="{esc(cell.css)}">'
                    f'<a class="cal-link" href="{esc(cell.url)}" '
                    f'title="{when} {patient}, {kind}, {status}{title_flag}">{flag}'
                    f'<span class="cal-when">{when}</span> '
                    f'<span class="cal-patient">{patient}</span> '
                    f'<span class="cal-status">{status}</span> '
                    f'<span class="cal-type">{kind}</span> '
                    f'<span class="cal-where">{esc(other)}</span></a></td>'
                )
            elif cell.url:
                out.append(
                    f'<td class="cal-free"><a class="cal-free-link" href="{esc(cell.url)}">'
                    f'<span class="visually-hidden">{esc(cell.label)}</span></a></td>'
                )
            elif cell.label:
                out.append(
                    f'<td rowspan="{cell.rowspan}" class="{esc(cell.css)}">{esc(cell.label)}</td>'
                )
            else:
                out.append(f'<td class="{esc(cell.css)}"></td>')
        out.append("</tr>\n")
    return mark_safe("".join(out))  # every value above is escaped


def _compact_body(grid: Grid, esc) -> SafeString:
    """The week of everyone: one short cell per appointment, its patient's name a link to it.

    Two thousand blocks on the benchmark clinic's week: each says its patient (the row says the
    time, the class the type and state, in words too for a no-show or a cancellation), and the
    name opens the appointment. The link is ``<a href=../a/<pk>>``, relative to the calendar's
    pages and unquoted (a number needs no quotes): the route ``calendar_appointment`` redirects
    to the appointment's page, with that page's permission. No title or hidden time: the row
    and the column say them, and 1,917 titles would not fit. That keeps the page near 147 KB
    where a block with its full link, time, type, state and place made it 860 KB. An open
    quarter hour with nothing in it is a bare cell.
    """
    out: list[str] = []
    for row in grid.rows:
        out.append('<tr class="cal-hour">' if row.on_the_hour else "<tr>")
        out.append(f'<th scope="row" class="cal-time">{esc(row.label)}</th>')
        for cell in row.cells:
            entry = cell.entry
            span = f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
            if entry is not None:
                flag = (
                    f'<span class="cal-flag">{NEEDS_MOVING}</span> ' if entry.needs_moving else ""
                )
                word = COMPACT_WORDS.get(entry.status)
                said = f"{esc(entry.patient_name)} ({word})" if word else esc(entry.patient_name)
                out.append(
                    f'<td{span} class="{entry.compact_css}">'
                    f"<a href={COMPACT_LINK}{entry.pk}>{flag}{said}</a></td>"
                )
            elif cell.label:
                out.append(f'<td{span} class="{esc(cell.css)}">{esc(cell.label)}</td>')
            elif cell.css == "cal-open":
                out.append("<td></td>")
            else:
                out.append(f'<td class="{esc(cell.css)}"></td>')
        out.append("</tr>\n")
    return mark_safe("".join(out))  # every value above is escaped
