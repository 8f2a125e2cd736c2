"""A fixture archive built with the real CLI and MkDocs, asserted on the parsed HTML."""

from __future__ import annotations

import hashlib
import os
import stat
import unicodedata
from pathlib import Path

import pytest

from conftest import Project, article, entry_ids, make_project, run_cli
from generator import urls

NFD_KYIV = unicodedata.normalize("NFD", "Kyïv")
NFC_KYIV = unicodedata.normalize("NFC", "Kyïv")


def _fixture_entries(p: Project) -> None:
    # Both sides of local midnight: 21:59Z is 23:59 in Kyiv, 22:30Z is 00:30 next day.
    p.entry("2022/03/02/late-evening.md", "title: Late evening\npublished: 2022-03-02T21:59:00Z\ncities: [Kyiv]")
    p.entry("2022/03/03/after-midnight.md", "title: After midnight\npublished: 2022-03-02T22:30:00Z\ncities: [kyiv]")
    # Daylight saving starts 27 March 2022 at 03:00 local: 21:30Z is 23:30 EET on the 26th,
    # and after the change 21:30Z is already 00:30 EEST on the 28th.
    p.entry("2022/03/26/before-dst.md", "title: Before DST\npublished: 2022-03-26T21:30:00Z")
    p.entry("2022/03/28/after-dst.md", "title: After DST\npublished: 2022-03-27T21:30:00Z")
    p.entry(
        "2022/03/03/escaping.md",
        """\
        title: 'Tom & Jerry <script>alert("t")</script>'
        published: 2022-03-03T09:00:00+02:00
        cities: ['A & B "C"']
        people: ['O''Brien & "Sons"']
        sources:
          - name: 'Wire & <Co> "Ltd"'
            url: https://example.org/?a=1&b=2
        """,
    )
    p.entry("2022/03/03/nfc.md", f"title: NFC\npublished: 2022-03-03T10:00:00+02:00\ncities: ['{NFC_KYIV}']")
    p.entry("2022/03/03/nfd.md", f"title: NFD\npublished: 2022-03-03T11:00:00+02:00\ncities: ['{NFD_KYIV.upper()}']")
    p.entry("2022/03/03/spaced.md", f"title: Spaced\npublished: 2022-03-03T12:00:00+02:00\ncities: ['  {NFC_KYIV.lower()} ']")
    p.entry("2022/03/03/cyrillic.md", "title: Харків під обстрілом\npublished: 2022-03-03T13:00:00+02:00\ncities: [Харків]\npeople: [Віталій Кличко]")
    p.entry("2022/03/03/secret-draft.md", "title: SECRET-DRAFT-TITLE\npublished: 2022-03-03T14:00:00+02:00\ndraft: true\ncities: [Draftville]")
    p.entry(
        "2022/03/03/key-event.md",
        "title: Key event\npublished: 2022-03-03T15:00:00+02:00\nupdated: 2022-03-03T16:30:00+02:00\nkey: true\npeople: [Vitali Klitschko]",
        "Body with [a relative link](../04/) and ![a map](map.png).",
    )
    p.entry("outside-date-folders.md", "title: Filed anywhere\npublished: 2022-03-04T08:00:00+02:00\ncities: [Kyiv]")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    p = make_project(tmp_path_factory.mktemp("built"))
    p.write("site_config/people.yml", "- name: Vitali Klitschko\n  aliases: [Віталій Кличко]\n  role: Mayor of Kyiv\n")
    _fixture_entries(p)
    result = p.build()
    assert result.code == 0, result.out + result.err
    return p


def _day_of(p: Project, url: str) -> list[str]:
    return entry_ids(p.page(url))


def test_day_assignment_on_both_sides_of_local_midnight(built: Project) -> None:
    assert _day_of(built, "2022/03/02/") == ["late-evening"]
    assert "after-midnight" in _day_of(built, "2022/03/03/")


def test_day_assignment_across_daylight_saving_change(built: Project) -> None:
    assert _day_of(built, "2022/03/26/") == ["before-dst"]
    assert _day_of(built, "2022/03/28/") == ["after-dst"]
    assert not (built.site / "2022/03/27").exists()
    time = article(built.page("2022/03/28/")).xpath(".//a[@class='brf-entry__time']/time")[0]
    assert time.text == "00:30"
    assert time.get("datetime") == "2022-03-28T00:30:00+03:00"  # written in UTC, given in the site's zone


def test_day_page_lists_entries_in_order_with_local_times(built: Project) -> None:
    page = article(built.page("2022/03/03/"))
    times = [t.text for t in page.xpath(".//a[@class='brf-entry__time']/time")]
    assert times == sorted(times) and times[0] == "00:30"
    assert "Times are Kyiv time (EET, UTC+02:00)." in page.text_content()


@pytest.mark.parametrize(
    "day, times, label",
    [
        ("2022/03/27", ("01:30:00+02:00", "10:00:00+03:00"), "Kyiv time: EET (UTC+02:00) until 03:00, then EEST (UTC+03:00)"),
        ("2022/10/30", ("03:30:00+03:00", "03:30:00+02:00"), "Kyiv time: EEST (UTC+03:00) until 04:00, then EET (UTC+02:00)"),
    ],
)
def test_a_day_the_clocks_change_says_both_offsets_and_when(project: Project, day: str, times: tuple, label: str) -> None:
    for n, moment in enumerate(times):
        project.entry(f"{day}/u{n}.md", f"title: U{n}\npublished: {day.replace('/', '-')}T{moment}")
    assert project.build().code == 0
    zone = article(project.page(f"{day}/")).xpath("string(.//p[@class='brf-zone'])")
    assert zone == f"2 updates. Times are {label}."


@pytest.mark.parametrize("zone, label", [("Etc/GMT+5", "UTC-05:00"), ("UTC", "UTC")])
def test_a_site_in_a_zone_named_by_its_offset_gives_the_offset_alone(tmp_path: Path, zone: str, label: str) -> None:
    from conftest import SETTINGS

    project = make_project(tmp_path, SETTINGS.replace("Europe/Kyiv", zone))
    project.entry("2022/03/03/u.md", "title: U\npublished: 2022-03-03T18:00:00Z")
    assert project.build().code == 0
    zone_text = article(project.page("2022/03/03/")).xpath("string(.//p[@class='brf-zone'])")
    assert zone_text == f"1 update. Times are {label}."  # never 'GMT+5 time', which is UTC-05:00


def test_previous_and_next_days_skip_empty_days(built: Project) -> None:
    page = article(built.page("2022/03/04/"))
    prev = page.xpath(".//a[@rel='prev']")[0]
    nxt = page.xpath(".//a[@rel='next']")[0]
    assert prev.get("href") == "../../../2022/03/03/"
    assert nxt.get("href") == "../../../2022/03/26/"
    assert not article(built.page("2022/03/28/")).xpath(".//a[@rel='next']")


def test_titles_and_names_are_escaped_text(built: Project) -> None:
    raw = (built.site / "2022/03/03/index.html").read_text()
    assert "<script>alert" not in raw
    assert "Tom &amp; Jerry &lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in raw
    entry = article(built.page("2022/03/03/")).xpath(".//article[@id='escaping']")[0]
    assert entry.xpath(".//h2")[0].text_content() == 'Tom & Jerry <script>alert("t")</script>'
    chips = [a.text_content() for a in entry.xpath(".//a[contains(@class, 'brf-chip')]")]
    assert chips == ['A & B "C"', "O'Brien & \"Sons\""]
    source = entry.xpath(".//cite/a")[0]
    assert (source.text_content(), source.get("href")) == ('Wire & <Co> "Ltd"', "https://example.org/?a=1&b=2")
    assert not entry.xpath(".//i | .//b | .//script")


def test_case_spacing_and_normalization_variants_are_one_entity(built: Project) -> None:
    page = article(built.page("cities/kyiv-2/"))
    assert page.xpath(".//h1")[0].text == NFC_KYIV
    links = [a.get("href").rsplit("#", 1)[1] for a in page.xpath(".//ul[@class='brf-entity__entries']//a")]
    assert links == ["spaced", "nfd", "nfc"]


def test_different_names_with_one_slug_keep_separate_pages(built: Project) -> None:
    assert article(built.page("cities/kyiv/")).xpath(".//h1")[0].text == "Kyiv"
    assert article(built.page("cities/kyiv-2/")).xpath(".//h1")[0].text == NFC_KYIV


def test_cyrillic_names_get_transliterated_slugs(built: Project) -> None:
    assert article(built.page("cities/kharkiv/")).xpath(".//h1")[0].text == "Харків"
    # The registry alias resolves the Cyrillic spelling to the canonical person.
    person = article(built.page("people/vitali-klitschko/"))
    assert [a.get("href") for a in person.xpath(".//ul[@class='brf-entity__entries']//a")] == [
        "../../2022/03/03/#key-event",
        "../../2022/03/03/#cyrillic",
    ]
    assert "Mayor of Kyiv" in person.text_content()


def test_entity_pages_group_by_day_newest_first(built: Project) -> None:
    page = article(built.page("cities/kyiv/"))
    days = [h.text_content() for h in page.xpath(".//section[@class='brf-entity__day']/h3")]
    assert days == ["4 March 2022", "3 March 2022", "2 March 2022"]


def test_entity_links_land_on_existing_anchors(built: Project) -> None:
    for url in ["cities/kyiv/", "cities/kyiv-2/", "cities/kharkiv/", "people/vitali-klitschko/"]:
        for link in article(built.page(url)).xpath(".//ul[@class='brf-entity__entries']//a/@href"):
            target, anchor = link.replace("../../", "").split("#")
            assert anchor in entry_ids(built.page(target))


def test_day_chips_link_to_entity_pages(built: Project) -> None:
    entry = article(built.page("2022/03/03/")).xpath(".//article[@id='cyrillic']")[0]
    hrefs = [a.get("href") for a in entry.xpath(".//a[contains(@class, 'brf-chip')]")]
    assert hrefs == ["../../../cities/kharkiv/", "../../../people/vitali-klitschko/"]


def test_indexes_list_every_name_with_count(built: Project) -> None:
    items = article(built.page("cities/")).xpath(".//ul[@class='brf-index']/li")
    listed = {li.xpath("./a")[0].text: li.xpath("./span")[0].text for li in items}
    assert listed == {'A & B "C"': "1", "Kyiv": "3", NFC_KYIV: "3", "Харків": "1"}


def test_drafts_appear_nowhere(built: Project) -> None:
    for path in built.site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json"}:
            text = path.read_text(errors="replace")
            assert "SECRET-DRAFT-TITLE" not in text and "Draftville" not in text, path
    assert not (built.site / "cities/draftville").exists()


def test_a_picture_only_a_draft_shows_waits_with_it(tmp_path: Path) -> None:
    # A photograph under embargo, beside its draft, is not published at its address before the update.
    project = make_project(tmp_path)
    project.entry("2022/03/05/embargoed.md", "title: Embargoed\npublished: 2022-03-05T10:00:00+02:00\ndraft: true",
                  "![The signing](signing.jpg) ![The map](map.png)")  # fmt: skip
    project.entry("2022/03/05/public.md", "title: Public\npublished: 2022-03-05T11:00:00+02:00", "![The map](map.png)")
    project.entry("2022/03/05/linked.md", "title: Linked\npublished: 2022-03-05T12:00:00+02:00\ndraft: true",
                  "![The ruins](ruins.jpg)")  # fmt: skip
    project.entry("2022/03/06/links.md", "title: Links\npublished: 2022-03-06T11:00:00+02:00\ncorrections:\n"
                  "  - {at: 2022-03-06T12:00:00+02:00, text: 'The map was wrong: ![the new map](../05/new-map.png)'}",
                  "[The ruins](../05/ruins.jpg)")  # fmt: skip
    project.entry("2022/03/05/report.md", "title: Report\npublished: 2022-03-05T13:00:00+02:00\ndraft: true",
                  "[The report](report.pdf) ![The new map](new-map.png)")  # fmt: skip
    for name in ("signing.jpg", "map.png", "unused.png", "ruins.jpg", "new-map.png", "report.pdf"):
        project.write(f"content/2022/03/05/{name}", b"picture")
    assert project.build().code == 0
    assert sorted(p.name for p in (project.site / "2022/03/05").iterdir() if p.suffix != ".html") == [
        "map.png", "new-map.png", "ruins.jpg", "unused.png", "updates.json"  # shown or linked by a published update, or by no draft
    ]
    draft = project.content / "2022/03/05/embargoed.md"
    draft.write_text(draft.read_text("utf-8").replace("draft: true\n", ""), "utf-8")
    assert project.build().code == 0
    assert (project.site / "2022/03/05/signing.jpg").is_file()  # published with its update


def test_file_outside_date_folders_is_an_entry(built: Project) -> None:
    assert _day_of(built, "2022/03/04/") == ["outside-date-folders"]


def test_key_event_and_update_note(built: Project) -> None:
    page = article(built.page("2022/03/03/"))
    assert [a.get("href") for a in page.xpath(".//aside[@class='brf-key']//a")] == ["../../../2022/03/03/#key-event"]
    note = page.xpath(".//article[@id='key-event']//p[@class='brf-entry__updated']")[0]
    assert note.text_content() == "Updated 16:30"


def test_body_markdown_rendered_with_relative_urls_from_the_entry_file(built: Project) -> None:
    # Relative to the entry's file, as the preview reads them; from the site root, so any page can show them.
    body = article(built.page("2022/03/03/")).xpath(".//article[@id='key-event']//div[@class='brf-entry__body']")[0]
    assert body.xpath(".//a")[0].get("href") == "../../../2022/03/04/"
    assert body.xpath(".//img")[0].get("src") == "../../../2022/03/03/map.png"


def test_home_shows_latest_day_and_archive_lists_days_by_month(built: Project) -> None:
    assert entry_ids(built.page("")) == ["after-dst"]
    archive = article(built.page("archive/"))
    assert [h.text for h in archive.xpath(".//details[@class='brf-year']/summary/h2")] == ["2022"]
    assert [h.text for h in archive.xpath(".//details[@class='brf-month']/summary/h3")] == ["March 2022"]
    # Each month's calendar links the days with updates, in calendar order; the month's
    # table sits in its fold, newest month first.
    days = [a.get("aria-label").split(":")[0] for a in archive.xpath(".//table[@class='brf-cal']//a")]
    assert days == ["2 March 2022", "3 March 2022", "4 March 2022", "26 March 2022", "28 March 2022"]


def test_a_day_is_described_by_its_count_and_its_key_events_or_its_titles(built: Project) -> None:
    def description(path: str) -> str:
        [text] = built.page(path).xpath("//head/meta[@name='description']/@content")
        return text

    # One update, no key event: its title; the count agrees with it.
    assert description("2022/03/02/") == "1 update of 2 March 2022: Late evening"
    # Key events only, in reading order: an update that is not one is not named.
    day = built.page("2022/03/03/")
    keys = [h.text_content().strip() for h in day.xpath("//article[contains(@class, 'brf-entry--key')]//h2")]
    assert keys and description("2022/03/03/") == f"{len(entry_ids(day))} updates of 3 March 2022: " + "; ".join(keys)


def test_a_long_day_description_ends_after_a_whole_title(project: Project) -> None:
    for n in range(12):
        project.entry(f"2022/03/03/u{n:02d}.md", f"""
            title: Shelling reported in district number {n} overnight
            published: 2022-03-03T{8 + n:02d}:00:00+02:00
            sources: [{{name: Agency, url: "https://example.org/"}}]
        """)
    assert project.build().code == 0
    [text] = project.page("2022/03/03/").xpath("//head/meta[@name='description']/@content")
    assert len(text) <= 200
    assert text.startswith("12 updates of 3 March 2022: Shelling reported in district number 0 overnight; ")
    assert text.endswith(" overnight; …")


def test_every_page_shares_its_title_description_and_address_as_a_link_preview(built: Project) -> None:
    for path in built.site.rglob("index.html"):
        head = __import__("lxml.html").html.fromstring(path.read_bytes()).xpath("//head")[0]
        if head.xpath("meta[@http-equiv='refresh']"):
            continue  # a redirect page is never shared: its target is
        og = {m.get("property"): m.get("content") for m in head.xpath("meta[starts-with(@property, 'og:')]")}
        # The page's own title, which a day's preview follows with its first key event.
        assert og["og:title"].startswith(head.xpath("string(title)").rsplit(" - Test Briefing", 1)[0]), path
        assert og["og:url"] == head.xpath("link[@rel='canonical']/@href")[0], path
        assert og.get("og:description") == (head.xpath("meta[@name='description']/@content") or [None])[0], path
        assert og["og:site_name"] == "Test Briefing", path
        # A day is shared as an article; the other pages as the site's.
        assert og["og:type"] == ("article" if urls.day_of_url(path.parent.relative_to(built.site).as_posix() + "/") else "website"), path


def test_the_publishers_logo_is_every_link_previews_picture_and_follows_the_settings(tmp_path: Path) -> None:
    from conftest import SETTINGS

    def previews(project: Project) -> set[tuple[str, ...]]:
        pages = [p for p in project.site.rglob("index.html") if b'http-equiv="refresh"' not in p.read_bytes()]
        return {tuple(__import__("lxml.html").html.parse(str(p)).xpath("//head/meta[@property='og:image']/@content")) for p in pages}

    project = make_project(tmp_path, SETTINGS)
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv]")
    assert project.build().code == 0
    assert previews(project) == {()}  # no publisher, no picture
    for logo in ("https://news.example.org/logo.png", "https://news.example.org/logo-2.png"):
        project.write("site_config/settings.yml", SETTINGS + f"publisher:\n  name: Example News\n  logo: {logo}\n")
        assert project.build().code == 0  # from the cache: a setting the head reads renders every page anew
        assert previews(project) == {(logo,)}


def test_titles_in_head_are_escaped(built: Project) -> None:
    raw = (built.site / "cities/a-b-c/index.html").read_text()
    assert '<title>A &amp; B &quot;C&quot; - Test Briefing</title>' in raw
    head = built.page("cities/a-b-c/").xpath("//head")[0]
    assert head.xpath(".//meta[@name='description']/@content") == ['Every update naming A & B "C"']


def test_every_page_has_rss_autodiscovery(built: Project) -> None:
    pages = [p for p in built.site.rglob("index.html")]
    assert len(pages) > 10
    for path in pages:
        page = __import__("lxml.html").html.fromstring(path.read_bytes())
        if page.xpath("//meta[@http-equiv='refresh']"):
            continue  # a redirect page: it leaves at once
        links = page.xpath("//head/link[@rel='alternate'][@type='application/rss+xml']/@href")
        assert links, path
        # The site's feed on every page; a city's or person's page lists its own first.
        assert (built.site / "feed.xml").resolve() in {(path.parent / link).resolve() for link in links}, path
        if len(links) > 1:
            assert (path.parent / links[0]).resolve() == (path.parent / "feed.xml").resolve(), path


def test_navigation_stays_small(built: Project) -> None:
    page = built.page("2022/03/03/")
    tabs = [a.text_content().strip() for a in page.xpath("//nav[contains(@class,'md-tabs')]//a")]
    assert tabs == ["Latest", "Archive", "Cities", "People"]


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_failed_build_leaves_previous_site_untouched(built: Project) -> None:
    before = _tree_digest(built.site)
    broken = built.entry("2022/03/05/broken.md", "title: [unclosed\npublished: 2022-03-05T10:00:00+02:00")
    try:
        result = built.build()
    finally:
        broken.unlink()
    assert result.code == 1
    assert f"{broken}:2: error: a value cannot start with '[' in YAML" in result.out
    assert "build failed; " in result.err
    assert _tree_digest(built.site) == before
    assert not list(built.root.glob(".site.new-*"))  # no half-built site is left


def test_crlf_and_bom_files_build_like_their_lf_twin(tmp_path: Path) -> None:
    text = "---\ntitle: Twin\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv]\n---\nLine one\n\nLine two\n"
    variants = {
        "lf": text.encode(),
        "crlf": text.replace("\n", "\r\n").encode(),
        "cr": text.replace("\n", "\r").encode(),
        "bom": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
    }
    pages = {}
    for name, raw in variants.items():
        p = make_project(tmp_path / name)
        p.write("content/2022/03/03/twin.md", raw)
        assert p.build().code == 0
        pages[name] = (p.site / "2022/03/03/index.html").read_bytes()
    assert len(set(pages.values())) == 1


def test_names_that_look_like_paths_stay_inside_the_site(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    p.entry(
        "2022/03/03/paths.md",
        "title: Paths\npublished: 2022-03-03T10:00:00+02:00\n"
        "cities: ['../../etc/passwd', '/absolute', 'C:\\\\Windows', '..']\npeople: ['.', '~root']",
    )
    assert p.build().code == 0
    outside = [q for q in tmp_path.rglob("*") if q.is_file() and not q.is_relative_to(p.site)
               and not q.is_relative_to(p.content) and not q.is_relative_to(p.config) and ".cache" not in q.parts]
    assert outside == []
    assert sorted(x.name for x in (p.site / "cities").iterdir() if x.is_dir()) == ["absolute", "c-windows", "etc-passwd", "unnamed"]


@pytest.mark.parametrize(
    ("mkdocs_yml", "message"),
    [
        (None, "Config file '{path}' does not exist."),
        ("site_name: x\ntheme:\n  name: no-such-theme\nplugins:\n  - briefings\n", "Aborted with a configuration error!"),
        ("site_name: x\n", "the 'briefings' plugin is not enabled under 'plugins'"),
    ],
    ids=["missing", "unknown-theme", "no-plugin"],
)
def test_a_broken_mkdocs_config_is_one_clear_error(project: Project, mkdocs_yml: str | None, message: str) -> None:
    from conftest import run_cli

    path = project.root / "mkdocs.yml"
    if mkdocs_yml is not None:
        path.write_text(mkdocs_yml, "utf-8")
    result = run_cli("build", "--content", project.content, "--config", project.config,
                     "--site-dir", project.site, "--mkdocs-config", path)  # fmt: skip
    assert result.code == 1
    assert result.err.splitlines()[-2:] == [
        f"briefings: error: {path}: {message.format(path=path)}", f"build failed; {project.site} was left as it was",
    ]  # fmt: skip
    assert not project.site.exists()


def test_the_content_folders_other_files_are_published_as_mkdocs_publishes_them(tmp_path: Path) -> None:
    """`briefings build` hands MkDocs no entry files to walk; what else the content folder
    holds must still reach the site exactly as a plain `mkdocs build` publishes it."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    project = make_project(tmp_path)
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00", "![a map](map.png)")
    others = {
        "2022/03/03/map.png": b"\x89PNG picture",
        "media/notes.txt": b"a reporter's notes: not published, with a warning",
        "media/draft.docx": b"a draft in Word: not published, with a warning",
        "robots.txt": b"User-agent: *\nAllow: /\n",  # the site's own, at the top: published
        "media/robots.txt": b"not at the top: not published",
        "media/.hidden.png": b"never published",
        "templates/x.png": b"MkDocs leaves a top-level templates/ folder out",
        "draft.markdown": b"a near miss: neither an entry nor a file of the site",
    }
    for path, data in others.items():
        project.write(f"content/{path}", data)
    assert project.build().code == 0
    yml = project.mkdocs_yml(tmp_path / "mkdocs.yml")
    mkdocs_build(load_config(str(yml), site_dir=str(tmp_path / "plain")))

    def published(site: Path) -> dict[str, bytes]:
        return {path: (site / path).read_bytes() for path in others if (site / path).is_file()}

    assert published(project.site) == published(tmp_path / "plain")
    assert set(published(project.site)) == {"2022/03/03/map.png", "robots.txt"}


def test_a_picture_in_the_sites_own_folders_is_refused_not_put_over_the_theme(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00", "Words.")
    project.write("content/assets/images/favicon.png", b"not the theme's icon")
    project.write("content/pagefind/x.png", b"not the search's")
    result = project.build()
    assert result.code == 1
    told = ("the site's own folder {}/ holds the theme's files and the search index, which a file of the same name "
            "would replace: move this one to another folder of content/")
    assert [line.replace(str(project.root) + "/", "") for line in result.lines] == [
        "content/assets/images/favicon.png: error: " + told.format("assets"),
        "content/pagefind/x.png: error: " + told.format("pagefind"),
    ]


def test_what_editors_and_desktops_leave_beside_an_entry_is_skipped_without_a_word(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00", "Words.")
    leftovers = ["~$e.md", "one.md~", "#one.md#", "one.md.swp", "Thumbs.db", "desktop.ini", "Icon\r"]
    for name in leftovers:
        project.write(f"content/2022/03/03/{name}", b"\x00 left by an editor or a desktop")
    for result in (project.check(), project.build()):
        assert result.code == 0, result.out + result.err
        assert not [line for line in result.lines if "warning" in line or "error" in line]
    assert sorted(path.name for path in (project.site / "2022/03/03").iterdir()) == ["index.html", "updates.json"]


def _gone(path: Path, seconds: float = 20) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not path.exists()


def test_cut_short_deletions_are_removed_and_the_previous_site_becomes_the_spare(project: Project) -> None:
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00")
    assert project.build().code == 0
    first = project.site / "2022" / "03" / "03" / "index.html"
    inode = first.stat().st_ino
    stale = project.root / ".site.old-cut-short"  # a deletion that a reboot interrupted
    (stale / "2022").mkdir(parents=True)
    (stale / "2022" / "index.html").write_text("old")
    project.entry("2022/03/03/two.md", "title: Two\npublished: 2022-03-03T11:00:00+02:00")
    assert project.build().code == 0
    assert "Two" in first.read_text("utf-8") and first.stat().st_ino != inode
    assert _gone(stale)
    assert all(_gone(old) for old in project.root.glob(".site.old-*"))
    assert not list(project.root.glob(".site.new-*"))
    spare = project.root / ".site.spare"  # the first site's folders, for the next build, and no file
    assert (spare / "2022" / "03" / "03").is_dir()
    assert [p.name for p in spare.rglob("*") if not p.is_dir()] == [".emptied"]  # and the mark that says so


def test_a_rebuild_builds_into_the_spare_folders_and_leaves_no_empty_folder(project: Project) -> None:
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv]")
    gone = project.entry("2022/03/04/two.md", "title: Two\npublished: 2022-03-04T10:00:00+02:00\ncities: [Odesa]")
    assert project.build().code == 0
    assert project.build().code == 0  # the first site is now the spare
    spare_folder = (project.root / ".site.spare" / "cities" / "kyiv").stat().st_ino
    gone.unlink()
    assert project.build().code == 0
    assert (project.site / "cities" / "kyiv").stat().st_ino == spare_folder  # taken, not made anew
    assert not (project.site / "cities" / "odesa").exists()
    assert not (project.site / "2022" / "03" / "04").exists()
    empty = [p for p in project.site.rglob("*") if p.is_dir() and not any(p.iterdir())]
    assert empty == []
    # The site is the one a clean build makes, file for file.
    clean = project.root / "clean-site"
    assert project.build("--clean", site=clean).code == 0
    assert _tree_digest(project.site) == _tree_digest(clean)


def test_a_file_left_in_a_spare_whose_emptying_was_cut_short_never_reaches_the_site(project: Project) -> None:
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv]")
    assert project.build().code == 0
    assert project.build().code == 0  # the first site is now the spare, emptied
    spare = project.root / ".site.spare"
    (spare / ".emptied").unlink()  # as if the emptying had stopped before this file
    (spare / "cities" / "kyiv" / "stale.html").write_text("<p>stale</p>", "utf-8")
    assert project.build().code == 0
    assert not (project.site / "cities" / "kyiv" / "stale.html").exists()
    assert not (project.site / ".emptied").exists()


def test_a_build_says_how_long_it_took_and_how_many_pages_it_rendered(project: Project) -> None:
    import re

    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00\ncities: [Kyiv]")
    project.entry("2022/03/04/two.md", "title: Two\npublished: 2022-03-04T10:00:00+02:00\ncities: [Odesa]")
    line = re.compile(r"^built .+ in \d+\.\d\d s: 2 entries on 2 days; (\d+) of (\d+) pages rendered; \d+ files, [\d,.]+ MB$", re.M)
    first = line.search(project.build().err)
    assert first is not None and first[1] == first[2]  # a first build renders every page
    project.entry("2022/03/04/two.md", "title: Two, edited\npublished: 2022-03-04T10:00:00+02:00\ncities: [Odesa]")
    again = line.search(project.build().err)
    assert again is not None and 0 < int(again[1]) < int(again[2]) == int(first[2])


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.parametrize(
    "site, why",
    [
        (".", "the site folder {site} holds {root}/content: a build replaces the whole site folder, so give it a "
              "folder of its own, like site/"),
        ("content", "the site folder {site} holds {root}/content: a build replaces the whole site folder, so give "
                    "it a folder of its own, like site/"),
        ("content/site", "the site folder {site} is inside {root}/content: give it a folder of its own, like site/"),
        ("docs", "the site folder {site} holds files but no site briefings built (no index.html, sitemap.xml and "
                 "assets/stylesheets/briefings.css), and a build replaces the whole folder: give an empty or new folder"),
        ("www", "the site folder {site} holds files but no site briefings built (no index.html, sitemap.xml and "
                "assets/stylesheets/briefings.css), and a build replaces the whole folder: give an empty or new folder"),
        ("pages", "the site folder {site} holds a Git repository (.git), which a build would delete with the rest "
                  "of the folder: publish from a copy of the site"),
    ],
)  # fmt: skip
def test_a_site_folder_whose_replacement_would_delete_files_is_refused(project: Project, site: str, why: str) -> None:
    project.entry("2022/03/03/a.md", "title: A\npublished: 2022-03-03T09:00:00+02:00")
    project.write("docs/notes.md", "A page of the newsroom's own.")
    project.write("pages/index.html", "<p>Published.</p>")
    project.write("pages/sitemap.xml", "<urlset/>")
    project.write("pages/.git/HEAD", "ref: refs/heads/gh-pages\n")
    project.write("www/index.html", "<p>The newsroom's own site.</p>")  # another site's web root
    project.write("www/sitemap.xml", "<urlset/>")
    project.write("www/blog/post.html", "<p>A post.</p>")
    before = _files(project.root)
    result = project.build(site=project.root / site)
    assert result.code == 1
    assert result.err.splitlines() == [
        "briefings: error: " + why.format(site=project.root / site, root=project.root),
        f"build failed; {project.root / site} was left as it was",
    ]
    assert _files(project.root) == before


def test_a_rebuilt_site_folder_keeps_the_mode_and_group_its_operator_gave_it(project: Project) -> None:
    project.entry("2022/03/03/a.md", "title: A\npublished: 2022-03-03T09:00:00+02:00")
    assert project.build().code == 0
    os.chmod(project.site, 0o2775)  # readable by the web server's group, new files in it too
    assert project.build().code == 0
    assert stat.S_IMODE(os.stat(project.site).st_mode) == 0o2775


def test_a_site_folder_a_build_made_is_replaced_as_often_as_asked(project: Project) -> None:
    project.entry("2022/03/03/a.md", "title: A\npublished: 2022-03-03T09:00:00+02:00")
    project.write("site/.DS_Store", b"\0")  # a new folder, opened in a Mac's Finder: empty all the same
    for _ in range(2):
        assert project.build().code == 0
    assert (project.site / "2022/03/03/index.html").is_file()


def test_an_empty_content_folder_does_not_replace_a_published_archive(project: Project, tmp_path: Path) -> None:
    project.entry("2022/03/03/a.md", "title: A\npublished: 2022-03-03T09:00:00+02:00")
    assert project.build().code == 0
    published = _files(project.site)
    empty = tmp_path / "checkout-that-failed"
    empty.mkdir()
    result = run_cli("build", "--content", empty, "--config", project.config, "--site-dir", project.site,
                     "--mkdocs-config", project.mkdocs_yml(tmp_path / "mkdocs.yml"))  # fmt: skip
    assert result.code == 1
    assert result.lines == [
        f"{empty}: error: holds no updates, and {project.site} holds an archive: a build would replace it with an "
        f"empty site; check that this is the content folder (a failed checkout?), or delete {project.site} first to "
        "empty the site"
    ]
    assert _files(project.site) == published


@pytest.mark.parametrize("cache", ["content/cache", "site_config", "content"])
def test_a_cache_folder_in_the_content_or_the_settings_is_refused(project: Project, cache: str) -> None:
    project.entry("2022/03/03/a.md", "title: A\npublished: 2022-03-03T09:00:00+02:00")
    before = _files(project.root)
    result = project.build(cache=project.root / cache)
    assert result.code == 1
    where, what = ("is inside", project.content) if cache == "content/cache" else ("is", project.root / cache)
    assert result.err.splitlines()[0] == (
        f"briefings: error: the cache folder {project.root / cache} {where} {what}, which the build reads: give it a "
        "folder of its own, like .cache/"
    )
    assert _files(project.root) == before
