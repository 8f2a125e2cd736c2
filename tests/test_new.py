"""`briefings new`: the file it writes, names through the registries, times, never overwriting."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from contrib_helpers import BRIEFINGS, cli, new_project
from generator import yamlsafe

KYIV = ZoneInfo("Europe/Kyiv")


@pytest.fixture(autouse=True)
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(new_project(tmp_path))
    return tmp_path


def front_matter(path: str) -> dict:
    text = Path(path).read_text("utf-8")
    return yamlsafe.load(text.split("---\n")[1]).data


def test_new_writes_complete_front_matter_and_prints_the_path() -> None:
    run = cli("new", "Sirens sound across Kyiv", "--city", "Kiev", "--person", "Zelensky", "--at", "2022-03-03T09:40", "--key")
    assert (run.code, run.out, run.err) == (0, "content/2022/03/03/sirens-sound-across-kyiv.md\n", "")
    assert Path("content/2022/03/03/sirens-sound-across-kyiv.md").read_text("utf-8") == (
        "---\n"
        "title: Sirens sound across Kyiv\n"
        "published: 2022-03-03T09:40:00+02:00\n"
        "cities: [Kyiv]\n"
        "people: [Volodymyr Zelenskiy]\n"
        "sources: []\n"
        "# To add a source, delete the [] above and add lines like these, without the #:\n"
        "#   - name: Reuters\n"
        "#     url: https://www.reuters.com/\n"
        "tags: []\n"
        "key: true\n"
        "# To correct the update after it is published, add lines like these, without the #,\n"
        "# with the time of the correction and what changed:\n"
        "# corrections:\n"
        "#   - at: 2022-03-03T09:40:00+02:00\n"
        "#     text: An earlier version of this update gave the wrong figure.\n"
        "---\n"
        "Write the update here: what happened, where, and who says so.\n"
    )


def test_key_is_left_out_unless_asked_for() -> None:
    path = cli("new", "Quiet night", "--at", "2022-03-03T09:40").out.strip()
    assert "key" not in front_matter(path)


@pytest.mark.parametrize(("typed", "written"), [(" Olena  Kovalenko ", "Olena Kovalenko"), ("Desk: night shift", '"Desk: night shift"')])
def test_author_is_the_bylines_line_under_the_title(typed: str, written: str) -> None:
    path = cli("new", "Quiet night", "--author", typed, "--at", "2022-03-03T09:40").out.strip()
    assert Path(path).read_text("utf-8").splitlines()[1:3] == ["title: Quiet night", f"author: {written}"]
    assert front_matter(path)["author"] == " ".join(typed.split())


def test_names_are_resolved_and_each_listed_once_in_the_order_typed() -> None:
    path = cli("new", "T", "--city", "Kharkov", "--city", "kyiv", "--city", "Київ", "--person", "borrell", "--at", "2022-03-03T09:40").out.strip()
    assert front_matter(path)["cities"] == ["Kharkiv", "Kyiv"]
    assert front_matter(path)["people"] == ["Josep Borrell"]


def test_unknown_names_are_kept_and_warned_about_with_did_you_mean() -> None:
    run = cli("new", "T", "--city", "Lviv", "--person", "Vitaly Klichko", "--at", "2022-03-03T09:40")
    assert run.code == 0
    assert run.err.splitlines() == [
        "briefings: warning: unknown city 'Lviv': add it to site_config/cities.yml",
        "briefings: warning: unknown person 'Vitaly Klichko': add it to site_config/people.yml (did you mean 'Vitali Klitschko'?)",
    ]
    assert front_matter(run.out.strip())["cities"] == ["Lviv"]
    assert front_matter(run.out.strip())["people"] == ["Vitaly Klichko"]


@pytest.mark.parametrize(
    ("at", "path", "published"),
    [
        ("2022-03-03T09:40", "content/2022/03/03/t.md", "2022-03-03T09:40:00+02:00"),  # no offset: the site's zone
        ("2022-06-01T09:40", "content/2022/06/01/t.md", "2022-06-01T09:40:00+03:00"),  # summer time there
        ("2022-03-03T23:30Z", "content/2022/03/04/t.md", "2022-03-04T01:30:00+02:00"),  # an offset: converted
        ("2022-03-03 09:40:15.5+02:00", "content/2022/03/03/t.md", "2022-03-03T09:40:15+02:00"),
    ],
)
def test_at_is_written_in_the_site_zone_and_decides_the_folder(at: str, path: str, published: str) -> None:
    run = cli("new", "T", "--at", at)
    assert run.out == f"{path}\n"
    assert front_matter(path)["published"] == published


def test_without_at_the_entry_is_published_now_to_the_minute() -> None:
    before = datetime.now(KYIV).replace(second=0, microsecond=0)
    path = cli("new", "Now").out.strip()
    after = datetime.now(KYIV)
    published = datetime.fromisoformat(front_matter(path)["published"])
    assert before <= published <= after
    assert published.second == 0
    assert path == f"content/{published:%Y/%m/%d}/now.md"


def test_never_overwrites_an_existing_file() -> None:
    first = cli("new", "Same title", "--at", "2022-03-03T09:40")
    Path(first.out.strip()).write_text("my work", "utf-8")
    again = cli("new", "Same title", "--at", "2022-03-03T18:00", "--key")
    assert (again.code, again.out) == (1, "")
    assert again.err == (
        "briefings: error: content/2022/03/03/same-title.md already exists; edit it, or choose another title for a new entry\n"
    )
    assert Path("content/2022/03/03/same-title.md").read_text("utf-8") == "my work"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["T", "--at", "yesterday"], "--at is not an ISO 8601 time: 'yesterday' (like 2022-03-03T09:40 or 2022-03-03T09:40+02:00)"),
        (["   "], "the title is empty"),
        (["!!!"], "the title '!!!' has no letters or digits to make a file name from"),
        (["brf search"], "the title 'brf search' makes the file name brf-search.md, but names that start with 'brf-' "
         "are the site's own anchors: start the title with another word"),
        (["T", "--at", "2022-03-27T03:30"], "--at 2022-03-27T03:30: 03:30 did not exist in Kyiv on 2022-03-27, when the "
         "clocks went from 03:00 to 04:00; give a time outside that hour, or one with its UTC offset"),
        (["T", "--at", "2022-03-05"], "--at 2022-03-05 has a date but no time: give the time too, like 2022-03-05T09:40"),
        (["T", "--city", "", "--at", "2022-03-03T09:40"], "--city is given an empty name: give the name, or leave --city out"),
        (["T", "--person", "  ", "--at", "2022-03-03T09:40"],
         "--person is given an empty name: give the name, or leave --person out"),
        (["T", "--author", " ", "--at", "2022-03-03T09:40"],
         "--author is given an empty name: give the name, or leave --author out"),
        (["T", "--at", "0001-01-01T00:10"],
         "--at is in the year 1, and times must be from 1900 to 2100: check the year: '0001-01-01T00:10'"),
        (["T", "--at", "9999-12-31T23:30"],
         "--at is in the year 9999, and times must be from 1900 to 2100: check the year: '9999-12-31T23:30'"),
    ],
)
def test_bad_arguments_exit_two_and_write_nothing(args: list[str], message: str) -> None:
    run = cli("new", *args)
    assert (run.code, run.out, run.err) == (2, "", f"briefings: error: {message}\n")
    assert list(Path("content").iterdir()) == []


@pytest.mark.parametrize("title", ["Talks: round two", "#1 priority", "yes", "[Update] Kyiv", 'He said "no"', "Київ: сирени"])
def test_titles_are_quoted_when_yaml_needs_it(title: str) -> None:
    path = cli("new", title, "--city", "Washington, D.C.", "--at", "2022-03-03T09:40").out.strip()
    assert front_matter(path)["title"] == title
    assert front_matter(path)["cities"] == ["Washington"]


def test_a_new_entry_passes_strict_check_once_its_body_is_written() -> None:
    path = Path(cli("new", "Sirens", "--city", "Kyiv", "--at", "2022-03-03T09:40").out.strip())
    assert cli("check", "--strict").code == 1  # the placeholder is still there
    path.write_text(path.read_text("utf-8").replace("Write the update here: what happened, where, and who says so.", "Sirens in Kyiv."))
    run = cli("check", "--strict", path)
    assert (run.code, run.out) == (0, "")


def test_config_and_content_options_and_the_console_script(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    done = subprocess.run(
        [BRIEFINGS, "new", "From afar", "--at", "2022-03-03T09:40",
         "--content", elsewhere / "entries", "--config", project / "site_config"],
        capture_output=True, text=True, timeout=120, cwd=elsewhere,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"{elsewhere}/entries/2022/03/03/from-afar.md\n"
    assert (elsewhere / "entries/2022/03/03/from-afar.md").is_file()


def test_bad_config_is_reported_and_exits_one() -> None:
    Path("site_config/settings.yml").unlink()
    run = cli("new", "T")
    assert (run.code, run.out) == (1, "site_config/settings.yml: error: settings file not found\n")


def test_a_clock_time_gone_through_twice_is_the_first_and_says_how_to_give_the_second() -> None:
    run = cli("new", "Night", "--at", "2022-10-30T03:30")
    assert (run.code, run.out) == (0, "content/2022/10/30/night.md\n")
    assert run.err == (
        "briefings: warning: 03:30 happened twice in Kyiv on 2022-10-30, when the clocks went back: the entry says "
        "the first (03:30+03:00); for the second, give --at 2022-10-30T03:30+02:00\n"
    )
    assert front_matter(run.out.strip())["published"] == "2022-10-30T03:30:00+03:00"
    second = cli("new", "Night again", "--at", "2022-10-30T03:30+02:00")
    assert (second.err, front_matter(second.out.strip())["published"]) == ("", "2022-10-30T03:30:00+02:00")


@pytest.mark.parametrize(("at", "published"), [("2022-07-05T09:40", "2022-07-05T09:40:00+03:00"),
                                              ("2022-01-05T09:40", "2022-01-05T09:40:00+02:00")])  # fmt: skip
def test_at_takes_the_zones_offset_of_its_date(at: str, published: str) -> None:
    assert front_matter(cli("new", "Offset", "--at", at).out.strip())["published"] == published


def test_an_offset_of_the_other_season_is_told_with_the_time_the_entry_says() -> None:
    run = cli("new", "Summer", "--at", "2022-07-05T09:40+02:00")
    assert front_matter(run.out.strip())["published"] == "2022-07-05T10:40:00+03:00"  # the same moment
    assert run.err == (
        "briefings: warning: --at 2022-07-05T09:40+02:00: +02:00 is not the offset of Kyiv on 2022-07-05, where that "
        "moment is 10:40+03:00: the entry says 10:40; if you meant 09:40 there, give --at 2022-07-05T09:40\n"
    )
    assert cli("new", "Source in GMT", "--at", "2022-07-05T06:40Z").err == ""  # UTC is given on purpose


def test_a_person_given_as_a_city_is_told_where_it_belongs() -> None:
    run = cli("new", "Mayor speaks", "--city", "Vitali Klitschko", "--at", "2022-03-03T09:40")
    assert run.err == (
        "briefings: warning: 'Vitali Klitschko' is a person in site_config/people.yml: list it under 'people', "
        "not 'cities'\n"
    )
