"""Charts drawn at build time as inline SVG: entries per week, and cities on a map.

Everything here is a pure function of its arguments (``load_outline`` only reads a file
shipped inside the package): the same input always gives the same bytes, numbers are
rounded to one decimal, and nothing depends on the locale, the clock or the network.

Colours never appear as literals. Shapes are painted with ``currentColor`` and carry class
names (``brf-chart…``, ``brf-map…``) that ``theme/assets/stylesheets/charts.css`` colours from
the theme's custom properties, so both palettes work; without that stylesheet the pictures
still render, in the text colour.

Design decisions:

- The activity chart always shows one bar per week, never months: a bar is one week however
  long the archive. Up to 624 weeks (12 years) fit the 640-unit-wide view box; beyond that
  the view box widens so each week keeps at least one unit, and the browser scales it down.
- The map fits the bounding box of the outline's focus shapes (Ukraine), widened by a margin.
  Cities outside that box (Washington, Beijing…) are not drawn, so they cannot squash the
  map into a strip; they come back in ``MapResult.off_map`` for the caller to list as text.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from html import escape
from importlib import resources

from .i18n import ENGLISH_WORDS, N_, Words
from .wording import counted

__all__ = [
    "MapCity",
    "MapResult",
    "Outline",
    "OutlineShape",
    "activity_chart",
    "city_map",
    "load_outline",
    "parse_outline",
    "weekly_counts",
]

SVG_NS = "http://www.w3.org/2000/svg"


# --- formatting -------------------------------------------------------------------------


def _num(value: float) -> str:
    """A coordinate with at most one decimal, never '-0'."""
    text = f"{round(value, 1) + 0.0:.1f}"
    if text == "-0.0":
        text = "0.0"
    return text[:-2] if text.endswith(".0") else text


def _esc(text: str) -> str:
    return escape(text, quote=True)


def _updates(count: int, words: Words) -> str:
    return counted(count, "update", words)


def _open_svg(css_class: str, width: float, height: float, role: str, ident: str, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="{SVG_NS}" class="{css_class}" viewBox="0 0 {_num(width)} {_num(height)}"'
        f' role="{role}" aria-labelledby="{_esc(ident)}-title" aria-describedby="{_esc(ident)}-desc">'
        f'<title id="{_esc(ident)}-title">{_esc(title)}</title>'
        f'<desc id="{_esc(ident)}-desc">{_esc(desc)}</desc>'
    )


# --- activity per week ------------------------------------------------------------------


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    if isinstance(day, datetime):
        day = day.date()
    return day - timedelta(days=day.weekday())


def weekly_counts(entry_days: Iterable[date], span: tuple[date, date]) -> list[tuple[date, int]]:
    """Entries per ISO week (Monday first) for every week of ``span``, empty weeks included.

    ``span`` is the archive's first and last day, both included; each element of the result
    is (the week's Monday, count). A day outside the span is a caller's bug: ValueError.
    """
    first, last = (d.date() if isinstance(d, datetime) else d for d in span)
    if last < first:
        raise ValueError(f"span ends ({last}) before it starts ({first})")
    start = week_start(first)
    weeks = (week_start(last) - start).days // 7 + 1
    counts = [0] * weeks
    # Counted by day first: a busy city's thousands of updates fall on a few hundred days.
    for day, count in Counter(entry_days).items():
        if isinstance(day, datetime):
            day = day.date()
        if not first <= day <= last:
            raise ValueError(f"{day} is outside the span {first} to {last}")
        counts[(day - start).days // 7] += count
    return [(start + timedelta(weeks=i), count) for i, count in enumerate(counts)]


def _activity_summary(weeks: Sequence[tuple[date, int]], words: Words) -> str:
    _ = words.gettext
    if not weeks:
        return _("No updates: the archive spans no weeks.")
    total = sum(count for _week, count in weeks)
    span = words.ngettext("%(num)d week", "%(num)d weeks", len(weeks))
    first, last = words.day_title(weeks[0][0]), words.day_title(weeks[-1][0])
    when = _("the week of %(day)s") % {"day": first} if len(weeks) == 1 else _("%(first)s to %(last)s") % {"first": first, "last": last}
    if total == 0:
        return _("No updates over %(weeks)s (%(when)s).") % {"weeks": span, "when": when}
    peak_week, peak = max(weeks, key=lambda week: week[1])  # the earliest of equal weeks
    said = {"updates": _updates(total, words), "weeks": span, "when": when}
    if len(weeks) > 1:
        message = _("%(updates)s over %(weeks)s (%(when)s); busiest week %(week)s with %(peak)d.")
        return message % {**said, "week": words.day_title(peak_week), "peak": peak}
    return _("%(updates)s over %(weeks)s (%(when)s).") % said


def activity_chart(
    weeks: Sequence[tuple[date, int]],
    *,
    title: str,
    ident: str = "brf-activity",
    words: Words = ENGLISH_WORDS,
) -> str:
    """A bar chart of counts per week, as an inline ``<svg>`` string.

    ``weeks`` is every week of the archive's span in order, as (Monday, count), zeros
    included (see ``weekly_counts``). ``title`` names the chart for assistive technology;
    the ``<desc>`` summarises it in words (the site's ``words``). ``ident`` prefixes the ids
    of ``<title>`` and ``<desc>``: give each chart on one page its own.
    """
    _ = words.gettext
    # Looked up outside the f-strings below, where the catalogue's extraction would not find them.
    week_of, week_of_count, a_week = _("Week of %(day)s"), _("Week of %(day)s: %(updates)s"), _("%(count)d a week")
    left, right, top, bottom = 8.0, 8.0, 18.0, 22.0
    plot_w, plot_h = 624.0, 110.0
    n = len(weeks)
    if n > plot_w:  # keep every week at least one unit wide
        plot_w = float(n)
    width, height = left + plot_w + right, top + plot_h + bottom
    base = top + plot_h
    peak = max((count for _, count in weeks), default=0)
    parts = [
        _open_svg("brf-chart brf-activity", width, height, "img", ident, title, _activity_summary(weeks, words)),
        '<g class="brf-chart__bars" fill="currentColor">',
    ]
    if n:
        slot = plot_w / n
        # Gaps between bars while there is room for them; a lone bar stays bar-shaped.
        bar = min(slot * 0.8, 40.0) if slot >= 4 else (slot - 1 if slot >= 2 else slot)
        for i, (monday, count) in enumerate(weeks):
            if count <= 0:
                continue
            x0 = round(left + i * slot + (slot - bar) / 2, 1)
            x1 = round(left + i * slot + (slot + bar) / 2, 1)
            h = max(1.0, round(plot_h * count / peak, 1))
            parts.append(
                f'<rect class="brf-chart__bar" x="{_num(x0)}" y="{_num(base - h)}"'
                f' width="{_num(max(1.0, x1 - x0))}" height="{_num(h)}">'
                f"<title>{_esc(week_of_count % {'day': words.day_title(monday), 'updates': _updates(count, words)})}</title></rect>"
            )
    parts.append("</g>")
    parts.append(
        f'<line class="brf-chart__axis" x1="{_num(left)}" y1="{_num(base + 0.5)}"'
        f' x2="{_num(left + plot_w)}" y2="{_num(base + 0.5)}" stroke="currentColor" stroke-width="1"/>'
    )
    labels = ['<g class="brf-chart__labels" fill="currentColor" font-size="11">']
    if peak:
        labels.append(
            f'<line class="brf-chart__grid" x1="{_num(left)}" y1="{_num(top)}" x2="{_num(left + plot_w)}"'
            f' y2="{_num(top)}" stroke="currentColor" stroke-width="0.5" stroke-dasharray="3 3"/>'
        )
        labels.append(
            f'<text class="brf-chart__scale" x="{_num(left)}" y="{_num(top - 5)}">'
            f"{_esc(a_week % {'count': peak} if n > 1 else _updates(peak, words))}</text>"
        )
    label_y = _num(height - 6)
    if n == 1:
        labels.append(
            f'<text class="brf-chart__tick" x="{_num(left)}" y="{label_y}">'
            f"{_esc(week_of % {'day': words.short_day(weeks[0][0])})}</text>"
        )
    elif n > 1:
        labels.append(
            f'<text class="brf-chart__tick" x="{_num(left)}" y="{label_y}">{_esc(words.short_day(weeks[0][0]))}</text>'
        )
        labels.append(
            f'<text class="brf-chart__tick" x="{_num(left + plot_w)}" y="{label_y}" text-anchor="end">'
            f"{_esc(words.short_day(weeks[-1][0]))}</text>"
        )
    labels.append("</g>")
    parts.extend(labels)
    parts.append("</svg>")
    return "".join(parts)


# --- outlines ---------------------------------------------------------------------------

Ring = tuple[tuple[float, float], ...]  # (lon, lat) points, first == last


@dataclass(frozen=True)
class OutlineShape:
    """One country (or region) of an outline: its polygons' outer rings, lon/lat."""

    name: str
    focus: bool  # the map is fitted to the focus shapes; the others are context
    rings: tuple[Ring, ...]


@dataclass(frozen=True)
class Outline:
    name: str
    title: str  # what the map shows, as in "Map of Ukraine"
    shapes: tuple[OutlineShape, ...]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of the focus shapes, or of all shapes if none is focus."""
        shapes = [s for s in self.shapes if s.focus] or list(self.shapes)
        points = [p for shape in shapes for ring in shape.rings for p in ring]
        if not points:
            raise ValueError(f"outline {self.name!r} has no points")
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        return (min(lons), min(lats), max(lons), max(lats))


def parse_outline(document: dict) -> Outline:
    """An ``Outline`` from a GeoJSON FeatureCollection of Polygon/MultiPolygon features.

    Only outer rings are kept (holes are not drawn); properties used are ``name`` and
    ``focus``; the collection's own ``name`` and ``title`` name the outline.
    """
    if document.get("type") != "FeatureCollection":
        raise ValueError("an outline is a GeoJSON FeatureCollection")
    shapes = []
    for feature in document.get("features", ()):
        geometry = feature.get("geometry") or {}
        kind, coords = geometry.get("type"), geometry.get("coordinates")
        if kind == "Polygon":
            polygons = [coords]
        elif kind == "MultiPolygon":
            polygons = coords
        else:
            raise ValueError(f"unsupported outline geometry {kind!r}")
        rings = []
        for polygon in polygons:
            ring = tuple((float(lon), float(lat)) for lon, lat in polygon[0])
            if len(ring) < 4 or ring[0] != ring[-1]:
                raise ValueError("an outline ring needs at least four points and must be closed")
            rings.append(ring)
        props = feature.get("properties") or {}
        shapes.append(OutlineShape(str(props.get("name", "")), bool(props.get("focus", True)), tuple(rings)))
    name = str(document.get("name", ""))
    return Outline(name, str(document.get("title", name)), tuple(shapes))


# The countries the shipped outlines name (generator/data), shown in the archive's language;
# an outline's other names are shown as written.
OUTLINE_NAMES = (N_("Ukraine"), N_("Moldova"))


@lru_cache(maxsize=None)
def load_outline(name: str = "ukraine") -> Outline:
    """The outline ``generator/data/<name>_outline.json`` shipped with the package."""
    if not re.fullmatch(r"[a-z0-9_-]+", name):
        raise ValueError(f"bad outline name {name!r}")
    resource = resources.files("generator").joinpath("data").joinpath(f"{name}_outline.json")
    return parse_outline(json.loads(resource.read_text(encoding="utf-8")))


# --- the city map -----------------------------------------------------------------------


@dataclass(frozen=True)
class MapCity:
    name: str
    url: str  # the link to the city's page, relative to the page the map is on
    lat: float
    lon: float
    count: int  # entries naming the city


@dataclass(frozen=True)
class MapResult:
    svg: str
    on_map: tuple[MapCity, ...]  # in drawing order: most entries first
    off_map: tuple[MapCity, ...]  # too far from the outline to draw, in the order given


_MAX_W, _MAX_H, _PAD = 800.0, 600.0, 28.0
_R_MIN, _R_MAX = 4.0, 22.0
_FONT = 12.0
# The names' size on a small screen, where the map is drawn at less than half its width:
# 24 units are 10 to 17 pixels there (theme/assets/stylesheets/charts.css shows them).
_SMALL_FONT = 24.0


def _radius(count: int, peak: int) -> float:
    if peak <= 0:
        return _R_MIN
    return round(max(_R_MIN, _R_MAX * math.sqrt(max(count, 0) / peak)), 1)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_labels(
    placed: list[tuple[MapCity, float, float, float]], width: float, height: float, font: float, limit: int
) -> dict[int, tuple[float, float, str]]:
    """Where the names of the ``limit`` biggest cities go at ``font`` units: on the first side of
    their marker where the name stays on the map and clear of other names and markers;
    a name that fits nowhere is left to the marker's tooltip."""
    boxes = [(x - r, y - r, x + r, y + r) for _, x, y, r in placed]
    taken: list[tuple[float, float, float, float]] = []
    label_at: dict[int, tuple[float, float, str]] = {}
    rise, drop = font * 2 / 3, font / 3  # of the letters above and below the baseline
    for index, (city, x, y, r) in enumerate(placed[: max(limit, 0)]):
        text_w = 0.6 * font * len(city.name)
        candidates = (
            (x + r + 3, y + drop, "start", (x + r + 3, y - rise, x + r + 3 + text_w, y + drop)),
            (x - r - 3, y + drop, "end", (x - r - 3 - text_w, y - rise, x - r - 3, y + drop)),
            (x, y - r - 4, "middle", (x - text_w / 2, y - r - 4 - font, x + text_w / 2, y - r - 4)),
            (x, y + r + 1 + font, "middle", (x - text_w / 2, y + r + 1, x + text_w / 2, y + r + 1 + font)),
        )
        for lx, ly, anchor, box in candidates:
            inside = box[0] >= 2 and box[1] >= 2 and box[2] <= width - 2 and box[3] <= height - 2
            clear = not any(_overlaps(box, other) for other in taken) and not any(
                _overlaps(box, other) for j, other in enumerate(boxes) if j != index
            )
            if inside and clear:
                taken.append(box)
                label_at[index] = (lx, ly, anchor)
                break
    return label_at


def _near(outline: Outline, margin: float) -> Callable[[MapCity], bool]:
    """Whether a city is within ``margin`` degrees of ``outline``'s focus bounds."""
    west, south, east, north = outline.bounds
    return lambda city: west - margin <= city.lon <= east + margin and south - margin <= city.lat <= north + margin


def outline_for(cities: Sequence[MapCity], outline: Outline, margin: float = 1.5) -> Outline | None:
    """``outline`` if at least half of the updates naming ``cities`` name one on or near it, else None.

    An archive of another country's crisis is drawn around its own cities (``city_map``
    without an outline), rather than as an outline with its cities all beyond it.
    """
    near = _near(outline, margin)
    return outline if 2 * sum(c.count for c in cities if near(c)) >= sum(c.count for c in cities) > 0 else None


def city_map(
    cities: Sequence[MapCity],
    *,
    outline: Outline | None,
    title: str | None = None,
    labels: int = 12,
    margin: float = 1.5,
    ident: str = "brf-map",
    words: Words = ENGLISH_WORDS,
) -> MapResult:
    """Cities placed on an outline and sized by count, every marker a link to its page.

    Projection: equirectangular, longitudes scaled by the cosine of the view's middle
    latitude. With an outline, the view is the outline's focus bounds; cities more than
    ``margin`` degrees outside them are left off the map and returned in ``off_map``.
    Without one, every city is drawn and the view fits them. Circle areas are proportional
    to counts (radius 4 to 22 units); the ``labels`` biggest cities get a visible name where
    it fits without overlapping, and every marker has a ``<title>`` tooltip. Big circles are
    drawn first so small ones on top stay clickable.

    The ``<svg>`` has role="group", not "img": an image's children are hidden from assistive
    technology, and here they are links.
    """
    if outline is not None:
        near, (west, south, east, north) = _near(outline, margin), outline.bounds
        shown = [c for c in cities if near(c)]
        off = tuple(c for c in cities if not near(c))
        lons = [west, east, *(c.lon for c in shown)]
        lats = [south, north, *(c.lat for c in shown)]
    else:
        shown, off = list(cities), ()
        lons, lats = [c.lon for c in shown] or [0.0], [c.lat for c in shown] or [0.0]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    if east - west < 1.0:  # a single city, or a handful on one spot: show a degree around it
        west, east = (west + east) / 2 - 0.5, (west + east) / 2 + 0.5
    if north - south < 1.0:
        south, north = (south + north) / 2 - 0.5, (south + north) / 2 + 0.5
    k = math.cos(math.radians((south + north) / 2))
    span_x, span_y = (east - west) * k, north - south
    scale = min((_MAX_W - 2 * _PAD) / span_x, (_MAX_H - 2 * _PAD) / span_y)
    width, height = round(span_x * scale + 2 * _PAD, 1), round(span_y * scale + 2 * _PAD, 1)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return round(_PAD + (lon - west) * k * scale, 1), round(_PAD + (north - lat) * scale, 1)

    order = sorted(shown, key=lambda c: (-c.count, c.name, c.url))
    peak = max((c.count for c in order), default=0)
    placed = [(c, *project(c.lon, c.lat), _radius(c.count, peak)) for c in order]

    # Title and summary.
    if title is None:
        title = f"Map of {outline.title}" if outline is not None and outline.title else "Map of cities"
    _ = words.gettext
    if placed:
        desc = _("%(cities)s on the map, sized by number of updates.") % {"cities": counted(len(placed), "city", words)}
        desc += " " + _("Most: %(names)s.") % {"names": ", ".join(f"{c.name} ({c.count})" for c, *_rest in placed[:5])}
    else:
        desc = _("No cities on the map.")
    if off:
        desc += " " + _("Too far away to show: %(names)s.") % {"names": ", ".join(c.name for c in off)}

    parts = [_open_svg("brf-map", width, height, "group", ident, title, desc)]

    # The outline: context shapes first, then the focus shapes over them.
    if outline is not None:
        for focus in (False, True):
            css = "brf-map__land" if focus else "brf-map__neighbour"
            for shape in outline.shapes:
                if shape.focus != focus:
                    continue
                path = []
                for ring in shape.rings:
                    points: list[tuple[float, float]] = []
                    for lon, lat in ring[:-1]:
                        point = project(lon, lat)
                        if not points or points[-1] != point:
                            points.append(point)
                    path.append("M" + "L".join(f"{_num(x)} {_num(y)}" for x, y in points) + "Z")
                parts.append(
                    f'<path class="{css}" d="{"".join(path)}" fill="currentColor" fill-opacity="0.08"'
                    f' stroke="currentColor" stroke-width="1" stroke-linejoin="round">'
                    f"<title>{_esc(_(shape.name) if shape.name else '')}</title></path>"
                )

    # Names: the biggest cities first, where they fit; a second, larger set for small screens.
    wide = _place_labels(placed, width, height, _FONT, labels)
    small = _place_labels(placed, width, height, _SMALL_FONT, labels)

    parts.append(f'<g class="brf-map__markers" font-size="{_num(_FONT)}">')
    for index, (city, x, y, r) in enumerate(placed):
        parts.append(
            f'<a class="brf-map__marker" href="{_esc(city.url)}">'
            f"<title>{_esc(city.name)}: {_esc(_updates(city.count, words))}</title>"
            f'<circle class="brf-map__dot" cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="currentColor"'
            f' fill-opacity="0.5" stroke="currentColor" stroke-width="1.5"/>'
        )
        for where, css in ((wide, "brf-map__label"), (small, "brf-map__label brf-map__label--small")):
            if index in where:
                lx, ly, anchor = where[index]
                anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
                parts.append(f'<text class="{css}" x="{_num(lx)}" y="{_num(ly)}"{anchor_attr}>{_esc(city.name)}</text>')
        parts.append("</a>")
    parts.append("</g></svg>")
    return MapResult("".join(parts), tuple(c for c, *_ in placed), off)
