"""The activity chart and the city map: well-formed, accessible, linked, deterministic SVG."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from lxml import etree

from generator.charts import (
    MapCity,
    Outline,
    OutlineShape,
    activity_chart,
    city_map,
    load_outline,
    outline_for,
    parse_outline,
    weekly_counts,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"

CITIES = (
    MapCity("Kyiv", "../kyiv/", 50.4501, 30.5234, 42),
    MapCity("Kharkiv", "../kharkiv/", 49.9935, 36.2304, 20),
    MapCity("Mariupol", "../mariupol/", 47.0971, 37.5434, 17),
    MapCity("Borodyanka", "../borodyanka/", 50.6447, 29.9253, 3),
    MapCity("Chisinau", "../chisinau/", 47.0105, 28.8638, 1),
    MapCity("Brest", "../brest/", 52.0976, 23.7341, 2),
    MapCity("Washington", "../washington/", 38.9072, -77.0369, 5),
    MapCity("Beijing", "../beijing/", 39.9042, 116.4074, 4),
    MapCity("New York", "../new-york/", 40.7128, -74.0060, 2),
)


def parse(svg: str) -> etree._Element:
    root = etree.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox", "").startswith("0 0 ")
    assert root.get("width") is None and root.get("height") is None  # sized by its container
    return root


def assert_labelled(root: etree._Element) -> tuple[str, str]:
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None and title.text
    assert desc is not None and desc.text
    # Named by its title, described by its summary: a screen reader says each once, in its place.
    assert (root.get("aria-labelledby"), root.get("aria-describedby")) == (title.get("id"), desc.get("id"))
    return title.text, desc.text


def week(monday: date, count: int) -> tuple[date, int]:
    return (monday, count)


# --- weekly counts ----------------------------------------------------------------------


def test_weekly_counts_cover_every_iso_week_of_the_span():
    # 24 Feb 2022 is a Thursday; 13 Mar 2022 a Sunday: weeks of 21 Feb, 28 Feb, 7 Mar.
    days = [date(2022, 2, 24), date(2022, 2, 27), date(2022, 2, 28), date(2022, 3, 13)]
    assert weekly_counts(days, (date(2022, 2, 24), date(2022, 3, 13))) == [
        (date(2022, 2, 21), 2),
        (date(2022, 2, 28), 1),
        (date(2022, 3, 7), 1),
    ]
    assert weekly_counts([], (date(2022, 3, 1), date(2022, 3, 1))) == [(date(2022, 2, 28), 0)]


def test_weekly_counts_reject_days_outside_the_span():
    with pytest.raises(ValueError):
        weekly_counts([date(2022, 3, 20)], (date(2022, 2, 24), date(2022, 3, 13)))
    with pytest.raises(ValueError):
        weekly_counts([], (date(2022, 3, 13), date(2022, 2, 24)))


# --- activity chart ---------------------------------------------------------------------


def test_activity_chart_is_accessible_and_summarised():
    weeks = [week(date(2022, 2, 21), 2), week(date(2022, 2, 28), 9), week(date(2022, 3, 7), 1)]
    root = parse(activity_chart(weeks, title="Kyiv: updates per week"))
    assert root.get("role") == "img"
    title, desc = assert_labelled(root)
    assert title == "Kyiv: updates per week"
    assert desc.startswith("12 updates over 3 weeks")
    assert "busiest week 28 February 2022 with 9" in desc
    bars = root.findall(".//svg:rect", NS)
    assert [b.findtext("svg:title", namespaces=NS) for b in bars] == [
        "Week of 21 February 2022: 2 updates",
        "Week of 28 February 2022: 9 updates",
        "Week of 7 March 2022: 1 update",
    ]
    heights = [float(b.get("height")) for b in bars]
    assert heights[1] > heights[0] > heights[2] > 0
    ticks = [t.text for t in root.iter(f"{SVG}text")]
    assert "21 Feb 2022" in ticks and "7 Mar 2022" in ticks
    # Colours come from the stylesheet, through currentColor: no literal colour anywhere.
    svg = activity_chart(weeks, title="t")
    assert "#" not in svg and "rgb" not in svg


def test_activity_chart_with_one_week():
    root = parse(activity_chart([week(date(2022, 2, 21), 3)], title="One week"))
    _, desc = assert_labelled(root)
    assert desc == "3 updates over 1 week (the week of 21 February 2022)."
    (bar,) = root.findall(".//svg:rect", NS)
    width = float(root.get("viewBox").split()[2])
    assert 1 <= float(bar.get("width")) <= width / 4  # a bar, not a slab


def test_activity_chart_with_300_weeks_keeps_every_bar_visible():
    start = date(2018, 1, 1)
    weeks = [week(start + timedelta(weeks=i), i % 5) for i in range(300)]
    root = parse(activity_chart(weeks, title="Six years"))
    bars = root.findall(".//svg:rect", NS)
    assert len(bars) == sum(1 for _, count in weeks if count)
    assert all(float(b.get("width")) >= 1 and float(b.get("height")) >= 1 for b in bars)
    xs = [float(b.get("x")) for b in bars]
    assert xs == sorted(xs)
    assert "over 300 weeks" in assert_labelled(root)[1]


def test_activity_chart_with_no_updates_and_no_weeks():
    _, desc = assert_labelled(parse(activity_chart([week(date(2022, 2, 21), 0)], title="Quiet")))
    assert desc.startswith("No updates over 1 week")
    root = parse(activity_chart([], title="Empty"))
    assert root.findall(".//svg:rect", NS) == []


def test_activity_chart_escapes_its_title():
    name = 'Tom & "Jerry" <cat>'
    svg = activity_chart([week(date(2022, 2, 21), 1)], title=name)
    assert "<cat>" not in svg
    assert assert_labelled(parse(svg))[0] == name


def test_activity_chart_is_deterministic():
    weeks = [week(date(2022, 2, 21) + timedelta(weeks=i), (i * 7) % 11) for i in range(40)]
    assert activity_chart(weeks, title="x") == activity_chart(list(weeks), title="x")


# --- outline ----------------------------------------------------------------------------


def test_shipped_outline_loads_and_covers_ukraine():
    outline = load_outline()
    assert outline.name == "ukraine"
    assert [s.name for s in outline.shapes if s.focus] == ["Ukraine"]
    west, south, east, north = outline.bounds
    assert 21.5 < west < 23 and 44 < south < 45 and 39.5 < east < 41 and 52 < north < 53
    points = sum(len(ring) for shape in outline.shapes for ring in shape.rings)
    assert points < 400
    with pytest.raises(ValueError):
        load_outline("../secrets")


def test_parse_outline_reads_polygons_and_multipolygons():
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    outline = parse_outline(
        {
            "type": "FeatureCollection",
            "name": "squares",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "A"},
                    "geometry": {"type": "Polygon", "coordinates": [square]},
                },
                {
                    "type": "Feature",
                    "properties": {"name": "B", "focus": False},
                    "geometry": {"type": "MultiPolygon", "coordinates": [[square], [square]]},
                },
            ],
        }
    )
    assert [(s.name, s.focus, len(s.rings)) for s in outline.shapes] == [("A", True, 1), ("B", False, 2)]
    assert outline.bounds == (0.0, 0.0, 1.0, 1.0)
    with pytest.raises(ValueError):
        parse_outline({"type": "FeatureCollection", "features": [{"geometry": {"type": "Point"}}]})


# --- city map ---------------------------------------------------------------------------


def markers(root: etree._Element) -> list[etree._Element]:
    return root.findall(".//svg:a", NS)


def test_map_has_one_linked_marker_per_city_on_the_map():
    result = city_map(CITIES, outline=load_outline())
    root = parse(result.svg)
    assert root.get("role") == "group"  # an "img" would hide the links inside from screen readers
    assert_labelled(root)
    on_map = {"Kyiv", "Kharkiv", "Mariupol", "Borodyanka", "Chisinau", "Brest"}
    assert {c.name for c in result.on_map} == on_map
    hrefs = [a.get("href") for a in markers(root)]
    assert sorted(hrefs) == sorted(c.url for c in CITIES if c.name in on_map)
    for a in markers(root):
        assert a.get("{http://www.w3.org/1999/xlink}href") is None
        assert a.find("svg:circle", NS) is not None
        assert a.findtext("svg:title", namespaces=NS).endswith(("update", "updates"))


def test_map_lists_far_away_cities_instead_of_drawing_them():
    result = city_map(CITIES, outline=load_outline())
    assert [c.name for c in result.off_map] == ["Washington", "Beijing", "New York"]
    root = parse(result.svg)
    assert not any(a.get("href") == "../washington/" for a in markers(root))
    desc = root.findtext("svg:desc", namespaces=NS)
    assert "Washington, Beijing, New York" in desc


def test_far_away_cities_do_not_change_the_map():
    near = tuple(c for c in CITIES if c.lon > 0 and c.lon < 60)
    assert city_map(near, outline=load_outline()).svg == city_map(CITIES, outline=load_outline()).svg.replace(
        " Too far away to show: Washington, Beijing, New York.", ""
    )


def test_the_outline_is_drawn_where_most_updates_are_about_its_country():
    assert outline_for(CITIES, load_outline()) is load_outline()  # 85 of 96 updates near Ukraine
    elsewhere = (MapCity("Gaza City", "../gaza-city/", 31.5017, 34.4668, 30), MapCity("Rafah", "../rafah/", 31.2969, 34.2455, 12),
                 MapCity("Kyiv", "../kyiv/", 50.4501, 30.5234, 3))  # fmt: skip
    assert outline_for(elsewhere, load_outline()) is None
    result = city_map(elsewhere, outline=None)
    assert {c.name for c in result.on_map} == {"Gaza City", "Rafah", "Kyiv"} and result.off_map == ()


def test_an_archive_of_another_country_gets_its_map_and_the_cities_it_leaves_out_named(tmp_path):
    from conftest import SETTINGS, make_project

    project = make_project(tmp_path, SETTINGS)
    project.write("site_config/cities.yml", "- name: Gaza City\n  coordinates: [31.5017, 34.4668]\n"
                                            "- name: Rafah\n  coordinates: [31.2969, 34.2455]\n- name: Deir al-Balah\n")  # fmt: skip
    project.entry("2022/03/03/aid.md", "title: Aid\npublished: 2022-03-03T10:00:00+02:00\n"
                  "cities: [Gaza City, Rafah, Deir al-Balah]", "Aid arrived.")  # fmt: skip
    assert project.build().code == 0
    page = etree.HTML((project.site / "cities/index.html").read_bytes())
    (figure,) = page.xpath("//figure[contains(@class, 'brf-map')]")
    # Named by the map's title, not by the caption that lists what it leaves out.
    assert figure.get("aria-labelledby") == "brf-map-title" and page.xpath("//*[@id='brf-map-title']")
    assert sorted(figure.xpath(".//a[contains(@class, 'brf-map__marker')]/@href")) == ["../cities/gaza-city/", "../cities/rafah/"]
    assert not figure.xpath(".//path/title[text()='Ukraine']")
    assert "".join(figure.xpath("string(.//figcaption)")).split() == ["Not", "on", "the", "map:", "Deir", "al-Balah"]
    assert figure.xpath(".//figcaption/a/@href") == ["../cities/deir-al-balah/"]


def test_map_radii_follow_counts_and_big_markers_come_first():
    root = parse(city_map(CITIES, outline=load_outline()).svg)
    drawn = [(a.get("href"), float(a.find("svg:circle", NS).get("r"))) for a in markers(root)]
    counts = {c.url: c.count for c in CITIES}
    in_order = [counts[href] for href, _ in drawn]
    assert in_order == sorted(in_order, reverse=True)  # small markers are drawn last, on top
    radii = [r for _, r in drawn]
    assert radii == sorted(radii, reverse=True)
    by_count = sorted(drawn, key=lambda d: counts[d[0]])
    for (a, ra), (b, rb) in zip(by_count, by_count[1:]):
        if counts[a] < counts[b] and rb > 4:
            assert ra < rb
    # Area, not radius, follows the count: 42 vs 20 entries is about 1.45 times the radius.
    r = dict(drawn)
    assert r["../kyiv/"] / r["../kharkiv/"] == pytest.approx((42 / 20) ** 0.5, rel=0.02)


def test_map_labels_only_the_biggest_cities():
    result = city_map(CITIES, outline=load_outline(), labels=2)
    texts = list(parse(result.svg).iter(f"{SVG}text"))
    assert [t.text for t in texts if t.get("class") == "brf-map__label"] == ["Kyiv", "Kharkiv"]
    assert [t.text for t in texts if "brf-map__label--small" in t.get("class")] == ["Kyiv", "Kharkiv"]


def test_a_phones_names_are_twice_the_size_and_none_covers_another_or_a_marker():
    crowded = [MapCity(f"Town {n}", f"../town-{n}/", 47.0 + (n % 4) * 0.6, 25.0 + n * 0.5, n + 1) for n in range(12)]
    root = parse(city_map(crowded, outline=load_outline()).svg)
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    wide, small, dots = 0, [], []
    for marker in markers(root):
        dot = marker.find("svg:circle", NS)
        x, y, r = (float(dot.get(k)) for k in ("cx", "cy", "r"))
        dots.append((x - r, y - r, x + r, y + r))
        for label in marker.iter(f"{SVG}text"):
            if label.get("class") == "brf-map__label":
                wide += 1
                continue
            span, base = 0.6 * 24 * len(label.text), float(label.get("y"))  # 24 units, letters 0.6 of it wide
            left = float(label.get("x")) - {"end": span, "middle": span / 2}.get(label.get("text-anchor"), 0)
            small.append(((left, base - 24, left + span, base), len(dots) - 1))
    assert 0 < len(small) < wide  # larger names: fewer fit
    for n, (box, own) in enumerate(small):
        assert 0 <= box[0] and box[2] <= width and 0 <= box[1] and box[3] <= height
        assert not any(overlap(box, other) for other, _ in small[n + 1:])
        assert not any(overlap(box, dot) for d, dot in enumerate(dots) if d != own)


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_map_places_cities_where_they_are():
    root = parse(city_map(CITIES, outline=load_outline()).svg)
    at = {a.get("href"): a.find("svg:circle", NS) for a in markers(root)}
    x = {href: float(c.get("cx")) for href, c in at.items()}
    y = {href: float(c.get("cy")) for href, c in at.items()}
    assert x["../brest/"] < x["../chisinau/"] < x["../kyiv/"] < x["../kharkiv/"] < x["../mariupol/"]
    assert y["../brest/"] < y["../kyiv/"] < y["../kharkiv/"] < y["../mariupol/"]  # north is up
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert all(0 < v < width for v in x.values()) and all(0 < v < height for v in y.values())


def test_map_without_outline_fits_all_cities():
    result = city_map(CITIES[:3], outline=None)
    root = parse(result.svg)
    assert len(markers(root)) == 3 and result.off_map == ()
    single = parse(city_map(CITIES[:1], outline=None).svg)
    assert len(markers(single)) == 1
    empty = city_map((), outline=None)
    assert markers(parse(empty.svg)) == []


def test_map_escapes_names_and_urls():
    city = MapCity('A&B <"Town">', '../a&b/?x="1"', 50.0, 30.0, 3)
    result = city_map((city, *CITIES[:2]), outline=load_outline())
    assert '<"Town">' not in result.svg
    root = parse(result.svg)
    (marker,) = [a for a in markers(root) if a.get("href") == '../a&b/?x="1"']
    assert marker.findtext("svg:title", namespaces=NS) == 'A&B <"Town">: 3 updates'
    assert marker.findtext("svg:text", namespaces=NS) == 'A&B <"Town">'
    assert 'A&B <"Town"> (3)' in root.findtext("svg:desc", namespaces=NS)


def test_map_is_deterministic():
    first = city_map(CITIES, outline=load_outline())
    again = city_map(list(CITIES), outline=load_outline())
    assert first == again
    # Input order only changes the order of the off-map list, not the drawing.
    reordered = city_map(tuple(reversed(CITIES)), outline=load_outline())
    assert reordered.svg.split("</desc>")[1] == first.svg.split("</desc>")[1]
    assert reordered.on_map == first.on_map


def test_map_outline_is_drawn_and_tiny_outlines_work():
    root = parse(city_map(CITIES, outline=load_outline()).svg)
    paths = root.findall("svg:path", NS)
    assert [p.findtext("svg:title", namespaces=NS) for p in paths] == ["Moldova", "Ukraine"]
    ring = ((30.0, 50.0), (30.1, 50.0), (30.1, 50.1), (30.0, 50.0))
    box = Outline("box", "Box", (OutlineShape("Box", True, (ring,)),))
    result = city_map(CITIES, outline=box)
    assert [c.name for c in result.on_map] == ["Kyiv", "Borodyanka"]
