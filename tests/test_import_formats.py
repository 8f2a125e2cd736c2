"""`briefings import` reads each format from its documentation into entries a newsroom can publish.

The fixtures in tests/fixtures/import/ are written from each format's public
documentation: schema.org's LiveBlogPosting, the Guardian Content API's blocks,
the WordPress Liveblog plugin's REST entries, RSS 2.0, Atom and JSON Feed 1.1;
those in tests/fixtures/import/published/ in the shapes that publishers' pages and
their CMSs' and plugins' code are known to write, each with its own sample text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Project
from import_support import FIXTURES, GUARDIAN, GUARDIAN_BLOG, entry, entry_files, newsroom, run_import, summary


def rss(folder: Path, items: str, link: str = "https://x.example/live") -> Path:
    """An RSS 2.0 feed of ``items`` (their XML), its channel at ``link``, written in ``folder``."""
    feed = folder / "live.rss"
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Live</title><link>{link}</link>{items}</channel></rss>', "utf-8")
    return feed


PUBLISHED = FIXTURES / "published"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return newsroom(tmp_path)


def test_a_guardian_block_becomes_an_entry_named_after_its_block(project: Project) -> None:
    result = run_import(project, GUARDIAN)
    assert result.code == 0, result.err
    kherson = "2022/03/03/block-6220501a8f08d8a3e9a0f4b2.md"
    assert result.lines[0] == f"new: {project.content / kherson}"
    assert (project.content / kherson).read_text("utf-8") == (
        "---\n"
        "title: Kherson mayor says Russian troops are in the city centre\n"
        "published: 2022-03-03T09:40:12+02:00\n"  # 07:40:12Z, in the site's zone
        "cities: [Kherson]\n"
        "people: [Ihor Kolykhayev]\n"
        "sources:\n"
        "  - name: The Guardian\n"
        f"    url: {GUARDIAN_BLOG}?page=with:block-6220501a8f08d8a3e9a0f4b2#block-6220501a8f08d8a3e9a0f4b2\n"
        "key: true\n"
        f"origin: {GUARDIAN_BLOG}#block-6220501a8f08d8a3e9a0f4b2\n"
        "digest: source=1ccb80a2322d3046 text=74a01c923e190a9a\n"  # what a later import compares with
        "---\n"
        "Russian forces have taken control of the centre of Kherson, the city's mayor, Ihor Kolykhayev, said in a statement.\n"
        "\n"
        "He asked residents to stay indoors.\n"
    )


def test_guardian_summaries_and_pinned_blocks_are_key_events_and_drafts_are_not_imported(project: Project) -> None:
    result = run_import(project, GUARDIAN)
    summary_block, _ = entry(project, "2022/03/03/block-622068a18f08d8a3e9a0f6d4.md")
    assert summary_block["key"] is True
    assert summary_block["updated"] == "2022-03-03T11:30:00+02:00"  # changed half an hour after publishing
    kyiv, _ = entry(project, "2022/03/03/block-62205c2e8f08d8a3e9a0f5c3.md")
    assert "key" not in kyiv and "updated" not in kyiv  # an edit within the minute of publishing is no update
    assert f"{GUARDIAN}: skipped response.content.blocks.body[3]: deleted or unpublished upstream, and never imported" in result.err
    assert f"{GUARDIAN}: guardian: 3 new, 0 updated, 0 unchanged, 0 withdrawn, 1 skipped" in result.err.splitlines()


def test_wordpress_liveblog_entries_take_their_last_version_and_deletions_remove_them(project: Project) -> None:
    source = FIXTURES / "wordpress" / "entries.json"
    result = run_import(project, source)
    assert result.code == 0, result.err
    assert entry_files(project) == ["2022/03/03/update-4101.md", "2022/03/03/update-4102.md"]
    sirens, body = entry(project, "2022/03/03/update-4101.md")
    assert sirens["title"] == "Air-raid sirens sounded across Kharkiv before dawn, the regional administration said"
    assert sirens["published"] == "2022-03-03T08:00:00+02:00"  # entry_time, in the site's zone
    assert sirens["updated"] == "2022-03-03T11:00:00+02:00"  # the 'update' entry's timestamp
    assert body == "Air-raid sirens sounded across Kharkiv before dawn, the regional administration said. Residents were told to go to shelters."
    assert sirens["origin"] == "https://live.example.com/2022/03/03/ukraine-live/#4101"
    assert sirens["cities"] == ["Kharkiv"]
    key, body = entry(project, "2022/03/03/update-4102.md")
    assert key["key"] is True and key["title"] == 'Zelenskiy: "We will not give up"'
    assert "/key" not in body
    assert f"{source}: skipped entries[4]: deleted or unpublished upstream, and never imported" in result.err


def test_a_json_ld_page_gives_its_updates_bodies_from_their_own_elements(project: Project) -> None:
    result = run_import(project, FIXTURES / "html" / "live-page.html")
    assert result.code == 0, result.err
    assert entry_files(project) == ["2022/03/03/update-1240.md", "2022/03/03/update-1350.md", "2022/03/03/update-1405.md"]
    borrell, body = entry(project, "2022/03/03/update-1350.md")
    assert borrell == {
        "title": "Borrell calls for a cease-fire from Chisinau",
        "published": "2022-03-03T13:50:00+02:00",
        "updated": "2022-03-03T14:20:00+02:00",
        "cities": ["Chisinau"],  # named as a link: "said in [Chisinau](…)"
        "people": ["Josep Borrell"],
        "sources": [{"name": "Example News", "url": "https://news.example.com/live/ukraine-day-8#update-1350"}],
        "key": True,  # its element is marked as a key event
        "origin": "https://news.example.com/live/ukraine-day-8#update-1350",
        "digest": "source=39d28942bebd6fb5 text=c5a9eaeca1eeb3d0",
    }
    assert body == (
        "Josep Borrell, the EU's foreign policy chief, said in [Chisinau](https://news.example.com/topics/moldova)"
        " that the war must stop *now*.\n\n"
        "[Image: Borrell at a refugee centre.](https://news.example.com/images/borrell-chisinau.jpg) (Photo: Example News)\n\n"
        "- He asked for humanitarian corridors.\n- He toured a refugee centre."
    )
    council, body = entry(project, "2022/03/03/update-1240.md")  # no element on the page: its articleBody
    assert body.startswith("Speaking in Geneva, Ukraine's first deputy foreign minister Emine Dzhaparova said")
    assert council["cities"] == ["Geneva"] and council["people"] == ["Emine Dzhaparova"]


def test_microdata_updates_are_read_where_a_page_has_no_json_ld(project: Project) -> None:
    result = run_import(project, FIXTURES / "html" / "microdata.html")
    assert result.code == 0, result.err
    assert entry_files(project) == ["2022/03/03/post-1.md", "2022/03/03/post-2.md"]
    shelling, body = entry(project, "2022/03/03/post-2.md")
    assert shelling["title"] == "Shelling damages central Kharkiv"
    assert shelling["published"] == "2022-03-03T16:10:00+02:00"
    assert shelling["origin"] == "https://radio.example.org/live/kharkiv#post-2"
    assert body == "Shells hit the centre of Kharkiv, damaging the regional administration building."


def test_web_archive_captures_merge_into_each_updates_last_captured_version(project: Project) -> None:
    captures = FIXTURES / "captures"
    result = run_import(project, captures)
    assert result.code == 0, result.err
    assert f"{captures}: html: 3 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped (1 earlier captured version merged)" in result.err
    assert entry_files(project) == ["2022/03/03/u-1.md", "2022/03/03/u-2.md", "2022/03/03/u-3.md"]
    column, body = entry(project, "2022/03/03/u-2.md")
    assert column["title"] == "Column north of Kyiv still stalled"  # the later capture's version
    assert column["updated"] == "2022-03-03T11:00:00+02:00"
    # Links and ids lead to the live page, not into the archive.
    assert column["origin"] == "https://tv.example.net/live/ukraine#u-2"
    assert "[Kyiv](https://tv.example.net/tags/kyiv)" in body
    counter, _ = entry(project, "2022/03/03/u-3.md")
    assert counter["origin"] == "https://tv.example.net/live/ukraine#u-3"
    morning, _ = entry(project, "2022/03/03/u-1.md")  # only in the earlier capture: kept
    assert morning["title"] == "Morning briefing: the war enters its second week"


def test_rss_items_are_known_by_guid_under_the_channel(project: Project) -> None:
    result = run_import(project, FIXTURES / "feeds" / "live.rss")
    assert result.code == 0, result.err
    heating, body = entry(project, "2022/03/03/heating-0310.md")
    assert heating["published"] == "2022-03-03T10:10:00+02:00"
    assert heating["origin"] == "https://kyivdaily.example/live#heating-0310"  # a guid that is no URL
    assert heating["sources"] == [{"name": "Kyiv Daily: live updates", "url": "https://kyivdaily.example/live#heating"}]
    assert body == "City workers will repair the heating mains damaged in **Kyiv** overnight, the city administration said."
    curfew, _ = entry(project, "2022/03/03/curfew.md")  # no guid: its link
    assert curfew["origin"] == "https://kyivdaily.example/live#curfew"


def test_atom_entries_are_known_by_their_tag_uris(project: Project) -> None:
    result = run_import(project, FIXTURES / "feeds" / "live.atom")
    assert result.code == 0, result.err
    rockets, body = entry(project, "2022/03/03/sumy-rockets.md")
    assert rockets["origin"] == "tag:sumyherald.example,2022:live/sumy-rockets"
    assert rockets["updated"] == "2022-03-03T15:00:00+02:00"
    assert body == (
        "A powerful rocket attack hit Sumy, the regional governor said. "
        "[Video](https://sumyherald.example/live/sumy-rockets#video)."
    )
    shelters, body = entry(project, "2022/03/03/sumy-shelters.md")
    assert body == "Residents in Sumy were asked to stay in shelters until the morning."


def test_json_feed_items_without_a_title_get_their_first_sentence(project: Project) -> None:
    result = run_import(project, FIXTURES / "feeds" / "live.json")
    assert result.code == 0, result.err
    water, body = entry(project, "2022/03/03/update-2.md")
    assert water["title"] == "Water supplies in Mariupol were cut on Thursday morning"
    assert water["origin"] == "https://mariupolnow.example/feed.json#2"
    assert body == "Water supplies in Mariupol were cut on Thursday morning.\n\nRepair crews could not reach the pumping station."
    rail, _ = entry(project, "2022/03/03/update-1.md")
    assert rail["people"] == ["Vadym Boichenko"] and rail["updated"] == "2022-03-03T12:00:00+02:00"


@pytest.mark.parametrize(
    ("fixture", "format"),
    [("guardian/live-blog.json", "guardian"), ("wordpress/entries.json", "wordpress"), ("html/live-page.html", "html"),
     ("feeds/live.rss", "feed"), ("feeds/live.atom", "feed"), ("feeds/live.json", "json-feed")],
)  # fmt: skip
def test_the_format_is_told_from_the_content_and_format_forces_the_same(project: Project, fixture: str, format: str) -> None:
    told = run_import(project, FIXTURES / fixture, "--dry-run")
    forced = run_import(project, FIXTURES / fixture, "--dry-run", "--format", format)
    assert f": {format}: " in told.err
    assert told.out == forced.out and told.out
    assert summary(told).startswith("dry run, nothing written: would import 1 source:")
    assert not project.content.exists() or entry_files(project) == []


def test_every_format_writes_entries_that_pass_a_strict_check(project: Project) -> None:
    result = run_import(project, GUARDIAN, *(FIXTURES / name for name in ("wordpress", "html", "captures", "feeds", "hostile")))
    assert result.code == 0, result.err
    assert summary(result) == "imported 6 sources: 25 new, 0 updated, 0 unchanged, 0 withdrawn, 2 skipped"
    check = project.check("--strict")
    assert check.code == 0, check.out + check.err
    assert check.out == ""  # not even a warning: `origin` is a known field


def test_feed_items_that_share_a_link_and_have_no_id_are_told_apart_by_their_time(project: Project, tmp_path: Path) -> None:
    feed = rss(tmp_path, "".join(
        f"<item><title>{title}</title><link>https://x.example/live</link><pubDate>Thu, 03 Mar 2022 {hour}:00:00 +0200</pubDate>"
        f"<description>{title}.</description></item>"
        for title, hour in (("One", 10), ("Two", 11))
    ))  # fmt: skip
    result = run_import(project, feed)
    assert result.code == 0, result.err
    assert entry_files(project) == ["2022/03/03/update-20220303t080000z.md", "2022/03/03/update-20220303t090000z.md"]
    assert entry(project, "2022/03/03/update-20220303t090000z.md")[0]["origin"] == "https://x.example/live#update-20220303T090000Z"


WORDPRESS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Live</title>
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "LiveBlogPosting", "url": "https://wpnews.example.org/live-ukraine/",
 "publisher": {"@type": "Organization", "name": "WP News"}, "liveBlogUpdate": [
  {"@type": "BlogPosting", "headline": "Kherson is running out of food", "datePublished": "2022-03-05T10:30:00+02:00",
   "url": "https://wpnews.example.org/live-ukraine/#liveblog-entry-88",
   "articleBody": "Kherson mayor Ihor Kolykhayev said the city was running out of food. He asked for a humanitarian corridor."},
  {"@type": "BlogPosting", "headline": "Trains leave Kyiv", "datePublished": "2022-03-05T10:40:00+02:00",
   "url": "https://wpnews.example.org/live-ukraine/#liveblog-entry-89", "articleBody": "Trains left Kyiv for Lviv."}]}
</script></head><body>
<div id="liveblog-entry-88" class="liveblog-entry"><header class="liveblog-meta"><a href="#liveblog-entry-88">
<span class="screen-reader-text">Permalink to this entry</span></a></header><div class="liveblog-entry-content">
<p>Kherson mayor Ihor Kolykhayev said the city was running out of food.</p><p>He asked for a humanitarian corridor.</p></div></div>
<div id="liveblog-entry-89" class="liveblog-entry"><header class="liveblog-meta"><span class="byline-text">By Olena Petrenko, Kyiv</span>
</header><div class="liveblog-entry-content"><p>Trains left <a href="/tag/kyiv">Kyiv</a> for Lviv.</p></div></div>
</body></html>
"""


def test_a_wordpress_update_element_gives_its_content_not_its_permalink_label_or_byline(project: Project, tmp_path: Path) -> None:
    page = tmp_path / "live-ukraine.html"
    page.write_text(WORDPRESS_PAGE, "utf-8")
    result = run_import(project, page)
    assert result.code == 0, result.err
    assert entry(project, "2022/03/05/liveblog-entry-88.md")[1] == (
        "Kherson mayor Ihor Kolykhayev said the city was running out of food.\n\nHe asked for a humanitarian corridor."
    )
    assert entry(project, "2022/03/05/liveblog-entry-89.md")[1] == "Trains left [Kyiv](https://wpnews.example.org/tag/kyiv) for Lviv."


def microdata_update(number: int, hour: str, headline: str, body: str) -> str:
    return f"""<article itemprop="liveBlogUpdate" itemscope itemtype="https://schema.org/BlogPosting">
<div itemprop="author" itemscope itemtype="https://schema.org/Person"><a itemprop="url" href="/authors/anna">Anna</a></div>
<h2 itemprop="headline">{headline}</h2><time itemprop="datePublished" datetime="2022-03-05T{hour}:00:00+02:00">{hour}:00</time>
<div itemprop="articleBody"><p>{body}</p></div><a itemprop="url" href="#u-{number}">Link</a></article>"""


def test_microdata_updates_are_known_by_their_own_url_not_their_authors(project: Project, tmp_path: Path) -> None:
    page = tmp_path / "live.html"
    page.write_text(
        '<!DOCTYPE html><html><head><link rel="canonical" href="https://radio.example.org/live/day-10"></head>'
        '<body itemscope itemtype="https://schema.org/LiveBlogPosting">'
        + microdata_update(101, "08", "Sirens in Kyiv", "Sirens sounded in Kyiv.")
        + microdata_update(102, "09", "All clear in Kyiv", "The all-clear sounded in Kyiv.")
        + "</body></html>",
        "utf-8",
    )
    result = run_import(project, page)
    assert result.code == 0, result.err
    assert entry_files(project) == ["2022/03/05/u-101.md", "2022/03/05/u-102.md"]
    sirens, body = entry(project, "2022/03/05/u-101.md")
    assert (sirens["title"], sirens["origin"], body) == (
        "Sirens in Kyiv", "https://radio.example.org/live/day-10#u-101", "Sirens sounded in Kyiv."
    )
    assert entry(project, "2022/03/05/u-102.md")[0]["origin"] == "https://radio.example.org/live/day-10#u-102"


def test_updates_without_an_address_published_in_the_same_second_stay_two_entries(project: Project, tmp_path: Path) -> None:
    blog = "https://bbc.example.co.uk/news/live/world-europe-60000000"
    page = tmp_path / "live.json"
    page.write_text(json.dumps({"@context": "https://schema.org", "@type": "LiveBlogPosting", "url": blog, "liveBlogUpdate": [
        {"headline": "Sirens in Kyiv", "datePublished": "2022-03-05T10:00:00+00:00", "articleBody": "Air-raid sirens sounded in Kyiv."},
        {"headline": "Mariupol evacuation postponed", "datePublished": "2022-03-05T10:00:00+00:00", "articleBody": "The evacuation was postponed."},
        {"headline": "Kharkiv shelling", "datePublished": "2022-03-05T10:05:00+00:00", "articleBody": "Shelling went on in Kharkiv."},
    ]}), "utf-8")  # fmt: skip
    result = run_import(project, page)
    assert f"{page}: html: 3 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped" in result.err.splitlines()
    assert entry_files(project) == [
        "2022/03/05/update-20220305t100000z-7685ac55.md", "2022/03/05/update-20220305t100000z.md", "2022/03/05/update-20220305t100500z.md",
    ]  # fmt: skip
    sirens, _ = entry(project, "2022/03/05/update-20220305t100000z.md")
    assert (sirens["title"], sirens["origin"]) == ("Sirens in Kyiv", f"{blog}#update-20220305T100000Z")
    mariupol, _ = entry(project, "2022/03/05/update-20220305t100000z-7685ac55.md")
    assert (mariupol["title"], mariupol["origin"]) == ("Mariupol evacuation postponed", f"{blog}#update-20220305T100000Z-7685ac55")


def test_feed_items_sharing_a_link_and_a_second_stay_two_entries(project: Project, tmp_path: Path) -> None:
    feed = rss(tmp_path, "".join(
        f"<item><title>{title}</title><link>https://x.example/live</link><pubDate>Thu, 03 Mar 2022 10:00:00 +0200</pubDate>"
        f"<description>{title}.</description></item>"
        for title in ("One", "Two")
    ))  # fmt: skip
    result = run_import(project, feed)
    assert f"{feed}: feed: 2 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped" in result.err.splitlines()
    assert sorted(entry(project, name)[0]["title"] for name in entry_files(project)) == ["One", "Two"]


def test_an_item_listed_twice_in_a_feed_is_reported_with_the_copy_that_is_kept(project: Project, tmp_path: Path) -> None:
    feed = rss(tmp_path, "".join(
        f'<item><title>{title}</title><guid isPermaLink="false">{guid}</guid><pubDate>Thu, 03 Mar 2022 {hour}:00:00 +0200</pubDate>'
        f"<description>{title}.</description></item>"
        for title, guid, hour in (("Curfew", "curfew", 10), ("Sirens", "sirens", 11), ("Sirens again", "sirens", 12), ("Curfew", "curfew", 10))
    ))  # fmt: skip
    result = run_import(project, feed)
    assert [line for line in result.err.splitlines() if " skipped " in line] == [
        f"{feed}: skipped item 2: the same update as item 3 (origin https://x.example/live#sirens); item 3 is kept, as it was changed later",
        f"{feed}: skipped item 4: the same update as item 1 (origin https://x.example/live#curfew); item 1 is kept, as the first listed",
    ]
    assert f"{feed}: feed: 2 new, 0 updated, 0 unchanged, 0 withdrawn, 2 skipped" in result.err.splitlines()
    assert "merged" not in result.err


def test_plain_text_titles_keep_what_looks_like_tags(project: Project, tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "feed_url": "https://f.example/feed.json", "items": [
        {"id": "inflation", "title": "Inflation <5% but losses >10%, says <Ministry> of Finance", "content_text": "Figures.",
         "date_published": "2022-03-05T10:00:00+02:00"},
        {"id": "network", "title": "Use the <b> tag & the AT&T network", "content_text": "Advice.", "date_published": "2022-03-05T10:05:00+02:00"},
    ]}), "utf-8")  # fmt: skip
    channel = rss(
        tmp_path,
        "<item><title>Plain text with &lt;angle&gt; and a &amp;</title><guid>angle</guid>"
        "<pubDate>Sat, 05 Mar 2022 10:10:00 +0200</pubDate><description>Text.</description></item>",
    )
    atom = tmp_path / "live.atom"
    atom.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Live</title><id>tag:x.example,2022:live</id>'
        '<entry><title type="html">Shelling in &lt;em&gt;Sumy&lt;/em&gt; &amp;amp; Okhtyrka</title><id>tag:x.example,2022:sumy</id>'
        "<published>2022-03-05T10:15:00+02:00</published><content>Text.</content></entry></feed>",
        "utf-8",
    )
    result = run_import(project, feed, channel, atom)
    assert result.code == 0, result.err
    assert entry(project, "2022/03/05/inflation.md")[0]["title"] == "Inflation <5% but losses >10%, says <Ministry> of Finance"
    assert entry(project, "2022/03/05/network.md")[0]["title"] == "Use the <b> tag & the AT&T network"
    assert entry(project, "2022/03/05/angle.md")[0]["title"] == "Plain text with <angle> and a &"
    assert entry(project, "2022/03/05/sumy.md")[0]["title"] == "Shelling in Sumy & Okhtyrka"  # declared HTML: read as HTML
    check = project.check("--strict")
    assert check.code == 0, check.out


def test_an_article_body_of_text_keeps_its_paragraphs_references_and_angle_brackets(project: Project, tmp_path: Path) -> None:
    page = tmp_path / "live.json"
    page.write_text(json.dumps({"@context": "https://schema.org", "@type": "LiveBlogPosting", "url": "https://news.example/live", "liveBlogUpdate": [
        {"headline": "Quiet", "datePublished": "2022-03-05T10:00:00+02:00", "url": "https://news.example/live#u-1",
         "articleBody": "It&#8217;s quiet in Kyiv &amp; Kharkiv, the mayor&#039;s office said."},
        {"headline": "Link", "datePublished": "2022-03-05T10:05:00+02:00", "url": "https://news.example/live#u-2",
         "articleBody": "First paragraph.\n\nSecond paragraph with a <a href=\"/rel/link\">relative link</a>."},
        {"headline": "Prose", "datePublished": "2022-03-05T10:10:00+02:00", "url": "https://news.example/live#u-3",
         "articleBody": "Use x < y and a <b> tag; 5 > 3. Line\nbreak here.\n\nNew paragraph"},
    ]}), "utf-8")  # fmt: skip
    result = run_import(project, page)
    assert result.code == 0, result.err
    assert entry(project, "2022/03/05/u-1.md")[1] == "It’s quiet in Kyiv & Kharkiv, the mayor's office said."
    assert entry(project, "2022/03/05/u-2.md")[1] == "First paragraph.\n\nSecond paragraph with a [relative link](https://news.example/rel/link)."
    assert entry(project, "2022/03/05/u-3.md")[1] == "Use x &lt; y and a &lt;b> tag; 5 > 3. Line break here.\n\nNew paragraph"
    check = project.check("--strict")
    assert check.code == 0, check.out


def test_relative_links_in_an_atom_body_follow_its_xml_base(project: Project, tmp_path: Path) -> None:
    atom = tmp_path / "live.atom"
    atom.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Sumy Herald live</title>'
        '<id>tag:sumyherald.example,2022:live</id><link href="https://sumyherald.example/live"/>'
        '<entry><title>Map of the shelling</title><id>tag:sumyherald.example,2022:live/map</id>'
        '<link href="https://sumyherald.example/live/map"/><published>2022-03-05T15:00:00+02:00</published>'
        '<content type="html" xml:base="https://media.sumyherald.example/maps/">&lt;p&gt;See &lt;a href="sumy.png"&gt;the map&lt;/a&gt;.&lt;/p&gt;</content>'
        "</entry></feed>",
        "utf-8",
    )
    result = run_import(project, atom)
    assert result.code == 0, result.err
    assert entry(project, "2022/03/05/map.md")[1] == "See [the map](https://media.sumyherald.example/maps/sumy.png)."


def test_an_rss_time_given_by_a_zone_s_name_keeps_its_offset_or_is_skipped(project: Project, tmp_path: Path) -> None:
    feed = rss(tmp_path, "".join(
        f'<item><title>{title}</title><guid isPermaLink="false">{title.lower()}</guid><pubDate>{when}</pubDate>'
        f"<description>{title}.</description></item>"
        for title, when in (("Late", "Sat, 05 Mar 2022 23:30:00 EET"), ("Moscow", "Sat, 05 Mar 2022 10:15:00 MSK"),
                            ("Unknown", "Sat, 05 Mar 2022 10:15:00 IST"))
    ))  # fmt: skip
    result = run_import(project, feed)
    published = {entry(project, name)[0]["title"]: entry(project, name)[0]["published"] for name in entry_files(project)}
    assert published == {"Late": "2022-03-05T23:30:00+02:00", "Moscow": "2022-03-05T09:15:00+02:00"}  # the same moments, in Kyiv's time
    assert (
        f"{feed}: skipped item 3: its date has the time zone 'IST', which this importer does not know, so the moment is "
        "unknown: 'Sat, 05 Mar 2022 10:15:00 IST' (an offset, like +0200, would say it)"
    ) in result.err.splitlines()


def test_a_saved_page_without_a_declared_encoding_is_read_as_utf_8(project: Project, tmp_path: Path) -> None:
    page = tmp_path / "live.html"
    page.write_bytes(
        '<html><head><link rel="canonical" href="https://ua.example/live"><script type="application/ld+json">'
        '{"@context": "https://schema.org", "@type": "LiveBlogPosting", "url": "https://ua.example/live", "liveBlogUpdate": ['
        '{"@type": "BlogPosting", "headline": "Обстріл Харкова — «підсумки»", "datePublished": "2022-03-05T10:00:00+02:00",'
        ' "url": "https://ua.example/live#u1", "articleBody": "У Харкові чути вибухи."}]}</script></head><body>'
        '<p>Без оголошеного кодування.</p><iframe src="https://www.youtube-nocookie.com/embed/abc" title="Кадри"></iframe>'
        "</body></html>".encode("utf-8")
    )
    run_import(project, page)
    ((front, body),) = [entry(project, name) for name in entry_files(project)]
    assert (front["title"], body.strip()) == ("Обстріл Харкова — «підсумки»", "У Харкові чути вибухи.")


def test_a_graph_whose_posting_refers_to_its_updates_by_id_imports_them(project: Project, tmp_path: Path) -> None:
    """As Yoast and other plugins write JSON-LD: each node once in @graph, referred to by its @id."""
    page = tmp_path / "live.html"
    graph = [
        {"@type": "Organization", "@id": "https://b.example/#org", "name": "B Daily"},
        {"@type": "LiveBlogPosting", "@id": "https://b.example/live#blog", "url": "https://b.example/live",
         "publisher": {"@id": "https://b.example/#org"},
         "liveBlogUpdate": [{"@id": "https://b.example/live#u1"}, {"@id": "https://b.example/live#u2"}]},
        *({"@type": "BlogPosting", "@id": f"https://b.example/live#u{n}", "url": f"https://b.example/live#u{n}", "headline": title,
           "datePublished": f"2022-03-05T1{n}:00:00+02:00", "articleBody": f"{title}."} for n, title in ((1, "Sirens"), (2, "Curfew"))),
    ]  # fmt: skip
    page.write_text(f'<html><head><script type="application/ld+json">{json.dumps({"@graph": graph})}</script></head></html>', "utf-8")
    result = run_import(project, page)
    assert f"{page}: html: 2 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped" in result.err.splitlines()
    fronts = [entry(project, name)[0] for name in entry_files(project)]
    assert sorted((front["title"], front["sources"][0]["name"]) for front in fronts) == [("Curfew", "B Daily"), ("Sirens", "B Daily")]


@pytest.mark.parametrize("together", [True, False])
def test_an_update_read_from_its_feed_and_its_page_is_one_entry_in_either_order(project: Project, tmp_path: Path, together: bool) -> None:
    """The feed knows the update by its guid, the page by its address: the address, the same in both, makes them one."""
    feed = rss(
        tmp_path,
        '<item><title>UN rights council hears Ukraine\'s charge of war crimes</title><guid isPermaLink="false">1240</guid>'
        "<link>https://news.example.com/live/ukraine-day-8#update-1240</link><pubDate>Thu, 03 Mar 2022 12:40:00 +0200</pubDate>"
        "<description>Ukraine told the council of war crimes.</description></item>",
        link="https://news.example.com/live/ukraine-day-8",
    )
    page = FIXTURES / "html" / "live-page.html"
    if together:
        run_import(project, feed, page)
    else:
        run_import(project, feed)
        run_import(project, page)
    titles = [entry(project, name)[0]["title"] for name in entry_files(project)]
    assert titles.count("UN rights council hears Ukraine's charge of war crimes") == 1


def test_an_entry_whose_feed_gives_only_its_change_time_keeps_its_publication_time(project: Project, tmp_path: Path) -> None:
    """Atom's <published> is optional: a feed may give only <updated>, the time of the last change."""

    def atom(updated: str, text: str) -> Path:
        feed = tmp_path / "live.atom"
        feed.write_text(
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Live</title><id>https://a.example/live</id>'
            f'<updated>{updated}</updated><entry><title>Convoy</title><id>https://a.example/live#c1</id>'
            f'<link href="https://a.example/live#c1"/><updated>{updated}</updated><content type="text">{text}</content></entry></feed>',
            "utf-8",
        )
        return feed

    run_import(project, atom("2022-03-05T20:00:00Z", "A convoy left."))
    run_import(project, atom("2022-03-05T23:10:00Z", "A convoy left Mariupol."))
    (name,) = entry_files(project)
    front, body = entry(project, name)
    assert (name, front["published"], front["updated"], body.strip()) == (
        "2022/03/05/update-c1.md", "2022-03-05T22:00:00+02:00", "2022-03-06T01:10:00+02:00", "A convoy left Mariupol."
    )  # fmt: skip


def test_a_liveblog_plugin_page_takes_each_body_from_the_element_its_anchor_names(project: Project) -> None:
    """Automattic's Liveblog wrote no body into its JSON-LD (``"articleBody": {"@type": "Text"}``), the first
    ten words as the headline, and ``#4101`` as the anchor of the element whose id is ``liveblog-entry-4101``."""
    page = PUBLISHED / "liveblog-plugin-page.html"
    result = run_import(project, page)
    assert result.code == 0, result.err
    assert result.err.splitlines()[0] == f"{page}: html: 2 new, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped"
    assert (project.content / "2022/03/03/update-4101.md").read_text("utf-8") == (
        "---\n"
        "title: Sirens sounded in Kharkiv again before dawn, the regional administration said\n"  # not the ten words cut with '…'
        "author: Live desk\n"
        "published: 2022-03-03T08:00:00+02:00\n"
        "cities: [Kharkiv]\n"
        "people: []\n"
        "sources:\n"
        "  - name: Oblast Tribune\n"
        "    url: https://tribune.example/2022/03/03/ukraine-live/#4101\n"
        "origin: https://tribune.example/2022/03/03/ukraine-live/#4101\n"
        "digest: source=c896c125e937abff text=41bd3dc51ea5e881\n"
        "---\n"
        "Sirens sounded in Kharkiv again before dawn, the regional administration said.\n"
        "\n"
        "Residents were told to go to shelters.\n"
    )
    trains, body = entry(project, "2022/03/03/update-4102.md")
    assert (trains["title"], trains["key"], trains["updated"]) == ("Trains leave Kyiv for Lviv every hour", True, "2022-03-03T09:30:00+02:00")
    assert body == "Trains leave Kyiv for Lviv every hour, the railway said. [Tickets](https://tribune.example/tags/evacuation) are not needed."


def test_an_anchor_that_several_ids_end_in_names_no_element(project: Project, tmp_path: Path) -> None:
    page = tmp_path / "live.html"
    page.write_text(
        (PUBLISHED / "liveblog-plugin-page.html").read_text("utf-8").replace('<header class="liveblog-meta">', '<header id="meta-4101" class="liveblog-meta">', 1),
        "utf-8",
    )  # fmt: skip
    result = run_import(project, page)
    assert f"{page}: skipped liveBlogUpdate[0]: its body holds no text" in result.err.splitlines()
    assert entry_files(project) == ["2022/03/03/update-4102.md"]


def test_an_update_given_the_pages_headline_gets_its_first_sentence_and_its_own_publisher(project: Project) -> None:
    """Some news CMSs (Quintype among them) give an update without a title the story's headline, and name
    the publisher on each update rather than on the LiveBlogPosting."""
    page = PUBLISHED / "story-headline-page.html"
    result = run_import(project, page)
    assert result.code == 0, result.err
    blog = "https://times.example/world/russia-ukraine-war-day-eight"
    assert (project.content / "2022/03/03/update-20220303t070000z.md").read_text("utf-8") == (
        "---\n"
        "title: The mayor of Mykolaiv said the city was calm overnight\n"
        "author: Anna Example\n"
        "published: 2022-03-03T09:00:00+02:00\n"
        "cities: []\n"
        "people: []\n"
        "sources:\n"
        "  - name: Example Times\n"
        f"    url: {blog}\n"
        f"origin: {blog}#update-20220303T070000Z\n"
        "digest: source=4eb7fc5efc6b5f00 text=5a91ad4521b1f55f\n"
        "---\n"
        "The mayor of Mykolaiv said the city was calm overnight. Schools stay closed.\n"
    )
    talks, _ = entry(project, "2022/03/03/update-20220303t080000z.md")
    assert talks["title"] == "Talks to resume on Monday"  # a headline of its own stays


def test_an_article_body_whose_markup_is_escaped_is_read_as_html(project: Project, tmp_path: Path) -> None:
    """Some CMSs escape every '<' and '>' of their JSON-LD (Quintype's writes ``&lt;p&gt;``), so the body
    is HTML once its character references are read; '&lt;p&gt;' named in prose, a tag never closed, stays text."""
    page = tmp_path / "live.html"
    written = (PUBLISHED / "story-headline-page.html").read_text("utf-8")
    written = written.replace(
        "The mayor of Mykolaiv said the city was calm overnight. Schools stay closed.",
        "&lt;p&gt;The mayor of Mykolaiv said the city was calm overnight.&lt;/p&gt;&lt;p&gt;Schools stay &lt;b&gt;closed&lt;/b&gt;.&lt;/p&gt;",
    ).replace("Ceasefire talks will resume on Monday, a negotiator said.", "Each &lt;p&gt; starts a paragraph.")
    page.write_text(written, "utf-8")
    result = run_import(project, page)
    assert result.code == 0, result.err
    mayor, body = entry(project, "2022/03/03/update-20220303t070000z.md")
    assert mayor["title"] == "The mayor of Mykolaiv said the city was calm overnight"
    assert body == "The mayor of Mykolaiv said the city was calm overnight.\n\nSchools stay **closed**."
    _, body = entry(project, "2022/03/03/update-20220303t080000z.md")
    assert body == "Each &lt;p> starts a paragraph."


def test_a_key_event_pinned_above_the_stream_is_one_entry_with_the_streams_address(project: Project, tmp_path: Path) -> None:
    posting = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "url": "https://news.example/live", "liveBlogUpdate": [
        {"url": f"https://news.example/live#{anchor}", "headline": "Kherson's mayor says troops are in the city",
         "datePublished": "2022-03-03T09:40:00+02:00", "articleBody": "Russian soldiers reached the council building in Kherson."}
        for anchor in ("pinned-post", "post-3")
    ]}  # fmt: skip
    page = tmp_path / "live.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><script type="application/ld+json">{json.dumps(posting)}</script></head><body>'
        '<div id="pinned-post" class="post pinned"></div><div id="post-3" class="post"></div></body></html>',
        "utf-8",
    )
    result = run_import(project, page)
    assert result.code == 0, result.err
    assert entry_files(project) == ["2022/03/03/post-3.md"]
    assert entry(project, "2022/03/03/post-3.md")[0]["key"] is True  # pinned: a key event
    assert (
        f"{page}: skipped liveBlogUpdate[0]: the same update as liveBlogUpdate[1] (the same time and text: a pinned or "
        "repeated copy); liveBlogUpdate[1] is kept"
    ) in result.err.splitlines()
    assert project.check("--strict").code == 0


def test_a_json_feed_item_whose_id_is_its_address_is_credited_to_that_address(project: Project, tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Live", "home_page_url": "https://live.example.com/live/",
        "items": [{"id": "https://live.example.com/live/#post-1550", "content_text": "Sirens sounded in Kyiv.",
                   "date_published": "2022-03-05T10:00:00+02:00"}]}), "utf-8")  # fmt: skip
    result = run_import(project, feed)
    assert result.code == 0, result.err
    sirens, _ = entry(project, "2022/03/05/post-1550.md")
    assert sirens["sources"] == [{"name": "Live", "url": "https://live.example.com/live/#post-1550"}]


def test_categories_and_tags_of_feed_items_become_tags_and_a_key_event_category_marks_one(project: Project, tmp_path: Path) -> None:
    feed = rss(tmp_path, (
        "<item><guid>https://x.example/live#1</guid><title>Sirens</title><pubDate>Sat, 05 Mar 2022 10:00:00 +0200</pubDate>"
        "<category>Air Defence</category><category>Uncategorized</category><category>air defence</category>"
        "<category>Key event</category><description>Sirens sounded.</description></item>"
    ))  # fmt: skip
    atom = tmp_path / "live.atom"
    atom.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Live</title><id>https://y.example/live</id>'
        '<updated>2022-03-05T11:00:00+02:00</updated><entry><id>https://y.example/live#2</id><title>All clear</title>'
        '<updated>2022-03-05T11:00:00+02:00</updated><category term="sirens" label="Sirens"/><content type="html">&lt;p&gt;All clear.&lt;/p&gt;</content>'
        "</entry></feed>",
        "utf-8",
    )
    json_feed = tmp_path / "feed.json"
    json_feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Live", "home_page_url": "https://z.example/live",
        "items": [{"id": "https://z.example/live#3", "content_text": "Power is back.", "date_published": "2022-03-05T12:00:00+02:00",
                   "tags": ["power-grid", "Kyiv Region"]}]}), "utf-8")  # fmt: skip
    result = run_import(project, feed, atom, json_feed)
    assert result.code == 0, result.err
    sirens, _ = entry(project, "2022/03/05/update-1.md")
    assert (sirens["tags"], sirens["key"]) == (["air-defence"], True)
    assert entry(project, "2022/03/05/update-2.md")[0]["tags"] == ["sirens"]
    assert entry(project, "2022/03/05/update-3.md")[0]["tags"] == ["power-grid", "kyiv-region"]
    assert project.check("--strict").code == 0
