"""Small bar charts as server-rendered SVG (no JavaScript, no inline styles: the page's CSS
colours them through classes, so they pass a strict Content-Security-Policy).

:func:`timeline` turns counts per day into buckets (days, ISO weeks or months, coarser when a
span would need too many bars); :func:`bar_chart` draws buckets. Every piece of text in the
SVG is escaped. Time runs left to right, as dates are written, also on right-to-left pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

__all__ = ["Bucket", "bar_chart", "timeline"]

#: Most bars a chart gets before it switches to a coarser unit.
MAX_BARS = 120
_UNITS = ("day", "week", "month")


@dataclass(frozen=True, slots=True)
class Bucket:
    """One bar: the first day it covers, its label (``2025-05-16``, ``2025-W20``,
    ``2025-05``) and its count."""

    start: dt.date
    label: str
    count: int


def _parse_day(value: str | None) -> dt.date | None:
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _start_of(day: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def _next(start: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return start + dt.timedelta(days=7)
    if unit == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start + dt.timedelta(days=1)


def _label(start: dt.date, unit: str) -> str:
    if unit == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "month":
        return start.strftime("%Y-%m")
    return start.isoformat()


def timeline(counts: Mapping[str, int] | Iterable[tuple[str, int]], unit: str = "day"
             ) -> tuple[list[Bucket], str]:
    """Buckets of ``counts`` (ISO day -> count; undated or malformed days are left out) from
    the first to the last day with every empty bucket in between, and the unit used:
    ``unit`` or a coarser one when ``unit`` would need more than :data:`MAX_BARS` bars."""
    if unit not in _UNITS:
        raise ValueError(f"unit must be one of {_UNITS}, not {unit!r}")
    items = counts.items() if isinstance(counts, Mapping) else counts
    per_day: dict[dt.date, int] = {}
    for value, n in items:
        day = _parse_day(value)
        if day is not None and n:
            per_day[day] = per_day.get(day, 0) + int(n)
    if not per_day:
        return [], unit
    first, last = min(per_day), max(per_day)
    for candidate in _UNITS[_UNITS.index(unit):]:
        unit = candidate
        if _span(first, last, unit) <= MAX_BARS:
            break
    sums: dict[dt.date, int] = {}
    for day, n in per_day.items():
        start = _start_of(day, unit)
        sums[start] = sums.get(start, 0) + n
    buckets = []
    start = _start_of(first, unit)
    while start <= last:
        buckets.append(Bucket(start, _label(start, unit), sums.get(start, 0)))
        start = _next(start, unit)
    return buckets, unit


def _span(first: dt.date, last: dt.date, unit: str) -> int:
    if unit == "day":
        return (last - first).days + 1
    if unit == "week":
        return (_start_of(last, "week") - _start_of(first, "week")).days // 7 + 1
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _ticks(n: int, most: int = 6) -> list[int]:
    """Indexes of the bars that get a label: the first, the last and a few evenly between."""
    if n <= most:
        return list(range(n))
    step = (n - 1) / (most - 1)
    return sorted({round(i * step) for i in range(most)})


def bar_chart(buckets: Sequence[Bucket], *, title: str, value_label: str = "",
              width: int = 640, height: int = 180) -> Markup:
    """An SVG bar chart of ``buckets`` (as markup for a template). ``title`` names the chart
    for screen readers; each bar has a tooltip "label: count value_label"."""
    left, right, top, bottom = 34, 12, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((b.count for b in buckets), default=0)
    out = [Markup('<svg class="chart" xmlns="http://www.w3.org/2000/svg" '
                  'viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
                  'direction="ltr" aria-label="{t}">').format(w=width, h=height, t=title),
           Markup("<title>{}</title>").format(title)]
    base_y = top + plot_h
    # frame: baseline and a grid line at the peak, labelled with 0 and the peak
    out.append(Markup('<line class="axis" x1="{x1}" y1="{y}" x2="{x2}" y2="{y}"/>').format(
        x1=left, x2=width - right, y=base_y))
    out.append(Markup('<text class="tick" x="{x}" y="{y}" text-anchor="end">0</text>').format(
        x=left - 6, y=base_y + 4))
    if peak:
        out.append(Markup('<line class="grid" x1="{x1}" y1="{y}" x2="{x2}" y2="{y}"/>').format(
            x1=left, x2=width - right, y=top))
        out.append(Markup('<text class="tick" x="{x}" y="{y}" text-anchor="end">{n}</text>'
                          ).format(x=left - 6, y=top + 4, n=peak))
    n = len(buckets)
    if n:
        slot = plot_w / n
        bar_w = max(1.0, slot * 0.72) if n > 1 else min(plot_w * 0.3, 60.0)
        for i, bucket in enumerate(buckets):
            x = left + slot * i + (slot - bar_w) / 2
            h = plot_h * bucket.count / peak if peak else 0
            tip = f"{bucket.label}: {bucket.count} {value_label}".rstrip()
            out.append(Markup(
                '<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}">'
                "<title>{tip}</title></rect>").format(
                    x=x, y=base_y - h, w=bar_w, h=h, tip=tip))
        for i in _ticks(n):
            x = left + slot * i + slot / 2
            anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
            out.append(Markup('<line class="tickmark" x1="{x:.1f}" y1="{y1}" x2="{x:.1f}" '
                              'y2="{y2}"/>').format(x=x, y1=base_y, y2=base_y + 4))
            out.append(Markup('<text class="tick" x="{x:.1f}" y="{y}" text-anchor="{a}">{t}'
                              "</text>").format(x=x, y=base_y + 18, a=anchor,
                                                t=buckets[i].label))
    out.append(Markup("</svg>"))
    return Markup("").join(out)

