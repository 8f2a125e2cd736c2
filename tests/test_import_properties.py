"""Property tests: whatever a source holds, the import never crashes and never changes the words.

Random bytes in any format's clothing end as an error of their source or as entries
that pass the check; random titles are written so that YAML reads them back; random
text in HTML reads the same once converted to Markdown and rendered.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import SETTINGS, make_project, run_cli
from generator import yamlsafe
from generator.importing.entry_files import flow_list, scalar
from generator.importing.html_body import BodyConverter
from generator.markup import MarkdownRenderer

TEXT = st.characters(codec="utf-8", max_codepoint=0xFFFF, exclude_categories=("Cs", "Cc"))
PREFIXES = [b"", b"{", b'{"version": "https://jsonfeed.org/version/1.1", "items": [', b"<rss><channel><item>",
            b'<html><script type="application/ld+json">{"@type": "LiveBlogPosting", "liveBlogUpdate": [',
            b'{"response": {"content": {"blocks": {"body": [', b'{"entries": [{"id": 1, "render": ']  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PREFIXES), st.binary(max_size=300), st.sampled_from([".json", ".html", ".xml"]))
def test_random_sources_never_crash_the_import(prefix: bytes, raw: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp), SETTINGS)
        source = project.write(f"source{suffix}", prefix + raw)
        result = run_cli("import", source, "--content", project.content, "--config", project.config)
        assert result.code in (0, 1), result.err
        assert "Traceback" not in result.out + result.err
        if result.code == 0:
            assert run_cli("check", "--content", project.content, "--config", project.config, "--strict").code == 0


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=TEXT, min_size=1, max_size=40).map(lambda s: " ".join(s.split())).filter(bool))
@example(text="Why?!")  # PyYAML ends a plain scalar at '?' in a flow list
def test_any_title_or_name_reads_back_from_the_front_matter(text: str) -> None:
    assert yamlsafe.load(f"title: {scalar(text)}").data == {"title": text}
    assert yamlsafe.load(f"cities: {flow_list((text, 'Kyiv'))}").data == {"cities": [text, "Kyiv"]}


CONVERTER = BodyConverter()
RENDERER = MarkdownRenderer()
WORDS = st.text(alphabet=st.sampled_from("ab1 .-+#>*_`[]()<>&;!|~=\\:/\"'\n"), min_size=1, max_size=30)
TAGS = st.sampled_from(["p", "em", "strong", "li", "h2", "blockquote", "code", "td"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(TAGS, WORDS), min_size=1, max_size=4))
def test_the_text_of_any_body_reads_the_same_in_markdown(parts: list[tuple[str, str]]) -> None:
    body = "".join(f"<{tag}>{html.escape(words)}</{tag}>" for tag, words in parts)
    markdown = CONVERTER.markdown(body)
    from bs4 import BeautifulSoup

    seen = "".join(BeautifulSoup(RENDERER.render(markdown), "lxml").get_text().split())
    assert seen == "".join(BeautifulSoup(body, "lxml").get_text().split()), markdown
