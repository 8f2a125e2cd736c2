"""Linked mentions: first mention only, never inside code, links or headings; opt-out."""

from __future__ import annotations

import feedparser
import pytest

from conftest import Project, article, make_project

BODY = """\
Kyiv and Kiev again; [Kyiv in a link](https://example.org/) and `Kyiv in code`.

### Zelensky in a heading

```
Zelensky in a fence
```

Later, Zelensky spoke. Then Zelenskyy again. Kyivan is another word.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    p = make_project(tmp_path_factory.mktemp("autolink"))
    p.write("site_config/cities.yml", "- name: Kyiv\n  aliases: [Kiev]\n")
    p.write("site_config/people.yml", "- name: Volodymyr Zelenskiy\n  aliases: [Zelensky, Zelenskyy]\n")
    p.entry("2022/03/03/linked.md", "title: Linked\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv]\npeople: [Zelensky]", BODY)
    p.entry("2022/03/03/opt-out.md", "title: Opt out\npublished: 2022-03-03T11:00:00+02:00\nautolink: false\ncities: [Kyiv]", "Kyiv stays plain.")
    assert p.build().code == 0
    return p


def _body(site: Project, slug: str):
    return article(site.page("2022/03/03/")).xpath(f".//article[@id='{slug}']//div[@class='brf-entry__body']")[0]


def test_first_mention_of_each_entity_links_once(site: Project) -> None:
    mentions = _body(site, "linked").xpath(".//a[@class='brf-mention']")
    assert [(a.text, a.get("href")) for a in mentions] == [
        ("Kyiv", "../../../cities/kyiv/"),
        ("Zelensky", "../../../people/volodymyr-zelenskiy/"),
    ]


def test_never_inside_code_links_or_headings(site: Project) -> None:
    body = _body(site, "linked")
    assert not body.xpath(".//code//a | .//pre//a | .//h3//a | .//a//a")
    assert body.xpath(".//a[@href='https://example.org/']")[0].text == "Kyiv in a link"
    last = body.xpath(".//p")[-1]
    assert [a.text for a in last.xpath("./a")] == ["Zelensky"]
    assert "Kyivan is another word." in last.text_content()


def test_entry_can_opt_out(site: Project) -> None:
    assert not _body(site, "opt-out").xpath(".//a")


def test_feed_mentions_are_absolute(site: Project) -> None:
    item = next(e for e in feedparser.parse((site.site / "feed.xml").read_bytes()).entries if e.title == "Linked")
    assert 'href="https://news.example.org/briefing/cities/kyiv/"' in item.summary


def _built_body(tmp_path, cities: list[str], body: str):
    """The body of one entry naming ``cities`` (all in the registry), as built."""
    p = make_project(tmp_path)
    p.write("site_config/cities.yml", "".join(f"- name: {city}\n" for city in cities))
    front = f"title: Post\npublished: 2022-03-03T10:00:00+02:00\ncities: [{', '.join(cities)}]"
    p.entry("2022/03/03/post.md", front, body)
    assert p.build().code == 0
    return article(p.page("2022/03/03/")).xpath(".//div[@class='brf-entry__body']")[0]


def test_a_name_inside_a_longer_proper_name_is_not_linked(tmp_path) -> None:
    body = _built_body(tmp_path, ["Washington"], "The Washington Post reported it first; later, officials in Washington confirmed it.")
    mentions = body.xpath(".//a[@class='brf-mention']")
    assert [(a.text, a.getprevious() is None and a.getparent().text.endswith("officials in ")) for a in mentions] == [
        ("Washington", True)
    ]


def test_a_name_inside_a_longer_cyrillic_proper_name_or_a_hashtag_is_not_linked(tmp_path) -> None:
    body = _built_body(tmp_path, ["Харків"], "Газета Харків Сьогодні пише про #Харків. Удари по Харків тривають.")
    mentions = body.xpath(".//a[@class='brf-mention']")
    assert [(a.text, a.getprevious() is None and a.getparent().text.endswith("Удари по ")) for a in mentions] == [("Харків", True)]


def test_a_name_that_a_word_goes_on_from_after_an_apostrophe_is_not_linked(tmp_path) -> None:
    """Ukrainian writes an apostrophe inside words: "Харків'яни" (the people of Kharkiv) is no mention of Kharkiv."""
    body = _built_body(tmp_path, ["Харків", "Kyiv"], "Харків'яни вийшли на вулиці. Kyiv's mayor spoke; Харків вистояв.")
    assert [a.text for a in body.xpath(".//a[@class='brf-mention']")] == ["Kyiv", "Харків"]
    assert "Харків'яни вийшли" in body.text_content()


def test_names_in_attributes_and_escaped_text_link_only_in_the_text(tmp_path) -> None:
    # The image's alt holds a '>' and both names; the text around the mentions holds entities.
    body = _built_body(
        tmp_path,
        ["Kyiv", "Odesa"],
        "![Odesa > Kyiv at dawn](https://example.org/p.jpg) Tom &amp; Jerry met in Odesa&nbsp;port, "
        "then `Kyiv` in code and <kbd>Kyiv</kbd> keys, then Kyiv.",
    )
    assert body.xpath(".//img/@alt") == ["Odesa > Kyiv at dawn"]
    assert [(a.text, a.get("href")) for a in body.xpath(".//a[@class='brf-mention']")] == [
        ("Odesa", "../../../cities/odesa/"),
        ("Kyiv", "../../../cities/kyiv/"),
    ]
    assert "Tom & Jerry met in Odesa\xa0port, then Kyiv in code and Kyiv keys, then Kyiv." in body.text_content()
    assert not body.xpath(".//code//a | .//kbd//a")
