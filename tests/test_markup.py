"""Entry bodies render as GitHub renders them in the pull request, then pass the allowlist."""

from __future__ import annotations

import json
from html import unescape

import nh3
import pytest
from hypothesis import given
from hypothesis import strategies as st

from urllib.parse import urljoin

from conftest import Project
from generator.markup import ALLOWLIST, MarkdownRenderer, absolutize, plain_text, text_lines

RENDER = MarkdownRenderer().render


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        # An entry's title is the <h2>: body headings start at <h3>, and stop at <h6>.
        ("# Casualties\n\n## Sources\n\n##### Deep", "<h3>Casualties</h3>\n<h4>Sources</h4>\n<h6>Deep</h6>"),
        ("A list right after a line:\n- one\n- two", "<p>A list right after a line:</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("Talks ~~cancelled~~ postponed.", "<p>Talks <del>cancelled</del> postponed.</p>"),
        ("Read https://example.org/report.", '<p>Read <a href="https://example.org/report" rel="noopener noreferrer">https://example.org/report</a>.</p>'),
        ("| City | Shelters |\n|---|--:|\n| Kyiv | 4 |", '<table>\n<thead>\n<tr>\n<th>City</th>\n<th align="right">Shelters</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>Kyiv</td>\n<td align="right">4</td>\n</tr>\n</tbody>\n</table>'),
        ("```sh\nrm -rf <x>\n```", "<pre><code>rm -rf &lt;x&gt;\n</code></pre>"),
        ("Raw <abbr title=\"Organization for Security\">OSCE</abbr> stays.", '<p>Raw <abbr title="Organization for Security">OSCE</abbr> stays.</p>'),
        ('"Quoted" & <b>bold</b>', "<p>\"Quoted\" &amp; <b>bold</b></p>"),
        # A line starting with a number and a dot is a numbered list from that number, as on GitHub.
        ("2022. The city was shelled.", '<ol start="2022">\n<li>The city was shelled.</li>\n</ol>'),
        ("Casualties:\n\n3. Kyiv\n4. Kharkiv", '<p>Casualties:</p>\n<ol start="3">\n<li>Kyiv</li>\n<li>Kharkiv</li>\n</ol>'),
    ],
    ids=["headings", "tight-list", "strikethrough", "bare-url", "table", "fenced-code", "raw-html", "escaping",
         "year-at-line-start", "list-from-3"],  # fmt: skip
)
def test_body_renders_like_github(markdown: str, html: str) -> None:
    assert RENDER(markdown) == html


def test_raw_headings_are_shifted_too_and_the_h1_h2_levels_never_appear() -> None:
    # Raw <h1> would compete with the page's own title; the allowlist has no h1 or h2.
    assert "<h1>" not in RENDER("<h1>Raw</h1>") and "<h2>" not in RENDER("# A\n\n<h2>B</h2>")


def test_disallowed_raw_html_goes_with_its_content_as_check_says() -> None:
    # `check` warns "HTML <script> is not allowed and will be removed with its content: ...".
    html = RENDER('Hi <script>alert(1)</script> there.\n\n<iframe src="https://x.example/"></iframe>\n\n<style>p{}</style>')
    assert html == "<p>Hi  there.</p>"


# Markdown with raw HTML, quotes, entities and angle brackets in text and in attribute values.
BODY_PIECES = st.sampled_from([
    "text", " ", "\n", "\n\n", "**b**", "`c<d>`", "[l](https://x.example/?a=1&b=2 \"t>i\")", "<b>", "</b>",
    '<abbr title="a > b">', "</abbr>", "&amp;", "&nbsp;", "&lt;", "<", ">", "\"", "'", "- item", "# H",
    '<img src="p.png" alt="x > y">', "<br>", "[up](../2022/03/02/#a)", "![p](/pics/a b.png)", "[m](mailto:a@b.example)",
    "<a href=\"//cdn.example/x?a=1&b='2'\">p</a>", '<q cite="notes.html">q</q>', "<a href=\"&#x20;x\">s</a>", "\u00a0", "| a | b |\n|---|---|\n| 1 | 2 |", "<!-- note -->", "<script>s</script>",
])


@given(st.lists(BODY_PIECES, max_size=30).map("".join))
def test_plain_text_is_the_text_a_sanitizer_allowing_no_tag_leaves(markdown: str) -> None:
    html = RENDER(markdown)
    assert "".join(plain_text(html).split()) == "".join(unescape(nh3.clean(html, tags=set())).split())


def test_a_footnote_reads_in_the_text_as_in_print() -> None:
    html = RENDER("Twelve were killed.[^1] More later.[^note]\n\n[^1]: Regional officials.\n[^note]: A second one.\n")
    assert text_lines(html) == "Twelve were killed.[1] More later.[2]\n[1] Regional officials.\n[2] A second one."
    assert "↩" not in plain_text(html)


def test_search_engines_read_the_words_a_line_break_keeps_apart(project: Project) -> None:
    project.entry("2022/03/03/breaks.md", "title: Breaks\npublished: 2022-03-03T10:00:00+02:00",
                  "Curfew from 20:00<br>Bridges closed.<p>Metro open</p><p>as shelters &amp; more.</p>")  # fmt: skip
    assert project.build().code == 0
    (script,) = project.page("2022/03/03/").xpath("//script[@type='application/ld+json']/text()")
    (update,) = json.loads(script)["liveBlogUpdate"]
    assert update["articleBody"] == "Curfew from 20:00 Bridges closed. Metro open as shelters & more."


def _absolutize_by_sanitizing(html: str, base_url: str) -> str:
    """The sanitizer again, with a filter joining each URL to ``base_url``."""

    def joined(tag: str, name: str, value: str) -> str:
        return urljoin(base_url, value) if name in {"href", "src", "cite"} else value

    return nh3.clean(html, attribute_filter=joined, **ALLOWLIST).strip()


@given(st.lists(BODY_PIECES, max_size=30).map("".join))
def test_absolutize_rewrites_the_urls_as_sanitizing_with_a_url_filter_would(markdown: str) -> None:
    html, base = RENDER(markdown), "https://news.example/archive/2022/03/03/#kyiv"
    assert absolutize(html, base) == _absolutize_by_sanitizing(html, base)
