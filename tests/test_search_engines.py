"""What search engines and link previews read: robots.txt, the pages kept out of their lists."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html

from conftest import Project, make_project

AT_ROOT = "title: Test Briefing\nsite_url: https://news.example.org/\ntimezone: Europe/Kyiv\n"
UNDER_A_PATH = "title: Test Briefing\nsite_url: https://newsroom.github.io/briefings/\ntimezone: Europe/Kyiv\n"
KYIV = "- name: Kyiv\n  aliases: [Kiev]\n"


def _built(root: Path, settings: str) -> Project:
    project = make_project(root, settings)
    project.write("site_config/cities.yml", KYIV)
    project.entry("2022/03/03/sirens.md", "title: Sirens in Kyiv\npublished: 2022-03-03T07:10:00+02:00\ncities: [Kyiv]", "Sirens.")
    result = project.build()
    assert result.code == 0, result.out + result.err
    return project


def _robots(page: Path) -> list[str]:
    return lxml.html.fromstring(page.read_bytes()).xpath("//meta[@name='robots']/@content")


def test_a_site_at_its_hosts_root_names_its_sitemap_in_robots_txt(tmp_path: Path) -> None:
    project = _built(tmp_path, AT_ROOT)
    assert (project.site / "robots.txt").read_text("utf-8") == (
        "User-agent: *\nAllow: /\n\nSitemap: https://news.example.org/sitemap.xml\n"
    )


def test_a_site_under_a_path_writes_no_robots_txt_where_no_crawler_reads_one(tmp_path: Path) -> None:
    assert not (_built(tmp_path, UNDER_A_PATH).site / "robots.txt").exists()


def test_the_content_folders_own_robots_txt_is_published_instead(tmp_path: Path) -> None:
    project = make_project(tmp_path, AT_ROOT)
    project.entry("2022/03/03/sirens.md", "title: Sirens\npublished: 2022-03-03T07:10:00+02:00", "Sirens.")
    project.write("content/robots.txt", "User-agent: GPTBot\nDisallow: /\n")
    assert project.build().code == 0
    assert (project.site / "robots.txt").read_text("utf-8") == "User-agent: GPTBot\nDisallow: /\n"


def test_the_not_found_page_is_kept_out_of_search_results(tmp_path: Path) -> None:
    # Hosts serve it at /404.html too, with 200.
    project = _built(tmp_path, AT_ROOT)
    assert _robots(project.site / "404.html") == ["noindex"]
    assert _robots(project.site / "2022/03/03/index.html") == []


def test_an_aliases_old_address_redirects_with_a_canonical_link_alone(tmp_path: Path) -> None:
    # A search engine takes an instant refresh with a canonical link as a permanent redirect;
    # "noindex" beside it would contradict the canonical link.
    page = _built(tmp_path, AT_ROOT).site / "cities/kiev/index.html"
    tree = lxml.html.fromstring(page.read_bytes())
    assert tree.xpath("//link[@rel='canonical']/@href") == ["https://news.example.org/cities/kyiv/"]
    assert _robots(page) == []


def _head(page: Path) -> dict[str, str]:
    head = lxml.html.fromstring(page.read_bytes()).xpath("//head")[0]
    found = {m.get("property") or m.get("name"): m.get("content") for m in head.xpath("meta[@property or @name]")}
    found["json-ld"] = lxml.html.fromstring(page.read_bytes()).xpath("string(//script[@type='application/ld+json'])")
    return found


def test_a_shared_day_shows_its_key_events_headline_picture_and_times(tmp_path: Path) -> None:
    project = make_project(tmp_path, AT_ROOT)
    project.entry("2022/03/03/early.md", "title: Early\npublished: 2022-03-03T07:10:00+02:00", "![A queue](queue.jpg)")
    project.entry("2022/03/03/strike.md", "title: Strike\npublished: 2022-03-03T09:00:00+02:00\nkey: true\n"
                  "updated: 2022-03-03T11:30:00+02:00", "Before.\n\n![The damaged bridge](bridge.png)")  # fmt: skip
    project.entry("2022/03/04/words.md", "title: Words\npublished: 2022-03-04T08:00:00+02:00", "No picture.")
    for name in ("queue.jpg", "bridge.png"):
        project.write(f"content/2022/03/03/{name}", b"picture")
    assert project.build().code == 0
    head = _head(project.site / "2022/03/03/index.html")
    assert head["og:type"] == "article"
    assert head["og:title"] == "3 March 2022: Strike"  # headed by its key event, as a live blog by its headline
    assert (head["article:published_time"], head["article:modified_time"]) == ("2022-03-03T07:10:00+02:00", "2022-03-03T11:30:00+02:00")
    assert head["og:image"] == "https://news.example.org/2022/03/03/bridge.png"  # the key event's, not the first
    assert head["twitter:card"] == "summary_large_image"
    assert json.loads(head["json-ld"])["image"] == "https://news.example.org/2022/03/03/bridge.png"
    plain = _head(project.site / "2022/03/04/index.html")
    assert "og:image" not in plain and plain["twitter:card"] == "summary"
    assert plain["og:title"] == "4 March 2022"  # no key event: its date, as its page is titled


def test_each_update_in_the_structured_data_carries_its_permanent_id_and_its_sources(tmp_path: Path) -> None:
    # What a citation needs: the id the feeds and the open data give the update, and what it is based on.
    project = make_project(tmp_path, AT_ROOT)
    project.entry("2022/03/03/strike.md", "title: Strike\npublished: 2022-03-03T09:00:00+02:00\nsources:\n"
                  "  - name: Regional Wire\n    url: https://wire.example.net/a/123\n  - name: City council\n"
                  "    url: https://council.example.org/news/7\n", "Words.")  # fmt: skip
    assert project.build().code == 0
    (update,) = json.loads(_head(project.site / "2022/03/03/index.html")["json-ld"])["liveBlogUpdate"]
    data_id = json.loads((project.site / "data/entries.ndjson").read_text("utf-8").splitlines()[0])["id"]
    assert update["identifier"] == data_id == "tag:news.example.org,2022-03-03:strike"
    assert update["isBasedOn"] == [
        {"@type": "CreativeWork", "name": "Regional Wire", "url": "https://wire.example.net/a/123"},
        {"@type": "CreativeWork", "name": "City council", "url": "https://council.example.org/news/7"},
    ]


def test_a_drawn_logo_is_named_in_the_structured_data_and_left_out_of_previews_and_feeds(tmp_path: Path) -> None:
    # RSS's <image> and the networks' previews show a PNG, JPEG or GIF, not an SVG.
    project = make_project(tmp_path, AT_ROOT + "publisher:\n  name: Example News\n  logo: https://news.example.org/logo.svg\n")
    project.entry("2022/03/03/one.md", "title: One\npublished: 2022-03-03T10:00:00+02:00", "Words.")
    result = project.build()
    assert result.code == 0
    assert [line.replace(str(project.root) + "/", "") for line in result.lines if "warning" in line] == [
        "site_config/settings.yml:6: warning: link previews and feed readers show a PNG, JPEG or GIF logo, and not this "
        "one: the structured data names it, but previews and feeds show none; give the address of a PNG or JPEG"
    ]
    assert "og:image" not in _head(project.site / "2022/03/03/index.html")
    assert b"logo.svg" not in (project.site / "feed.xml").read_bytes()
    assert "logo.svg" in _head(project.site / "2022/03/03/index.html")["json-ld"]


def test_a_citys_and_a_persons_page_say_what_they_are_about(tmp_path: Path) -> None:
    project = make_project(tmp_path, AT_ROOT)
    project.write("site_config/cities.yml", "- name: Kharkiv\n  aliases: [Kharkov]\n  region: Kharkiv Oblast\n"
                                            "  country: Ukraine\n  coordinates: [49.9935, 36.2304]\n")  # fmt: skip
    project.write("site_config/people.yml", "- name: Ihor Terekhov\n  role: Mayor of Kharkiv\n")
    project.entry("2022/03/03/shelling.md", "title: Shelling in Kharkiv\npublished: 2022-03-03T07:10:00+02:00\n"
                  "cities: [Kharkiv]\npeople: [Ihor Terekhov]", "Ihor Terekhov said Kharkiv was shelled.")  # fmt: skip
    assert project.build().code == 0
    city = json.loads(_head(project.site / "cities/kharkiv/index.html")["json-ld"])
    assert city["@type"] == "CollectionPage" and city["url"] == "https://news.example.org/cities/kharkiv/"
    assert city["about"] == {
        "@type": "Place", "name": "Kharkiv", "alternateName": ["Kharkov"],
        "geo": {"@type": "GeoCoordinates", "latitude": 49.9935, "longitude": 36.2304},
        "containedInPlace": {"@type": "AdministrativeArea", "name": "Kharkiv Oblast",
                             "containedInPlace": {"@type": "Country", "name": "Ukraine"}},
    }  # fmt: skip
    person = json.loads(_head(project.site / "people/ihor-terekhov/index.html")["json-ld"])
    assert person["about"] == {"@type": "Person", "name": "Ihor Terekhov", "jobTitle": "Mayor of Kharkiv"}


def test_the_settings_words_stay_text_in_every_page_s_head(tmp_path: Path) -> None:
    # The 404 page, which hosts show at every unknown address, takes the site's description.
    settings = AT_ROOT + 'description: \'1; url=https://elsewhere.example/" http-equiv="refresh\'\n'
    project = _built(tmp_path, settings)
    for page in (project.site / "404.html", project.site / "index.html"):
        tree = lxml.html.fromstring(page.read_bytes())
        assert tree.xpath("//meta[@http-equiv='refresh']") == [], page
    result = make_project(tmp_path / "quoted", AT_ROOT.replace("news.example.org/", 'news.example.org/x"><b>/')).build()
    assert result.code == 1
    assert "'site_url' must be an http:// or https:// URL, like https://example.org/briefings/" in result.out
