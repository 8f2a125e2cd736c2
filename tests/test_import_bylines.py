"""Imported updates keep their bylines: each format's authors become the entry's ``author``.

A newsroom's byline is one text ("Anna Smith and Ben Jones"): the names of the people
a source credits, joined as the archive's language writes a list, or an organization's
name where no person is named; never an e-mail address. An update credited to no one
has no ``author`` line at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SETTINGS, Project
from import_support import FIXTURES, entry, entry_files, newsroom, run_import

KYIV_TIME = "2022-03-05T10:00:00+02:00"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return newsroom(tmp_path / "newsroom")


def json_ld_page(folder: Path, *authors: object, posting_author: object = None) -> Path:
    """A LiveBlogPosting whose updates u-1, u-2, ... are credited to ``authors`` (None: no author)."""
    updates = [
        {"@type": "BlogPosting", "headline": f"Update {n}", "datePublished": f"2022-03-05T1{n}:00:00+02:00",
         "url": f"https://news.example/live#u-{n}", "articleBody": f"Text of update {n}.",
         **({"author": author} if author is not None else {})}
        for n, author in enumerate(authors, start=1)
    ]  # fmt: skip
    posting = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "url": "https://news.example/live",
               "publisher": {"@type": "Organization", "name": "Example News"}, "liveBlogUpdate": updates,
               **({"author": posting_author} if posting_author is not None else {})}  # fmt: skip
    page = folder / "live.html"
    page.write_text(f'<html><head><script type="application/ld+json">{json.dumps(posting)}</script></head></html>', "utf-8")
    return page


def authors(project: Project) -> dict[str, str | None]:
    """Each entry's ``author`` by its file's name (None: no such line)."""
    return {name.rsplit("/", 1)[-1]: entry(project, name)[0].get("author") for name in entry_files(project)}


def test_a_json_ld_update_s_author_becomes_the_entry_s_byline(project: Project, tmp_path: Path) -> None:
    page = json_ld_page(tmp_path, {"@type": "Person", "name": "Anna  Smith", "url": "https://news.example/anna"})
    result = run_import(project, page)
    assert result.lines == [f"new: {project.content}/2022/03/05/u-1.md"]
    assert (project.content / "2022/03/05/u-1.md").read_text("utf-8") == (
        "---\n"
        "title: Update 1\n"
        "author: Anna Smith\n"  # after the title, as the README lists the fields; white space single
        "published: 2022-03-05T11:00:00+02:00\n"
        "cities: []\n"
        "people: []\n"
        "sources:\n"
        "  - name: Example News\n"
        "    url: https://news.example/live#u-1\n"
        "origin: https://news.example/live#u-1\n"
        "digest: source=1532a1c7051aef05 text=13cb0150e411e4f0\n"
        "---\n"
        "Text of update 1.\n"
    )
    assert project.check("--strict").code == 0


def test_json_ld_authors_in_every_shape_newsrooms_write(project: Project, tmp_path: Path) -> None:
    page = json_ld_page(
        tmp_path,
        "Anna Smith",  # a text
        [{"@type": "Person", "name": "Anna Smith"}, {"@type": "Person", "name": "Ben Jones"}],
        [{"@type": "Person", "name": "A"}, {"@type": "Person", "givenName": "Bohdan", "familyName": "Kovalenko"}, "C"],
        [{"@type": "NewsMediaOrganization", "name": "Reuters"}, {"@type": "Person", "name": "Olena Petrenko"}],
        {"@type": "Organization", "name": "Example News Live Desk"},  # an organization only
        [{"@type": "Person", "name": "Anna Smith"}, {"@type": "Person", "name": "anna smith"}],  # the same person twice
        {"@type": "Person", "name": "<b>Anna</b> Smith &amp; co"},  # markup and references: text
        {"@type": "Person", "email": "desk@news.example"},  # an address names no one
    )
    result = run_import(project, page)
    assert result.code == 0, result.err
    assert authors(project) == {
        "u-1.md": "Anna Smith",
        "u-2.md": "Anna Smith and Ben Jones",
        "u-3.md": "A, Bohdan Kovalenko and C",
        "u-4.md": "Olena Petrenko",  # a person named: not the agency
        "u-5.md": "Example News Live Desk",
        "u-6.md": "Anna Smith",
        "u-7.md": "Anna Smith & co",
        "u-8.md": None,
    }
    check = project.check("--strict")
    assert check.code == 0, check.out


def test_a_json_ld_update_without_an_author_is_credited_as_its_live_blog(project: Project, tmp_path: Path) -> None:
    page = json_ld_page(tmp_path, None, {"@type": "Person", "name": "Ben Jones"}, posting_author={"@type": "Person", "name": "Live desk"})
    run_import(project, page)
    assert authors(project) == {"u-1.md": "Live desk", "u-2.md": "Ben Jones"}


def test_an_update_credited_to_no_one_has_no_author_line(project: Project, tmp_path: Path) -> None:
    page = json_ld_page(tmp_path, None)
    run_import(project, page)
    text = (project.content / "2022/03/05/u-1.md").read_text("utf-8")
    assert text.startswith("---\ntitle: Update 1\npublished: 2022-03-05T11:00:00+02:00\n")
    assert "author" not in text


def test_a_graph_names_each_author_once_by_id(project: Project, tmp_path: Path) -> None:
    graph = [
        {"@type": "Person", "@id": "https://b.example/#anna", "name": "Anna Smith"},
        {"@type": "LiveBlogPosting", "url": "https://b.example/live", "liveBlogUpdate": [{"@id": "https://b.example/live#u1"}]},
        {"@type": "BlogPosting", "@id": "https://b.example/live#u1", "url": "https://b.example/live#u1", "headline": "Sirens",
         "datePublished": KYIV_TIME, "articleBody": "Sirens.", "author": {"@id": "https://b.example/#anna"}},
    ]  # fmt: skip
    page = tmp_path / "live.html"
    page.write_text(f'<html><head><script type="application/ld+json">{json.dumps({"@graph": graph})}</script></head></html>', "utf-8")
    run_import(project, page)
    assert authors(project) == {"update-u1.md": "Anna Smith"}


def test_microdata_authors_are_the_names_of_their_items(project: Project, tmp_path: Path) -> None:
    def update(number: int, author: str) -> str:
        return (
            f'<article itemprop="liveBlogUpdate" itemscope itemtype="https://schema.org/BlogPosting">{author}'
            f'<h2 itemprop="headline">Update {number}</h2><time itemprop="datePublished" datetime="2022-03-05T1{number}:00:00+02:00"></time>'
            f'<div itemprop="articleBody"><p>Text {number}.</p></div><a itemprop="url" href="#m-{number}">Link</a></article>'
        )

    person = '<span itemprop="author" itemscope itemtype="https://schema.org/Person"><a itemprop="url" href="/a">{}</a><meta itemprop="name" content="{}"></span>'
    page = tmp_path / "live.html"
    page.write_text(
        '<html><head><link rel="canonical" href="https://radio.example.org/live"></head><body>'
        + update(1, person.format("Anna", "Anna Smith") + person.format("Ben", "Ben Jones"))
        + update(2, '<span itemprop="author" itemscope itemtype="https://schema.org/Organization"><span itemprop="name">Radio Desk</span></span>')
        + update(3, '<span itemprop="author">Olena Petrenko</span>')
        + update(4, "")
        + "</body></html>",
        "utf-8",
    )
    run_import(project, page)
    assert authors(project) == {"m-1.md": "Anna Smith and Ben Jones", "m-2.md": "Radio Desk", "m-3.md": "Olena Petrenko", "m-4.md": None}


def guardian_item(tmp_path: Path, blocks: list[dict], **item: object) -> Path:
    """A Content API item with ``blocks`` (id, contributors), fetched with show-tags=contributor."""
    body = [
        {"id": block["id"], "bodyHtml": f"<p>Block {block['id']}.</p>", "attributes": {}, "published": True,
         "firstPublishedDate": "2022-03-05T08:00:00Z", "lastModifiedDate": "2022-03-05T08:00:00Z",
         "contributors": block["contributors"], "elements": []}
        for block in blocks
    ]  # fmt: skip
    content = {"id": "world/live/2022/mar/05/ukraine", "type": "liveblog", "webUrl": "https://www.theguardian.com/world/live/2022/mar/05/ukraine",
               "blocks": {"body": body, "totalBodyBlocks": len(body)}, **item}  # fmt: skip
    source = tmp_path / "guardian.json"
    source.write_text(json.dumps({"response": {"status": "ok", "content": content}}), "utf-8")
    return source


TAGS = [
    {"id": "profile/martin-belam", "type": "contributor", "webTitle": "Martin Belam"},
    {"id": "profile/helen-sullivan", "type": "contributor", "webTitle": "Helen Sullivan"},
    {"id": "world/ukraine", "type": "keyword", "webTitle": "Ukraine"},
]


def test_a_guardian_block_is_credited_to_its_contributors_by_their_tags(project: Project, tmp_path: Path) -> None:
    source = guardian_item(tmp_path, [
        {"id": "b1", "contributors": ["profile/helen-sullivan"]},
        {"id": "b2", "contributors": ["profile/martin-belam", "profile/helen-sullivan"]},
        {"id": "b3", "contributors": ["profile/no-tag-for-this-id"]},  # an id is no name: the live blog's byline
        {"id": "b4", "contributors": []},
    ], tags=TAGS)  # fmt: skip
    result = run_import(project, source)
    assert f"{source}: guardian: 4 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped" in result.err.splitlines()
    assert authors(project) == {
        "block-b1.md": "Helen Sullivan",
        "block-b2.md": "Martin Belam and Helen Sullivan",
        "block-b3.md": "Martin Belam and Helen Sullivan",
        "block-b4.md": "Martin Belam and Helen Sullivan",
    }


def test_a_guardian_item_without_contributor_tags_credits_its_byline_field(project: Project, tmp_path: Path) -> None:
    source = guardian_item(tmp_path, [{"id": "b1", "contributors": []}], fields={"byline": "Martin Belam  (now) and Helen Sullivan (earlier)"})
    run_import(project, source)
    assert authors(project) == {"block-b1.md": "Martin Belam (now) and Helen Sullivan (earlier)"}


def test_wordpress_liveblog_entries_are_credited_to_their_authors(project: Project) -> None:
    run_import(project, FIXTURES / "wordpress" / "entries.json")
    # 4101's last version, an 'update', names no author; 4102 is the night editor's.
    assert authors(project) == {"update-4101.md": None, "update-4102.md": "Night Editor"}


def test_wordpress_liveblog_co_authors_share_the_byline(project: Project, tmp_path: Path) -> None:
    source = tmp_path / "liveblog.json"
    source.write_text(json.dumps({"entries": [{
        "id": 7, "type": "new", "render": "<p>Sirens in Kyiv.</p>", "timestamp": 1646467200, "entry_time": 1646467200,
        "share_link": "https://live.example.com/live/#7",
        "authors": [{"id": 1, "key": "anna", "name": "Anna Smith", "avatar": ""}, False, {"id": 2, "key": "ben", "name": "Ben Jones", "avatar": ""}],
    }], "latest_timestamp": 1646467200}), "utf-8")  # fmt: skip
    run_import(project, source)
    assert authors(project) == {"update-7.md": "Anna Smith and Ben Jones"}


def rss_item(guid: str, credit: str) -> str:
    return (
        f'<item><title>{guid}</title><guid isPermaLink="false">{guid}</guid><pubDate>Sat, 05 Mar 2022 10:00:00 +0200</pubDate>'
        f"{credit}<description>Text of {guid}.</description></item>"
    )


def test_rss_authors_are_names_never_addresses(project: Project, tmp_path: Path) -> None:
    feed = tmp_path / "live.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Kyiv Daily</title>'
        "<link>https://kyivdaily.example/live</link><managingEditor>editor@kyivdaily.example (Chief Editor)</managingEditor>"
        + rss_item("named", "<author>anna@kyivdaily.example (Anna Smith)</author>")
        + rss_item("address", "<author>desk@kyivdaily.example</author>")
        + rss_item("creators", "<dc:creator>Anna Smith</dc:creator><dc:creator>Ben Jones</dc:creator><dc:creator>Olena Petrenko</dc:creator>")
        + rss_item("bracketed", "<dc:creator>By Ben Jones &lt;ben@kyivdaily.example&gt;</dc:creator>")
        + rss_item("none", "")
        + "</channel></rss>",
        "utf-8",
    )
    result = run_import(project, feed)
    assert f"{feed}: feed: 5 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped" in result.err.splitlines()
    assert authors(project) == {
        "address.md": None,  # an address alone is no byline, and the channel's editor is not the writer
        "bracketed.md": "Ben Jones",
        "creators.md": "Anna Smith, Ben Jones and Olena Petrenko",
        "named.md": "Anna Smith",
        "none.md": None,
    }
    assert "@" not in "".join((project.content / name).read_text("utf-8") for name in entry_files(project))
    check = project.check("--strict")
    assert check.code == 0, check.out


def test_an_atom_entry_is_credited_to_its_authors_else_the_feed_s(project: Project) -> None:
    run_import(project, FIXTURES / "feeds" / "live.atom")  # the feed's <author> only
    assert authors(project) == {"sumy-rockets.md": "Sumy Herald", "sumy-shelters.md": "Sumy Herald"}


def test_atom_entry_authors_come_before_the_feed_s(project: Project, tmp_path: Path) -> None:
    feed = tmp_path / "live.atom"
    feed.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Live</title><id>tag:x.example,2022:live</id>'
        "<author><name>Sumy Herald</name></author>"
        '<entry><title>Map</title><id>tag:x.example,2022:map</id><published>2022-03-05T10:00:00+02:00</published>'
        "<author><name>Anna Smith</name><email>anna@x.example</email></author><author><name>Ben Jones</name></author>"
        "<content>Text.</content></entry></feed>",
        "utf-8",
    )
    run_import(project, feed)
    assert authors(project) == {"map.md": "Anna Smith and Ben Jones"}


def test_json_feed_authors_of_both_versions_and_the_feed_s(project: Project, tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "feed_url": "https://f.example/feed.json",
        "authors": [{"name": "Chernihiv Voice", "url": "https://f.example/"}],
        "items": [
            {"id": "v11", "content_text": "One.", "date_published": KYIV_TIME, "authors": [{"name": "Anna Smith"}, {"name": "Ben Jones"}]},
            {"id": "v10", "content_text": "Two.", "date_published": KYIV_TIME, "author": {"name": "Olena Petrenko", "url": "mailto:olena@f.example"}},
            {"id": "feed", "content_text": "Three.", "date_published": KYIV_TIME},
            {"id": "avatar", "content_text": "Four.", "date_published": KYIV_TIME, "authors": [{"avatar": "https://f.example/a.png"}]},
        ],
    }), "utf-8")  # fmt: skip
    run_import(project, feed)
    assert authors(project) == {"avatar.md": "Chernihiv Voice", "feed.md": "Chernihiv Voice", "v10.md": "Olena Petrenko", "v11.md": "Anna Smith and Ben Jones"}


def test_names_are_joined_as_the_archive_s_language_writes_a_list(tmp_path: Path) -> None:
    project = newsroom(tmp_path / "newsroom")
    project.write("site_config/settings.yml", SETTINGS + "language: uk\n")
    page = json_ld_page(tmp_path, ["Анна Коваль", "Богдан Мельник", "Олена Петренко"], ["Анна Коваль", "Богдан Мельник"])
    run_import(project, page)
    assert authors(project) == {"u-1.md": "Анна Коваль, Богдан Мельник і Олена Петренко", "u-2.md": "Анна Коваль і Богдан Мельник"}
