"""Hostile bodies: the allowlist sanitizer keeps ordinary formatting and removes everything else."""

from __future__ import annotations

import json

import re

import feedparser
import lxml.html
import pytest

from conftest import Project, article, make_project
from generator.markup import MarkdownRenderer

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "object": '<object data="x.swf"></object>',
    "style": "<style>body{display:none}</style>",
    "onerror": '<img src="x.png" onerror="alert(1)">',
    "javascript-link": "[click](javascript:alert(1))",
    "cased-scheme": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "entity-scheme": '<a href="&#106;avascript:alert(1)">x</a>',
    "tab-scheme": '<a href="java\tscript:alert(1)">x</a>',
    "data-url": '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    "svg": "<svg><script>alert(1)</script></svg>",
    "form": '<form action="https://evil.example/"><input name="q"></form>',
    "attr-list": "A paragraph{: onclick=\"alert(1)\" }",
}


def assert_harmless(html: str) -> None:
    """No active element, no event attribute, no URL outside http(s) and relative ones."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    assert not root.xpath(".//script | .//iframe | .//object | .//style | .//svg | .//form | .//input"), html
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), html
            if name in {"href", "src", "cite"}:
                # As a browser reads it: tabs and newlines removed, then a scheme is letters up to ':'.
                scheme = re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):", re.sub(r"[\t\n\r]", "", value))
                assert scheme is None or scheme.group(1).lower() in {"http", "https", "mailto"}, html


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_renderer_removes(name: str) -> None:
    assert_harmless(MarkdownRenderer().render(HOSTILE[name]))


def test_ordinary_formatting_survives() -> None:
    html = MarkdownRenderer().render("**bold** *it* [link](https://example.org/) `code`\n\n> quote\n\n- a\n- b")
    for kept in ("<strong>bold</strong>", "<em>it</em>", 'href="https://example.org/"', "<code>code</code>", "<blockquote>", "<li>a</li>"):
        assert kept in html


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    p = make_project(tmp_path_factory.mktemp("hostile"))
    for n, name in enumerate(sorted(HOSTILE)):
        p.entry(f"2022/03/03/{name}.md", f"title: Hostile {name}\npublished: 2022-03-03T1{n % 10}:0{n // 10}:00+02:00", HOSTILE[name])
    assert p.build().code == 0
    return p


def test_pages_and_feeds_carry_none_of_it(hostile_site: Project) -> None:
    day = article(hostile_site.page("2022/03/03/"))
    for body in day.xpath(".//div[@class='brf-entry__body']"):
        assert_harmless(lxml.html.tostring(body, encoding="unicode"))
    for item in feedparser.parse((hostile_site.site / "feed.xml").read_bytes()).entries:
        if item.summary.strip():
            assert_harmless(item.summary)


def test_check_names_the_lines_the_sanitizer_will_change(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import run_cli

    monkeypatch.chdir(project.root)
    project.write(
        "content/2022/03/03/h.md",
        "---\ntitle: Hostile\npublished: 2022-03-03T10:00:00+02:00\n---\n"
        "Fine text with <b>bold</b>.\n"
        "<script>alert(1)</script>\n"
        'A [link](javascript:alert(1)) and <a href="JaVaScRiPt:x" onclick="y">z</a>.\n\n'
        "```\n<script>in a code block is text</script>\n```\n\n"
        'And `<iframe>` in a code span, <img src="x.png" onerror="alert(1)">.\n',
    )
    result = run_cli("check", "--content", "content", "--config", "site_config")
    p = "content/2022/03/03/h.md"
    assert result.lines == [
        f"{p}:6: warning: HTML <script> is not allowed and will be removed with its content: delete it, or write \\<script for <script to show it as text",
        f"{p}:7: warning: attribute 'onclick' on <a> is not allowed and will be removed",
        f"{p}:7: warning: link with the scheme 'JaVaScRiPt:' will be removed: only http, https and mailto links are allowed",
        f"{p}:7: warning: link with the scheme 'javascript:' will be removed: only http, https and mailto links are allowed",
        f"{p}:13: warning: attribute 'onerror' on <img> is not allowed and will be removed",
        f"{p}:13: warning: the picture 'x.png' leads to no file: content/2022/03/03/x.png does not exist",
    ]
    assert result.code == 0
    assert run_cli("check", "--content", "content", "--config", "site_config", "--strict").code == 1


@pytest.mark.parametrize(
    "body",
    [
        "Text.\n\n~~~\n<script>in a tilde fence is text</script>\n~~~\n",
        "Text with `<iframe>` in a code span only.\n",
        "Text with ``<b onclick=x>`` in a double code span.\n",
        "Text.\n\n````\n<span>in a fence closed by a longer one</span>\n`````\n",
        'A [link](https://www.rferl.org/ "Title <em>") and ![a map](map.png "Title with <angle>").\n',
        'A [reference][r].\n\n[r]: https://www.rferl.org/ "Ref <span>title</span>"\n',
        "Text.\n\n    <div>in an indented code block is text</div>\n",
        "- Item.\n\n      <span>in an item's indented code block</span>\n",
    ],
)
def test_code_and_titles_are_never_audited_as_html(body: str) -> None:
    from generator.html_audit import audit

    assert audit(body) == []
    assert audit(body + "<script>x</script>\n") != []  # the same body, with HTML outside the code


def test_pasted_embed_code_is_told_to_link_the_post_and_a_passages_language_is_kept() -> None:
    from generator.html_audit import audit
    from generator.markup import MarkdownRenderer

    tweet = (
        '<blockquote><p lang="uk">Харків тримається.</p></blockquote>\n'
        '<script async src="https://platform.twitter.com/widgets.js"></script>\n\n'
        '<iframe src="https://www.youtube.com/embed/x"></iframe>\n'
    )
    link_it = ("the site shows no embedded posts or players; link the post or the video instead, as "
               "[the post](https://...), and quote its words if they matter")  # fmt: skip
    assert audit(tweet) == [
        (2, f"HTML <script> is not allowed and will be removed with its content: {link_it}"),
        (4, f"HTML <iframe> is not allowed and will be removed with its content: {link_it}"),
    ]
    assert '<p lang="uk">Харків тримається.</p>' in MarkdownRenderer().render(tweet)  # as the check says: kept


def test_a_name_with_markup_is_refused_where_it_is_written(project: Project) -> None:
    # A name is a search filter's label too, which the search box writes as HTML: a name holding
    # a tag, written with YAML escapes that no reviewer sees as one, would run in every reader's browser.
    project.write("site_config/people.yml", "- name: \"Eve\\u003cimg src=x onerror=alert(1)\\u003e\"\n")
    project.entry("2022/03/03/eve.md", "title: Eve speaks\npublished: 2022-03-03T10:00:00+02:00\ncities: ['Irpin <b>']")
    result = project.build()
    assert result.code == 1
    told = "must be a name: not empty, and without < or >, which would be read as markup"
    assert sorted(line.replace(str(project.root) + "/", "") for line in result.lines) == [
        f"content/2022/03/03/eve.md:4: error: city 1 {told}: 'Irpin <b>'",
        f"site_config/people.yml:1: error: 'name' of item 1 of the list {told}: 'Eve<img src=x onerror=alert(1)>'",
    ]


def test_a_name_with_quotes_stays_text_in_the_feed_link_of_its_page(project: Project) -> None:
    name = 'Eve" onmouseover="alert(1)'
    project.write("site_config/people.yml", f"- name: '{name}'\n")
    project.entry("2022/03/03/eve.md", f"title: Eve speaks\npublished: 2022-03-03T10:00:00+02:00\npeople: ['{name}']")
    assert project.build().code == 0
    (path,) = (project.site / "people").glob("*/index.html")
    page = lxml.html.fromstring(path.read_bytes())
    assert not page.xpath("//*[@onmouseover]")
    (structured,) = page.xpath("//script[@type='application/ld+json']/text()")  # the name as JSON text
    assert json.loads(structured)["about"]["name"] == name
    titles = page.xpath("//head/link[@rel='alternate'][@href='feed.xml']/@title")
    assert titles == [f"{name} (RSS)"]


def test_a_web_page_or_script_in_the_content_folder_is_refused_never_published(project: Project) -> None:
    project.entry("2022/03/03/a.md", "title: A\npublished: 2022-03-03T10:00:00+02:00", "![A photo](photo.png)")
    for name in ("evil.html", "x.js", "map.svg"):
        project.write(f"content/2022/03/03/{name}", "<script>alert(1)</script>")
    project.write("content/2022/03/03/photo.png", b"\x89PNG\r\n\x1a\n")
    why = (
        "error: a web page, script or SVG drawing is not published from the content folder: it would run at the "
        "site's address as it is, unchecked; an update is a .md file, and a picture a PNG, JPEG, GIF or WebP "
        "(export an SVG drawing as PNG)"
    )
    result = project.check()
    assert (result.code, result.lines) == (1, [f"{project.content}/2022/03/03/{name}: {why}" for name in ("evil.html", "map.svg", "x.js")])
    assert project.build().code == 1
    assert not project.site.exists()
