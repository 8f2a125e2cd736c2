"""Live days, as built: each day's updates as JSON beside its page, and what a page needs to follow them.

The browser's side (polling, showing the changes) is in test_live_browser.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from conftest import Project, article, make_project
from generator.site import generate

SETTINGS = "title: Live Test\nsite_url: https://example.org/repo/\ntimezone: Europe/Kyiv\n"


def _archive(project: Project) -> None:
    project.write("site_config/settings.yml", SETTINGS)
    project.entry("2022/03/02/talks.md", "title: Talks announced\npublished: 2022-03-02T20:00:00+02:00")
    project.entry(
        "2022/03/03/blasts.md",
        "title: Blasts over Kyiv\npublished: 2022-03-03T01:35:00+02:00\nupdated: 2022-03-03T02:10:00+02:00\n"
        "cities: [Kyiv]\nkey: true\nauthor: Olena Kovalenko",
        "Air defences were at work over [the capital](../02/#talks).",
    )
    project.entry("2022/03/03/curfew.md", "title: Curfew & sirens\npublished: 2022-03-03T09:00:00+02:00")


def _updates(project: Project, day: str) -> dict:
    return json.loads((project.site / day / "updates.json").read_text("utf-8"))


def test_each_day_has_its_updates_as_json_beside_its_page_in_reading_order(project: Project) -> None:
    _archive(project)
    assert project.build().code == 0
    document = _updates(project, "2022/03/03")
    assert [document[key] for key in ("day", "title", "timezone", "modified", "next")] == [
        "2022-03-03", "3 March 2022", "Europe/Kyiv", "2022-03-03T09:00:00+02:00", None,
    ]  # fmt: skip
    blasts, curfew = document["updates"]
    assert blasts == {
        "id": "tag:example.org,2022-03-03:repo/blasts",  # the feeds' guid
        "anchor": "blasts",
        "published": "2022-03-03T01:35:00+02:00",
        "updated": "2022-03-03T02:10:00+02:00",
        "time": "01:35",
        "title": "Blasts over Kyiv",
        "key": True,
        "html": blasts["html"],
    }
    assert (curfew["title"], curfew["updated"], curfew["key"]) == ("Curfew & sirens", None, False)
    # Each update's block is the day page's own, links and all (the document sits in the page's folder).
    page = article(project.page("2022/03/03/"))
    for update in document["updates"]:
        (shown,) = page.xpath(f".//article[@id='{update['anchor']}']")
        shown.tail = None
        assert lxml.html.tostring(lxml.html.fragment_fromstring(update["html"])) == lxml.html.tostring(shown)
    assert _updates(project, "2022/03/02")["next"] == {"url": "../../../2022/03/03/", "title": "3 March 2022"}


def test_only_the_latest_day_and_the_home_page_carry_what_a_live_page_needs(project: Project) -> None:
    _archive(project)
    project.write("site_config/settings.yml", SETTINGS + "live_poll_seconds: 12\n")
    assert project.build().code == 0
    assert not article(project.page("2022/03/02/")).xpath(".//*[@data-brf-live]")  # a past day: nothing to ask for
    version = _updates(project, "2022/03/03")["version"]
    for url, link in (("2022/03/03/", "../../../2022/03/03/updates.json"), ("", "2022/03/03/updates.json")):
        (live,) = article(project.page(url)).xpath(".//*[@data-brf-live]")
        assert {name: value for name, value in live.attrib.items() if name.startswith("data-brf-")} == {
            "data-brf-live": link,
            "data-brf-day": "2022-03-03",
            "data-brf-zone": "Europe/Kyiv",
            "data-brf-modified": "2022-03-03T09:00:00+02:00",
            "data-brf-version": version,
            "data-brf-poll": "12",
        }
        assert [a.get("id") for a in live.xpath("./article")] == ["blasts", "curfew"]


def test_live_poll_seconds_0_turns_live_updates_off(project: Project) -> None:
    _archive(project)
    project.write("site_config/settings.yml", SETTINGS + "live_poll_seconds: 0\n")
    assert project.build().code == 0
    for url in ("2022/03/03/", ""):
        assert not project.page(url).xpath("//*[@data-brf-live]")
    assert (project.site / "2022/03/03/updates.json").is_file()  # the documents are there for anyone


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "'live_poll_seconds': -1 is less than the minimum of 0"),
        ("3601", "'live_poll_seconds': 3601 is greater than the maximum of 3600"),
        ("soon", "'live_poll_seconds' must be a whole number, not 'soon'"),
    ],
)
def test_a_bad_poll_interval_is_an_error_naming_the_line(project: Project, value: str, message: str) -> None:
    _archive(project)
    project.write("site_config/settings.yml", SETTINGS + f"live_poll_seconds: {value}\n")
    result = project.check()
    errors = [line for line in result.lines if ": error: " in line]  # the entries are checked too
    assert (result.code, errors) == (1, [f"{project.config / 'settings.yml'}:4: error: {message}"])


def test_the_updates_are_made_again_with_their_day_page_only(tmp_path: Path) -> None:
    project = make_project(tmp_path, SETTINGS)
    _archive(project)
    cache = tmp_path / "cache"
    first = generate(project.content, project.config, cache_dir=cache)
    assert [label for label in first.fresh if label.startswith("updates")] == [
        "updates day 2022-03-02", "updates day 2022-03-03",
    ]  # fmt: skip
    project.entry("2022/03/03/curfew.md", "title: Curfew and sirens\npublished: 2022-03-03T09:00:00+02:00")
    again = generate(project.content, project.config, cache_dir=cache)
    assert [label for label in again.fresh if label.split()[0] in ("pages", "updates")] == [
        "pages day 2022-03-03", "updates day 2022-03-03",
    ]  # fmt: skip
    assert json.loads(again.files["2022/03/03/updates.json"].body)["updates"][1]["title"] == "Curfew and sirens"
    assert again.files["2022/03/02/updates.json"].body == first.files["2022/03/02/updates.json"].body
    # The unchanged day's document keeps its fingerprint: the next site links the previous one's file.
    assert again.file_fingerprints["2022/03/02/updates.json"] == first.file_fingerprints["2022/03/02/updates.json"]
    assert again.file_fingerprints["2022/03/03/updates.json"] != first.file_fingerprints["2022/03/03/updates.json"]


def test_a_new_day_tells_the_day_before_where_the_updates_continue(project: Project) -> None:
    _archive(project)
    assert project.build().code == 0
    assert _updates(project, "2022/03/03")["next"] is None
    project.entry("2022/03/04/morning.md", "title: Morning\npublished: 2022-03-04T07:00:00+02:00")
    assert project.build().code == 0
    assert _updates(project, "2022/03/03")["next"] == {"url": "../../../2022/03/04/", "title": "4 March 2022"}
    assert not article(project.page("2022/03/03/")).xpath(".//*[@data-brf-live]")
    (live,) = article(project.page("")).xpath(".//*[@data-brf-live]")
    assert live.get("data-brf-live") == "2022/03/04/updates.json"
