"""The site's own words in the archive's language: a site built with `language: uk` reads
in Ukrainian, counts with Ukrainian plural rules, and every label has its translation.

English pages keep their bytes (test_golden.py); the command line stays English.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import REPO, Project, article, make_project, run_cli
from generator.i18n import LOCALES, TEMPLATE, words_for
from generator.wording import counted

SETTINGS = "title: Хроніка\nsite_url: https://example.org/\ntimezone: Europe/Kyiv\nlanguage: uk\n"


def _text(node: lxml.etree._Element) -> str:
    return " ".join(node.text_content().split())


def _ukrainian(project: Project) -> None:
    project.write("site_config/settings.yml", SETTINGS)
    project.entry("2022/03/02/talks.md", "title: Talks announced\npublished: 2022-03-02T20:00:00+02:00\ncities: [Kyiv]")
    project.entry(
        "2022/03/03/blasts.md",
        "title: Blasts over Kyiv\npublished: 2022-03-03T01:35:00+02:00\nupdated: 2022-03-03T02:10:00+02:00\n"
        "cities: [Kyiv]\nkey: true\nauthor: Olena Kovalenko",
    )
    project.entry("2022/03/03/curfew.md", "title: Curfew\npublished: 2022-03-03T09:00:00+02:00\ncities: [Kyiv]\n"
                  "corrections:\n  - at: 2022-03-03T10:00:00+02:00\n    text: Час виправлено.")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = make_project(tmp_path_factory.mktemp("uk"), SETTINGS)
    _ukrainian(project)
    result = project.build()
    assert result.code == 0, result.out + result.err
    assert "built " in result.err  # the command line stays English
    return project


def test_a_day_page_shows_its_labels_and_date_in_ukrainian(built: Project) -> None:
    page = built.page("2022/03/03/")
    assert page.get("lang") == "uk"  # material's words follow the setting too
    shown = article(page)
    assert _text(shown.xpath(".//h1")[0]) == "3 березня 2022 р."
    assert _text(shown.xpath(".//aside[@class='brf-key']/h2")[0]) == "Ключові події"
    assert _text(shown.xpath(".//p[@class='brf-zone']")[0]) == "2 оновлення. Указано час міста Київ (EET, UTC+02:00)."
    assert _text(shown.xpath(".//p[@class='brf-entry__byline']")[0]) == "Автор: Olena Kovalenko"
    assert _text(shown.xpath(".//p[@class='brf-entry__updated']")[0]) == "Оновлено о 02:10"
    assert _text(shown.xpath(".//a[@rel='prev']")[0]) == "← 2 березня 2022 р."
    assert _text(shown.xpath(".//a[@class='brf-daynav__archive']")[0]) == "Усі дні"
    assert set(shown.xpath(".//a[contains(@class, 'brf-chip')]/@data-pagefind-filter")) == {"Місто"}  # the search box's filter heading


def test_an_entity_page_shows_its_facts_in_ukrainian(built: Project) -> None:
    shown = article(built.page("cities/kyiv/"))
    facts = [_text(node) for node in shown.xpath(".//dl[@class='brf-entity__facts']/dt")]
    assert facts == ["Оновлення", "Перша згадка", "Остання згадка", "Стежити"]
    assert _text(shown.xpath(".//dl/dd")[1]) == "2 березня 2022 р."
    assert _text(shown.xpath(".//h2[@id='updates']")[0]) == "Оновлення, від найновіших"


def test_the_archive_calendar_names_months_and_weekdays_in_ukrainian(built: Project) -> None:
    shown = article(built.page("archive/"))
    assert _text(shown.xpath(".//p")[0]).startswith("3 оновлення за 2 дні.")
    assert _text(shown.xpath(".//details[@class='brf-month']//h3")[0]) == "березень 2022 р."
    assert [_text(th) for th in shown.xpath(".//table[@class='brf-cal']/thead//th")] == ["пн", "вт", "ср", "чт", "пт", "сб", "нд"]
    assert shown.xpath(".//a[text()='3']")[0].get("aria-label") == "3 березня 2022\u202fр.: 2 оновлення"  # CLDR's narrow no-break space


def test_an_entity_feed_describes_itself_in_ukrainian(built: Project) -> None:
    channel = lxml.etree.parse(str(built.site / "cities/kyiv/feed.xml")).find("channel")
    assert channel.findtext("description") == "Оновлення зі згадкою: Kyiv"
    assert channel.findtext("language") == "uk"
    feed = json.loads((built.site / "cities/kyiv/feed.json").read_text("utf-8"))
    assert feed["description"] == "Оновлення зі згадкою: Kyiv"


def test_a_sentence_ending_in_a_ukrainian_date_ends_in_its_one_full_stop(built: Project) -> None:
    (item,) = lxml.etree.parse(str(built.site / "corrections/feed.xml")).iter("item")
    said = _text(lxml.html.fromstring(item.findtext("description")))
    assert said == "Час виправлено. Виправлення до Curfew, оновлення за 3 березня 2022 р."
    words = json.loads(built.page("2022/03/03/").xpath("//script[@id='brf-words']")[0].text)
    assert words["dayOver"] == "Цей день завершено. Оновлення тривають на сторінці %(day)s"


def test_the_data_page_writes_file_sizes_as_ukrainian_does(built: Project) -> None:
    sizes = [_text(cell) for cell in article(built.page("data/")).xpath(".//td[@class='brf-data__size']")]
    assert sizes and all(re.fullmatch(r"\d+(,\d)? (Б|кБ|МБ)", size) for size in sizes), sizes


def test_the_live_page_gets_its_words_and_plural_forms_from_the_page(built: Project) -> None:
    (holder,) = built.page("2022/03/03/").xpath("//script[@id='brf-words']")
    words = json.loads(holder.text)
    assert words["newUpdates"] == {
        "one": "%(num)d нове оновлення", "few": "%(num)d нові оновлення",
        "many": "%(num)d нових оновлень", "other": "%(num)d нових оновлень",
    }  # fmt: skip
    assert words["keyEvents"] == "Ключові події"
    script = (REPO / "theme/assets/javascripts/live.js").read_text("utf-8")
    assert "Intl.PluralRules" in script and '"new update"' not in script and "Key events" not in script


def test_names_in_ukrainian_make_addresses_as_ukraines_romanization_does(tmp_path: Path) -> None:
    project = make_project(tmp_path, SETTINGS)
    project.write("site_config/cities.yml", "- name: Київ\n  aliases: [Kyiv]\n- name: Біла Церква\n")
    project.write("site_config/people.yml", "- name: Володимир Зеленський\n")
    project.entry(
        "2022/03/03/visit.md",
        "title: Visit\npublished: 2022-03-03T10:00:00+02:00\ncities: [Київ, Біла Церква]\npeople: [Володимир Зеленський]",
    )
    assert project.build().code == 0, project.build().err
    # KMU 2010, as Ukraine's atlases and passports write them, not letter by letter (kiiv, zelenskii).
    for page in ("cities/kyiv/", "cities/bila-tserkva/", "people/volodymyr-zelenskyi/"):
        assert (project.site / page / "index.html").is_file(), page
    # The letter-by-letter address of earlier builds leads to the page.
    moved = project.page("cities/kiiv/").xpath("//meta[@http-equiv='refresh']/@content")
    assert moved and moved[0].endswith("cities/kyiv/")


def test_new_names_a_file_in_ukrainian_as_the_romanization_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path, SETTINGS)
    monkeypatch.chdir(project.root)
    done = run_cli("new", "Сирени в Києві", "--at", "2022-03-03T07:10")
    assert done.out == "content/2022/03/03/syreny-v-kyievi.md\n", done.err


def test_the_navigation_tabs_speak_ukrainian(built: Project) -> None:
    tabs = built.page("2022/03/03/").xpath("//nav[contains(@class, 'md-tabs')]//a[contains(@class, 'md-tabs__link')]")
    assert [_text(tab) for tab in tabs] == ["Останнє", "Архів", "Міста", "Особи"]


def test_the_palette_toggles_speak_ukrainian(built: Project) -> None:
    # Each toggle's name is its radio button's label for a screen reader and its button's tooltip.
    palette = built.page("2022/03/03/").xpath("//form[@data-md-component='palette']")[0]
    names = ["Увімкнути темну тему", "Увімкнути світлу тему"]
    assert palette.xpath("./input/@aria-label") == names and palette.xpath("./label/@title") == names


def test_the_404_page_and_the_footer_speak_ukrainian(built: Project) -> None:
    text = (built.site / "404.html").read_text("utf-8")
    assert "<h1>Сторінку не знайдено</h1>" in text
    assert "Відкриті дані" in text and "Page not found" not in text


def test_an_alias_s_redirect_page_speaks_ukrainian(tmp_path: Path) -> None:
    project = make_project(tmp_path, SETTINGS)
    project.write("site_config/cities.yml", "- name: Київ\n  aliases: [Kyiv, Kiev]\n")
    project.entry("2022/03/03/curfew.md", "title: Комендантська година\npublished: 2022-03-03T09:00:00+02:00\ncities: [Київ]")
    assert project.build().code == 0
    # A reader following an old link (/cities/kiev/) sees this page while it leads on.
    page = lxml.html.fromstring((project.site / "cities/kiev/index.html").read_bytes())
    assert (page.get("lang"), page.get("dir")) == ("uk", "ltr")
    assert _text(page.xpath("//title")[0]) == "Сторінку перенесено: https://example.org/cities/kyiv/"
    assert _text(page.xpath("//body/p")[0]) == "Ця сторінка тепер за адресою https://example.org/cities/kyiv/."


def test_the_city_map_names_its_countries_in_ukrainian(tmp_path: Path) -> None:
    project = make_project(tmp_path, SETTINGS)
    project.write("site_config/cities.yml", "- name: Одеса\n  coordinates: [46.48, 30.72]\n")
    project.entry("2022/03/03/port.md", "title: Порт\npublished: 2022-03-03T09:00:00+02:00\ncities: [Одеса]")
    assert project.build().code == 0
    # Each country's outline tells its name when pointed at (and to a screen reader).
    shapes = article(project.page("cities/")).xpath(".//svg[contains(@class, 'brf-map')]/path/title")
    assert sorted(_text(title) for title in shapes) == ["Молдова", "Україна"]


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 оновлення"), (2, "2 оновлення"), (5, "5 оновлень"), (21, "21 оновлення"), (11, "11 оновлень"), (0, "0 оновлень")],
)
def test_ukrainian_counts_follow_its_plural_rules(count: int, expected: str) -> None:
    assert counted(count, "update", words_for("uk")) == expected


def test_english_counts_are_as_they_were() -> None:
    english = words_for("en")
    assert [counted(n, noun, english) for n, noun in ((1, "update"), (2, "update"), (3, "person"), (1, "city"))] == [
        "1 update", "2 updates", "3 people", "1 city",
    ]  # fmt: skip
    assert counted(2, "city") == "2 cities"  # the command line's English


def _messages(catalogue: Path) -> dict:
    with catalogue.open("rb") as file:
        return {message.id: message for message in read_po(file) if message.id}


def test_ukrainian_has_a_catalogue() -> None:
    assert (LOCALES / "uk.po").is_file()


@pytest.mark.parametrize("catalogue", sorted(LOCALES.glob("*.po")), ids=lambda path: path.stem)
def test_every_message_of_the_catalogue_template_has_a_translation(catalogue: Path) -> None:
    template, translated = _messages(TEMPLATE), _messages(catalogue)
    assert sorted(map(str, template)) == sorted(map(str, translated)), "run make messages (CONTRIBUTING.md, Adding a language)"
    untranslated = [
        message.id for message in translated.values()
        if message.fuzzy or not all(message.string if isinstance(message.string, tuple) else (message.string,))
    ]  # fmt: skip
    assert untranslated == []


def test_the_catalogue_template_holds_every_label_of_the_code_and_templates() -> None:
    method_map = [("generator/**.py", "python"), ("generator/templates/**.html", "jinja2"), ("theme/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "plural_forms": (1, 2)}
    found = {message[2] for message in extract_from_dir(REPO, method_map, keywords=keywords)}
    written = set(_messages(TEMPLATE))
    assert found == written, "run make messages (CONTRIBUTING.md, Adding a language)"
    # The extraction does not look inside f-strings: a label looked up there would never be translated.
    inside = re.compile(r"""\b(?:_|gettext)\((["'])(.+?)\1\)""")
    for module in (REPO / "generator").rglob("*.py"):
        for _quote, message in inside.findall(module.read_text("utf-8")):
            assert message in written, f"{module.name}: {message!r} is not in the catalogue: look it up outside an f-string"


def test_a_site_in_russian_speaks_russian_with_its_plural_forms(tmp_path: Path) -> None:
    project = make_project(tmp_path, SETTINGS.replace("language: uk", "language: ru"))
    _ukrainian(project)
    project.write("site_config/settings.yml", SETTINGS.replace("language: uk", "language: ru"))
    for minute in range(10, 13):
        project.entry(f"2022/03/03/more-{minute}.md", f"title: More\npublished: 2022-03-03T10:{minute}:00+02:00\ncities: [Kyiv]")
    result = project.build()
    assert result.code == 0 and "catalogue" not in result.out, result.out
    page = project.page("2022/03/03/")
    assert page.get("lang") == "ru"
    shown = article(page)
    assert _text(shown.xpath(".//h1")[0]) == "3 марта 2022 г."
    assert _text(shown.xpath(".//aside[@class='brf-key']/h2")[0]) == "Ключевые события"
    assert _text(shown.xpath(".//p[@class='brf-zone']")[0]).startswith("5 обновлений.")
    assert counted_in("ru", 2, "update") == "2 обновления" and counted_in("ru", 21, "update") == "21 обновление"
    city = project.page("cities/kyiv/")
    assert "за 1 неделю" in _text(city.xpath("//*[local-name()='desc']")[0])  # after "за", the accusative
    assert _text(city.xpath("//div[@class='md-copyright']")[0]).endswith("Сделано с помощью Material for MkDocs")


def counted_in(language: str, count: int, noun: str) -> str:
    return counted(count, noun, words_for(language))


def _built_in(language: str, tmp_path: Path) -> Project:
    """The test archive built with the site's words in ``language``, which has a catalogue."""
    settings = SETTINGS.replace("language: uk", f"language: {language}")
    project = make_project(tmp_path, settings)
    _ukrainian(project)
    project.write("site_config/settings.yml", settings)
    result = project.build()
    assert result.code == 0 and "catalogue" not in result.out, result.out
    return project


def test_a_site_in_arabic_reads_right_to_left_with_its_six_plural_forms(tmp_path: Path) -> None:
    project = _built_in("ar", tmp_path)
    page = project.page("2022/03/03/")
    assert page.get("lang") == "ar" and page.find("body").get("dir") == "rtl"  # material's direction for Arabic
    shown = article(page)
    assert _text(shown.xpath(".//h1")[0]) == "3 مارس 2022"
    assert _text(shown.xpath(".//aside[@class='brf-key']/h2")[0]) == "أبرز الأحداث"
    assert _text(shown.xpath(".//p[@class='brf-entry__updated']")[0]) == "حُدِّث الساعة 02:10"
    tabs = page.xpath("//nav[contains(@class, 'md-tabs')]//a[contains(@class, 'md-tabs__link')]")
    assert [_text(tab) for tab in tabs] == ["الأحدث", "الأرشيف", "المدن", "الشخصيات"]
    words = json.loads(page.xpath("//script[@id='brf-words']")[0].text)
    # Babel's expression puts CLDR's "other" (100) at msgstr[4] and "many" (11 to 99) at msgstr[5].
    assert words["updates"] == {
        "zero": "%(num)d تحديث", "one": "%(num)d تحديث", "two": "%(num)d تحديثان",
        "few": "%(num)d تحديثات", "many": "%(num)d تحديثًا", "other": "%(num)d تحديث",
    }  # fmt: skip
    assert "Page not found" not in (project.site / "404.html").read_text("utf-8")


def test_an_alias_s_redirect_page_in_arabic_reads_right_to_left(tmp_path: Path) -> None:
    project = make_project(tmp_path, SETTINGS.replace("language: uk", "language: ar"))
    project.write("site_config/cities.yml", "- name: بيروت\n  aliases: [Beirut]\n")
    project.entry("2024/10/01/u.md", "title: غارة\npublished: 2024-10-01T09:00:00+03:00\ncities: [بيروت]")
    assert project.build().code == 0
    page = lxml.html.fromstring((project.site / "cities/beirut/index.html").read_bytes())
    assert (page.get("lang"), page.get("dir")) == ("ar", "rtl")


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 تحديث"), (1, "1 تحديث"), (2, "2 تحديثان"), (3, "3 تحديثات"), (10, "10 تحديثات"), (11, "11 تحديثًا"),
     (99, "99 تحديثًا"), (100, "100 تحديث"), (102, "102 تحديث"), (103, "103 تحديثات"), (111, "111 تحديثًا")],
)  # fmt: skip
def test_arabic_counts_follow_its_plural_rules(count: int, expected: str) -> None:
    assert counted_in("ar", count, "update") == expected


def test_a_site_in_chinese_speaks_simplified_chinese(tmp_path: Path) -> None:
    project = _built_in("zh", tmp_path)
    page = project.page("2022/03/03/")
    assert page.get("lang") == "zh"
    shown = article(page)
    assert _text(shown.xpath(".//h1")[0]) == "2022年3月3日"
    assert _text(shown.xpath(".//aside[@class='brf-key']/h2")[0]) == "要闻"
    assert _text(shown.xpath(".//span[@class='brf-zone__count']")[0]) == "2条更新"
    assert _text(shown.xpath(".//p[@class='brf-zone']")[0]).startswith("2条更新。时间均为")  # Chinese full stop
    assert _text(shown.xpath(".//p[@class='brf-entry__byline']")[0]) == "作者：Olena Kovalenko"
    tabs = page.xpath("//nav[contains(@class, 'md-tabs')]//a[contains(@class, 'md-tabs__link')]")
    assert [_text(tab) for tab in tabs] == ["最新", "存档", "城市", "人物"]
    archive = article(project.page("archive/"))
    assert _text(archive.xpath(".//details[@class='brf-month']//h3")[0]) == "2022年3月"
    assert _text(archive.xpath(".//details[@class='brf-month']//span[@class='brf-cal-total']")[0]) == "3条更新，2天"
    assert [_text(th) for th in archive.xpath(".//table[@class='brf-cal']/thead//th")] == ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
    words = json.loads(page.xpath("//script[@id='brf-words']")[0].text)
    assert words["newUpdates"] == {"other": "%(num)d条新更新"}  # one form, whatever the count
    assert "<h1>找不到页面</h1>" in (project.site / "404.html").read_text("utf-8")


def test_a_regional_chinese_code_finds_the_chinese_catalogue() -> None:
    assert counted_in("zh-CN", 21, "update") == "21条更新" and counted_in("zh", 1, "city") == "1个城市"


def test_a_language_without_a_catalogue_warns_once_and_speaks_english(tmp_path: Path) -> None:
    project = make_project(tmp_path, SETTINGS.replace("language: uk", "language: pl"))
    project.entry("2022/03/03/curfew.md", "title: Curfew\npublished: 2022-03-03T09:00:00+02:00")
    result = project.build()
    assert result.code == 0, result.err
    warning = (
        f"{project.config / 'settings.yml'}:4: warning: 'language: pl': the site's own words have no catalogue in this"
        " language, and are in English (catalogues: ar, en, ru, uk, zh; CONTRIBUTING.md says how to add one)"
    )
    assert result.out.count("'language: pl'") == 1 and warning in result.out
    page = project.page("2022/03/03/")
    assert page.get("lang") == "pl"  # material has Polish: its own words are
    assert _text(article(page).xpath(".//h1")[0]) == "3 March 2022"


def test_a_countrys_code_given_for_its_language_is_told_the_languages(tmp_path: Path) -> None:
    project = make_project(tmp_path, SETTINGS.replace("language: uk", "language: ua"))
    result = project.check()
    assert (
        f"{project.config / 'settings.yml'}:4: warning: 'language: ua': the site's own words have no catalogue in this"
        " language, and are in English (catalogues: ar, en, ru, uk, zh; CONTRIBUTING.md says how to add one); did you mean 'uk'?"
        " (UA is a country's code)"
    ) in result.lines


def test_a_change_of_language_renders_every_page_again(tmp_path: Path) -> None:
    project = make_project(tmp_path, SETTINGS.replace("language: uk", "language: en"))
    _ukrainian(project)
    project.write("site_config/settings.yml", SETTINGS.replace("language: uk", "language: en"))
    assert project.build().code == 0
    assert _text(article(project.page("2022/03/03/")).xpath(".//h1")[0]) == "3 March 2022"
    project.write("site_config/settings.yml", SETTINGS)
    assert project.build().code == 0  # with the cache of the English build
    for url in ("2022/03/03/", "cities/kyiv/", ""):
        page = project.page(url)
        assert page.get("lang") == "uk"
        assert "Key events" not in _text(article(page)) and "update" not in _text(article(page))
    assert "Сторінку не знайдено" in (project.site / "404.html").read_text("utf-8")


def test_the_catalogues_are_part_of_the_code_every_cache_answers_for() -> None:
    from generator.cache.fingerprint import PACKAGE, package_files

    assert {"locales/uk.po", "locales/briefings.pot"} <= {name for name, _ in package_files(PACKAGE)}


def test_pagefinds_search_box_translates_itself_from_the_pages_lang(built: Project) -> None:
    # Pagefind's UI reads <html lang> (material's, which follows the setting) and carries its own Ukrainian.
    (script, *_) = sorted(built.site.glob("pagefind/*/pagefind-ui.js"))
    text = script.read_text("utf-8")
    assert '"../../translations/uk.json"' in text and 'querySelector?.("html")?.getAttribute?.("lang")' in text
