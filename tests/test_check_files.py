"""`briefings check FILE` (the pre-commit hook) finds everything the whole check finds about FILE."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from contrib_helpers import DAY, cli, new_project, write_entry
from test_check import CASES, distinct

TIME = "published: 2022-03-03T10:00:00+02:00"
SOURCE = "sources:\n  - name: RFE/RL\n    url: https://www.rferl.org/"


@pytest.fixture(autouse=True)
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(new_project(tmp_path, require_sources=True))
    return tmp_path


def entry(rel: str, front: str, body: str) -> Path:
    return write_entry(rel, f"{front}\n{SOURCE}", body)


def test_a_named_file_clashes_with_an_entry_of_its_day_filed_in_another_folder() -> None:
    entry("2022/03/03/blasts.md", f"title: A\n{TIME}", "Blasts in the night.")
    entry("elsewhere/blasts.md", "title: B\npublished: 2022-03-03T11:00:00+02:00", "More blasts.")
    clash = (
        "content/elsewhere/blasts.md: error: entry 'blasts' on 2022-03-03 is also content/2022/03/03/blasts.md; "
        "two entries of one day need different file names"
    )
    for named in (f"{DAY}/blasts.md", "content/elsewhere/blasts.md"):
        assert (cli("check", named).code, cli("check", named).lines) == (1, [clash])


def test_a_file_named_like_the_site_s_own_parts_of_a_page_is_an_error() -> None:
    path = entry("2022/03/03/brf-search.md", f"title: Search\n{TIME}", "An anchor the search box has.")
    assert (cli("check", path).code, cli("check", path).lines) == (1, [
        "content/2022/03/03/brf-search.md: error: the file name makes the anchor 'brf-search', but anchors that start "
        "with 'brf-' belong to the site's own parts of a page (its search box): rename the file"
    ])  # fmt: skip


def test_a_named_file_with_a_year_typo_is_in_the_future() -> None:
    path = entry("2032/03/03/typo.md", "title: Typo\npublished: 2032-03-03T10:00:00+02:00", "The year is wrong.")
    assert cli("check", path).lines == [
        "content/2032/03/03/typo.md:3: warning: 'published' is in the future (2032-03-03T10:00:00+02:00); check the date"
    ]


def test_a_named_file_saved_twice_is_told_of_its_copy_on_the_file_named() -> None:
    first = entry("2022/03/03/sirens.md", f"title: Sirens sound in Kyiv\n{TIME}", "Sirens sounded in the capital.")
    second = Path("content/2022/03/05/sirens-again.md")
    second.parent.mkdir(parents=True)
    shutil.copy(first, second)  # the same update, under another name and folder
    entry("2022/03/04/other.md", "title: Other\npublished: 2022-03-04T10:00:00+02:00", "Sirens sounded again.")
    # The file a pull request brings is the one checked: its annotation lands on it, in the pull request's files.
    for named, other in ((first, second), (second, first)):
        assert f"{named}: warning: the same update as {other} (the same title and body): keep one of the two files" in (
            cli("check", named).lines
        )
    assert cli("check", "content/2022/03/04/other.md").lines == []


def test_the_same_body_at_the_same_time_is_the_same_update() -> None:
    entry("2022/03/03/a.md", f"title: Sirens in Kyiv\n{TIME}", "Sirens sounded.")
    entry("2022/03/03/b.md", f"title: Air-raid alert in Kyiv\n{TIME}", "Sirens   sounded.")  # white space aside
    assert cli("check").lines == [
        f"{DAY}/b.md: warning: the same update as {DAY}/a.md (the same body and time): keep one of the two files"
    ]


def write_archive() -> list[Path]:
    """An archive breaking every rule, some of them between files."""
    for name, text, _ in CASES:
        Path(f"{DAY}/{name}").parent.mkdir(parents=True, exist_ok=True)
        Path(f"{DAY}/{name}").write_text(distinct(name, text), "utf-8")
    entry("2022/03/03/names.md", f"title: Names\n{TIME}\ncities: [Kiyv, Vitali Klitschko]\npeople: [Borel]",
          "Sirens sounded in Kharkiv, and the government in Kyiv said so.")  # fmt: skip
    entry("2022/03/03/blasts.md", f"title: Blasts\n{TIME}", "Blasts in the night.")
    entry("elsewhere/blasts.md", "title: Blasts again\npublished: 2022-03-03T12:00:00+02:00", "Blasts again.")
    entry("2022/03/03/copy-a.md", f"title: Copy\n{TIME}", "The same words.")
    entry("2022/03/06/copy-b.md", f"title: Copy\n{TIME}", "The same words.")
    entry("2032/03/03/future.md", "title: Future\npublished: 2032-03-03T10:00:00+02:00", "A year typo.")
    entry("2022/03/02/accent.md", "title: Accent\npublished: 2022-03-02T10:00:00+02:00\ncities: [Kyïv]", "An accent.")
    entry("2022/03/04/kyiv.md", "title: In Kyiv\npublished: 2022-03-04T10:00:00+02:00\ncities: [Kyiv]", "Sirens.")
    entry("2022/03/03/files.md", f"title: Files\n{TIME}",
          "![Map](map.png) [Next](../04/nowhere.md) [Draft](draft.md) [^1] and [^2].\n\n[^1]: A note.")  # fmt: skip
    entry("2022/03/03/draft.md", f"title: Draft\n{TIME}\ndraft: true", "Not yet.")
    write_entry("2022/03/03/no-sources.md", f"title: No sources\n{TIME}", "Facts from nowhere.")
    return sorted(Path("content").rglob("*.md"))


def test_check_file_and_the_whole_check_agree_on_each_file() -> None:
    files = write_archive()
    whole = cli("check").lines
    assert len(whole) > len(CASES) + 10  # every kind of problem is there
    for file in files:
        named = file.as_posix()
        expected = sorted(either_way(line) for line in whole if line.startswith((f"{named}:", f"{named} ")) or named in line)
        assert sorted(either_way(line) for line in cli("check", named).lines) == expected, named


def either_way(line: str) -> str:
    """A line, with a pair of copies told in one order whichever of the two it is told on: the
    whole check tells it on one, a check of a file on that file (``duplicates``' ``checked``)."""
    found = re.fullmatch(r"(\S+): warning: the same update as (\S+) (.*)", line)
    return line if found is None else f"{sorted(found.group(1, 2))} {found.group(3)}"


def test_a_named_file_is_told_when_its_name_takes_another_entitys_page() -> None:
    # 'Kyïv' is no registry spelling: its page would be /cities/kyiv/, which Kyiv has.
    entry("2022/03/03/kyiv.md", f"title: Kyiv\n{TIME}\ncities: [Kyiv]", "In Kyiv.")
    entry("2022/03/02/accent.md", "title: Accent\npublished: 2022-03-02T10:00:00+02:00\ncities: [Kyïv]", "An accent.")
    entry("2022/03/04/later.md", "title: Later\npublished: 2022-03-04T10:00:00+02:00\ncities: [Kyïv]", "Later.")
    told = "content/2022/03/02/accent.md: warning: 'Kyïv' makes the same URL as 'Kyiv'; its page is /cities/kyiv-2/"
    assert told in cli("check").lines
    assert told in cli("check", "content/2022/03/02/accent.md").lines
    assert told not in cli("check", "content/2022/03/04/later.md").lines  # the first to name it is told


def test_two_long_file_names_alike_in_their_first_80_characters_are_told_why_they_clash() -> None:
    long = "mayor-says-the-evacuation-of-civilians-from-the-port-city-will-resume-tomorrow-morning"
    entry(f"2022/03/03/{long}-at-dawn.md", f"title: A\n{TIME}", "Dawn.")
    entry(f"2022/03/03/{long}-at-noon.md", "title: B\npublished: 2022-03-03T11:00:00+02:00", "Noon.")
    result = cli("check")
    slug = "mayor-says-the-evacuation-of-civilians-from-the-port-city-will-resume-tomorrow"
    assert result.lines == [
        f"content/2022/03/03/{long}-at-noon.md: error: entry '{slug}' on 2022-03-03 is also content/2022/03/03/{long}-at-dawn.md; "
        "two entries of one day need different file names within their first 80 characters, which make the anchor"
    ]


def test_a_named_folder_checks_every_entry_in_it() -> None:
    entry("2022/03/03/a.md", f"title: A\n{TIME}\ncities: [Lviv]", "In Lviv.")
    entry("2022/03/04/b.md", "title: B\npublished: 2022-03-04T10:00:00+02:00\ncities: [Dnipro]", "In Dnipro.")
    result = cli("check", "content/2022/03/03/")
    assert result.lines == ["content/2022/03/03/a.md:4: warning: unknown city 'Lviv': add it to site_config/cities.yml"]
    assert result.err.endswith("ok: 1 file checked\n")
    assert len(cli("check", "content/2022/03").lines) == 2  # a month's folder: both days
