"""What an imported update reads like: Markdown a contributor could have written, nothing that runs.

Bodies pass the sanitizer's allowlist without `check` having to remove anything;
images and embeds become links with their caption and credit; a headline is made
from the first sentence where there is none; times are written in the site's
zone, and the entry lands on its day there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Project, article
from generator.html_audit import audit
from generator.importing.html_body import BodyConverter, first_sentence
from generator.markup import MarkdownRenderer
from import_support import FIXTURES, entry, entry_files, newsroom, run_import

HOSTILE = FIXTURES / "hostile" / "feed.json"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return newsroom(tmp_path)


def feed_of(tmp_path: Path, *items: dict) -> Path:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Test", "feed_url": "https://feed.example/feed.json",
        "items": list(items),
    }), "utf-8")  # fmt: skip
    return path


def test_hostile_markup_leaves_text_and_links_and_nothing_that_runs(project: Project) -> None:
    result = run_import(project, HOSTILE)
    assert result.code == 0, result.err
    meta, body = entry(project, "2022/03/03/update-1.md")
    # A JSON Feed title is plain text: kept as written, which the site shows as text and never runs.
    assert meta["title"] == "<b>Bold</b> headline with <script>alert('title')</script>"
    for gone in ("<script", "alert(", "onerror", "onclick", "onload", "javascript:alert('link')", "data:text", "<iframe",
                 "<svg", "<form", "password", "<style", "color:red", "<base", "refresh", "<!--", "<object", "background:"):  # fmt: skip
        assert gone not in body.replace("alert(7)", "").replace("alert(8)", ""), gone
    assert "Reports from Kyiv." in body
    assert "a script link and an encoded one and a data link." in body  # links without a safe address: their text
    assert "[Embedded content: evil.example](https://evil.example/frame)" in body  # an embed: a link to it
    assert audit(body) == []  # `check` finds nothing it would remove
    check = project.check("--strict")
    assert check.code == 0 and check.out == ""


def test_text_that_looks_like_markup_is_shown_as_text(project: Project) -> None:
    run_import(project, HOSTILE)
    built = project.build()
    assert built.code == 0, built.err
    page = article(project.page("2022/03/03/"))
    text = " ".join(page.text_content().split())
    assert "Text that looks like markup: <script>alert(7)</script>, [a link](javascript:alert(8)), &lt;b&gt; and # not a heading." in text
    assert "<b>Bold</b> headline with <script>alert('title')</script>" in text
    assert page.xpath(".//script[not(@type='application/ld+json')] | .//iframe | .//object | .//svg | .//form | .//style | .//*[@onerror or @onclick or @onload]") == []
    assert [a.get("href") for a in page.xpath(".//a[starts-with(@href, 'javascript') or starts-with(@href, 'data')]")] == []


@pytest.mark.parametrize(
    "html",
    [
        "<p>1986. The year the reactor burned.</p>",
        "<p># 5 is not a heading</p><p>- nor is this a list</p><p>+ nor this</p><p>&gt; nor a quote</p>",
        "<p>snake_case and 2*3*4 and `ticks` and ~~strike~~ and [brackets](x) and \\backslash</p>",
        "<p>&amp;amp; &amp;#169; &lt;b&gt;bold?&lt;/b&gt; &lt;!-- comment --&gt; &lt;https://example.org&gt;</p>",
        "<p>===</p><p>---</p><p>1) first</p>",
        "<table><tr><td>a | b</td><td>c</td></tr></table>",
    ],
)
def test_a_reader_sees_the_sources_text_whatever_it_holds(html: str) -> None:
    converter = BodyConverter()
    markdown = converter.markdown(html)
    rendered = MarkdownRenderer().render(markdown)
    from bs4 import BeautifulSoup

    assert "".join(BeautifulSoup(rendered, "lxml").get_text().split()) == "".join(BeautifulSoup(html, "lxml").get_text().split())
    assert audit(markdown) == []


def test_images_and_embeds_become_links_with_their_caption_and_credit(project: Project) -> None:
    from import_support import GUARDIAN

    run_import(project, GUARDIAN)
    _, body = entry(project, "2022/03/03/block-62205c2e8f08d8a3e9a0f5c3.md")
    assert body == (
        "Explosions were heard over Kyiv overnight. The mayor, Vitali Klitschko, said some of them were air defences at work.\n"
        "\n"
        "[Image: Smoke rises over the capital after a strike.](https://media.guim.co.uk/a1b2c3/0_0_5000_3000/1000.jpg)"
        " (Photograph: Emilio Morenatti/AP)\n"
        "\n"
        "> Stay in shelters until the all-clear.\n"
        ">\n"
        "> — Kyiv City (@KyivCity) [March 3, 2022](https://twitter.com/KyivCity/status/1499290000000000000)"
    )


def test_videos_and_bare_images_become_links_too(project: Project, tmp_path: Path) -> None:
    source = feed_of(tmp_path, {
        "id": "video-1", "date_published": "2022-03-03T10:00:00+02:00", "title": "Address",
        "content_html": '<p>Watch:</p><iframe src="https://www.youtube.com/embed/abc" title="The president\'s address"></iframe>'
                        '<video controls><source src="/media/clip.mp4"></video><p>Map: <img src="/img/map.png" alt="Front line"></p>',
    })  # fmt: skip
    run_import(project, source)
    _, body = entry(project, "2022/03/03/video-1.md")
    assert body == (
        "Watch:\n\n[Video: The president's address](https://www.youtube.com/embed/abc)\n\n"
        "[Video: feed.example](https://feed.example/media/clip.mp4)\n\n"
        "Map: [Image: Front line](https://feed.example/img/map.png)"
    )


def test_a_missing_headline_is_the_first_sentence_of_the_body() -> None:
    assert first_sentence("U.S. President Joe Biden said sanctions would bite. He said more.") == (
        "U.S. President Joe Biden said sanctions would bite"
    )
    assert first_sentence("Is Kyiv safe? Officials say yes.") == "Is Kyiv safe?"
    long = "The mayor said " + "very " * 40 + "much."
    assert first_sentence(long).endswith("very…") and len(first_sentence(long)) <= 120
    # A sentence quoted inside another does not end it, and a closing quote stays with its words.
    assert first_sentence("Зеленський звернувся до європейців: «Прокиньтеся! Це стосується всіх». Далі він говорив про санкції.") == (
        "Зеленський звернувся до європейців: «Прокиньтеся! Це стосується всіх»"
    )
    assert first_sentence("The mayor told residents “stay in the shelters.” Sirens went on.") == "The mayor told residents “stay in the shelters”"


def test_an_update_with_neither_headline_nor_text_is_skipped(project: Project, tmp_path: Path) -> None:
    source = feed_of(tmp_path, {"id": "empty", "date_published": "2022-03-03T10:00:00+02:00", "content_html": "<p> </p>"})
    result = run_import(project, source)
    assert f"{source}: skipped items[0]: no headline and no text" in result.err.splitlines()
    assert entry_files(project) == []


def test_times_are_written_in_the_sites_zone_and_entries_land_on_their_day_there(project: Project, tmp_path: Path) -> None:
    source = feed_of(
        tmp_path,
        {"id": "late", "title": "Late", "content_text": "Late.", "date_published": "2022-03-03T22:30:00Z"},
        {"id": "new-york", "title": "New York", "content_text": "Evening.", "date_published": "2022-03-03T18:45:00-05:00"},
    )
    run_import(project, source)
    # 22:30 UTC is 00:30 in Kyiv: the next day there.
    assert entry_files(project) == ["2022/03/04/late.md", "2022/03/04/new-york.md"]
    assert entry(project, "2022/03/04/late.md")[0]["published"] == "2022-03-04T00:30:00+02:00"
    assert entry(project, "2022/03/04/new-york.md")[0]["published"] == "2022-03-04T01:45:00+02:00"
    assert project.check("--strict").code == 0


def test_titles_that_yaml_would_misread_are_quoted(project: Project, tmp_path: Path) -> None:
    titles = ["yes", "12:30", "Zelenskiy: we stay", "#1 priority", "- a dash", "'quoted'", "null", "A \"quote\" inside", "Trailing #hash"]
    source = feed_of(tmp_path, *(
        {"id": f"title-{n}", "title": title, "content_text": "Body.", "date_published": f"2022-03-03T1{n}:00:00+02:00"}
        for n, title in enumerate(titles)
    ))  # fmt: skip
    result = run_import(project, source)
    assert result.code == 0, result.err
    assert sorted(entry(project, f"2022/03/03/title-{n}.md")[0]["title"] for n in range(len(titles))) == sorted(titles)


def test_a_time_in_an_offset_of_the_sites_other_season_is_written_as_the_same_moment(project: Project, tmp_path: Path) -> None:
    # +03:00 is Kyiv's summer time: in March, `check` would take it for a daylight-saving slip.
    source = feed_of(tmp_path, {"id": "noon", "title": "Noon", "content_text": "Noon.", "date_published": "2022-03-05T12:00:00+03:00"})
    run_import(project, source)
    assert entry(project, "2022/03/05/noon.md")[0]["published"] == "2022-03-05T11:00:00+02:00"
    check = project.check("--strict")
    assert check.code == 0, check.out


def test_text_that_githubs_preview_reads_as_footnotes_alerts_or_math_shows_as_written(project: Project, tmp_path: Path) -> None:
    source = feed_of(
        tmp_path,
        {"id": "prices", "title": "Prices", "date_published": "2022-03-03T10:00:00+02:00",
         "content_text": "The report cites [^1] as a source. Prices rose by $$ amounts."},
        {"id": "curfew", "title": "Curfew", "date_published": "2022-03-03T10:05:00+02:00",
         "content_html": '<blockquote><p>[!NOTE] Curfew from 8pm, <a href="https://kyiv.example/">the city</a> said; $`x` too.</p></blockquote>'},
    )  # fmt: skip
    result = run_import(project, source)
    assert result.code == 0 and "warning" not in result.err, result.err
    check = project.check("--strict")
    assert check.code == 0, check.out
    built = project.build()
    assert built.code == 0, built.err
    text = " ".join(article(project.page("2022/03/03/")).text_content().split())
    assert "The report cites [^1] as a source. Prices rose by $$ amounts." in text
    assert "[!NOTE] Curfew from 8pm, the city said; $`x` too." in text


@pytest.mark.parametrize(
    "html, markdown",
    [
        ('<p>The mayor wrote on Telegram:</p><script async src="https://telegram.org/js/telegram-widget.js?22" '
         'data-telegram-post="vitaliy_klitschko/1234"></script>',
         "The mayor wrote on Telegram:\n\n[Embedded post](https://t.me/vitaliy_klitschko/1234)\n"),
        ('<picture><source srcset="/img/queue.webp"><source srcset="/img/queue.jpg 1x, /img/queue@2x.jpg 2x">'
         '<img alt="Queue"></picture>', "[Image: Queue](https://x.example/img/queue.webp)\n"),
        ('<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Footage"></iframe>',
         "[Video: Footage](https://www.youtube-nocookie.com/embed/abc)\n"),
    ],
    ids=["telegram widget", "picture sources", "youtube without cookies"],
)  # fmt: skip
def test_an_embed_given_only_by_its_widget_or_sources_becomes_a_link(html: str, markdown: str) -> None:
    assert BodyConverter().convert(html, "https://x.example/live")[0] == markdown


def live_page_with_element(tmp_path: Path, element_body: str, article_body: str) -> Path:
    """A JSON-LD live page whose one update is also in the page, as the element #block-1 with ``element_body``."""
    posting = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "url": "https://news.example/live", "liveBlogUpdate": [
        {"url": "https://news.example/live#block-1", "headline": "Toll rises in Kharkiv", "datePublished": "2022-03-03T08:05:00+02:00",
         "articleBody": article_body},
    ]}  # fmt: skip
    page = tmp_path / "live.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><script type="application/ld+json">{json.dumps(posting)}</script></head><body>'
        '<article id="block-1"><header><time datetime="2022-03-03T06:05:00Z">06.05 GMT</time><h2>Toll rises in Kharkiv</h2></header>'
        f'{element_body}<p class="byline">Maria Kovalenko</p></article></body></html>',
        "utf-8",
    )
    return page


def test_an_updates_element_keeps_its_links_and_lists_whatever_its_body_is_classed(project: Project, tmp_path: Path) -> None:
    page = live_page_with_element(
        tmp_path,
        '<div class="block-elements"><p>At least 34 people were killed in Kharkiv, the governor '
        '<a href="https://t.me/synegubov/2741">said on Telegram</a>.</p><ul><li>285 injured</li></ul></div>',
        "At least 34 people were killed in Kharkiv, the governor said on Telegram. 285 injured",
    )
    result = run_import(project, page)
    assert result.code == 0, result.err
    assert entry(project, "2022/03/03/block-1.md")[1] == (
        "At least 34 people were killed in Kharkiv, the governor [said on Telegram](https://t.me/synegubov/2741).\n\n- 285 injured"
    )


def test_an_element_that_holds_other_words_than_the_article_body_gives_way_to_it(project: Project, tmp_path: Path) -> None:
    page = live_page_with_element(
        tmp_path, "<p>Read more of our coverage below.</p>", "At least 34 people were killed in Kharkiv, the governor said."
    )
    run_import(project, page)
    assert entry(project, "2022/03/03/block-1.md")[1] == "At least 34 people were killed in Kharkiv, the governor said."
