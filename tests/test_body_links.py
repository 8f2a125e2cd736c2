"""Bodies as the pull request's preview shows them: footnotes, aligned tables, links by file path.

A contributor links another entry by its file (``../04/x.md``) and a picture by its
place beside the entry, as GitHub's preview follows them; readers of every page
and feed get the entry's anchor on its day page and the published picture.
"""

from __future__ import annotations

import feedparser
import pytest

from conftest import Project, article, make_project

BODY = """\
Officials gave a figure[^1], as [reported yesterday](../04/next-day.md) and [earlier](../01/filed-late.md).

| City | Shelters |
|:-----|---------:|
| Kyiv | 4 |

![Map](map.png) [Report](report.pdf) [Missing](../04/nowhere.md)

[^1]: The figure could not be verified.
"""


@pytest.fixture()
def site(tmp_path) -> Project:
    project = make_project(tmp_path)
    # The latest day: its entries are on the home page too, one folder nearer the root.
    project.entry("2022/03/05/linking.md", "title: Linking\npublished: 2022-03-05T10:00:00+02:00", BODY)
    project.entry("2022/03/04/next-day.md", "title: Next\npublished: 2022-03-04T10:00:00+02:00")
    # Filed in the folder of 1 March, published on 4 March: listed, and linked, on 4 March.
    project.entry("2022/03/01/filed-late.md", "title: Late\npublished: 2022-03-04T11:00:00+02:00")
    project.write("content/2022/03/05/map.png", b"\x89PNG\r\n")
    project.write("content/2022/03/05/report.pdf", b"%PDF-1.4\n")
    assert project.build().code == 0
    return project


def body_of(page, slug: str):
    (node,) = article(page).xpath(f".//article[@id='{slug}']//div[contains(@class, 'brf-entry__body')]")
    return node


def test_footnotes_render_with_ids_of_their_entry(site: Project) -> None:
    body = body_of(site.page("2022/03/05/"), "linking")
    (ref,) = body.xpath(".//sup[@class='footnote-ref']/a")
    assert (ref.get("href"), ref.get("id"), ref.text) == ("#linking__fn-1", "linking__fnref-1", "1")
    (note,) = body.xpath(".//section[@class='footnotes']//li")
    assert note.get("id") == "linking__fn-1"
    assert note.text_content().split() == ["The", "figure", "could", "not", "be", "verified.", "\u21a9"]
    (back,) = note.xpath(".//a[@class='footnote-backref']")
    assert (back.get("href"), back.get("aria-label")) == ("#linking__fnref-1", "Back to reference 1")


def test_table_alignment_is_kept(site: Project) -> None:
    body = body_of(site.page("2022/03/05/"), "linking")
    assert [th.get("align") for th in body.xpath(".//th")] == ["left", "right"]
    assert [td.get("align") for td in body.xpath(".//td")] == ["left", "right"]


def test_links_to_entry_files_lead_to_their_anchors_on_day_and_home_pages(site: Project) -> None:
    for url, root in (("2022/03/05/", "../../../"), ("", "")):
        hrefs = {a.text_content(): a.get("href") for a in body_of(site.page(url), "linking").xpath(".//a")}
        assert hrefs["reported yesterday"] == f"{root}2022/03/04/#next-day"
        assert hrefs["earlier"] == f"{root}2022/03/04/#filed-late"  # its day, not its folder
        assert hrefs["Report"] == f"{root}2022/03/05/report.pdf"
        assert hrefs["Missing"] == "../04/nowhere.md"  # no such entry: as written, and `check` says so
        (image,) = body_of(site.page(url), "linking").xpath(".//img")
        assert image.get("src") == f"{root}2022/03/05/map.png"
    assert (site.site / "2022/03/05/map.png").read_bytes() == b"\x89PNG\r\n"


def test_feeds_carry_the_same_links_absolute(site: Project) -> None:
    (item,) = [e for e in feedparser.parse((site.site / "feed.xml").read_bytes()).entries if e.title == "Linking"]
    base = "https://news.example.org/briefing/"
    assert f'href="{base}2022/03/04/#next-day"' in item.summary
    assert f'href="{base}2022/03/04/#filed-late"' in item.summary
    assert f'src="{base}2022/03/05/map.png"' in item.summary
    assert f'href="{base}2022/03/05/#linking__fn-1"' in item.summary
    assert 'align="right"' in item.summary


def test_a_linked_entry_that_moves_day_moves_its_links_in_a_cached_rebuild(site: Project) -> None:
    # Nothing else of 5 March's page changes: its previous day is still the 4th.
    site.entry("2022/03/01/filed-late.md", "title: Late\npublished: 2022-03-02T11:00:00+02:00")
    assert site.build().code == 0
    hrefs = {a.text_content(): a.get("href") for a in body_of(site.page("2022/03/05/"), "linking").xpath(".//a")}
    assert hrefs["earlier"] == "../../../2022/03/02/#filed-late"
    (item,) = [e for e in feedparser.parse((site.site / "feed.xml").read_bytes()).entries if e.title == "Linking"]
    assert 'href="https://news.example.org/briefing/2022/03/02/#filed-late"' in item.summary


def test_an_entry_knows_the_entry_files_its_body_links_once_each() -> None:
    from generator.autolink import linked_entries

    body = (
        '<p><a href="../04/x.md">x</a>, <a href="../04/x.md">x again</a>, <img src="pic.png" alt="">, '
        '<a href="y.md#part">y</a>, <a href="https://example.org/z.md">z</a>, <a href="../../../../w.md">w</a></p>'
    )
    assert linked_entries("2022/03/05/a.md", body) == ("2022/03/04/x.md", "2022/03/05/y.md")
    assert linked_entries("2022/03/05/a.md", "<p>No links.</p>") == ()
