"""Cities and people in imported updates: through the registries only, inflected forms included.

A name or alias in the registries is recognised where `briefings check` would
find it (a city only where the text places something there), and in Ukrainian
and Russian also declined ("у Києві", "з Віталієм Кличком"). Other proper names
are suggestions for the registries and never written to an entry.
"""

from __future__ import annotations

import json
from itertools import takewhile
from pathlib import Path

import pytest

from conftest import SAMPLE_CONFIG, Project, Result
from generator.importing.entities import EntityRecognizer
from generator.morphology import Morphology
from generator.problems import ProblemLog
from generator.registry import KINDS, load_registry
from import_support import entry, newsroom, run_import

REGISTRIES = {kind: load_registry(SAMPLE_CONFIG, kind, ProblemLog()) for kind in KINDS}

# Sentences as Ukrainian and Russian live blogs write them, with what they mention.
INFLECTED = [
    ("Мер Києва Віталій Кличко заявив, що вибухи були роботою ППО.", ["Kyiv"], ["Vitali Klitschko"]),
    ("У Харкові та Сумах тривають обстріли.", ["Kharkiv", "Sumy"], []),
    ("Президент говорив із Жузепом Боррелем у Кишиневі.", ["Chisinau"], ["Josep Borrell"]),
    ("Окупанти увійшли до Херсона, повідомив Ігор Колихаєв.", ["Kherson"], ["Ihor Kolykhayev"]),
    ("Війська стоять біля Чернігова.", ["Chernihiv"], []),
    ("Вадим Бойченко розповів про блокаду Маріуполя.", ["Mariupol"], ["Vadym Boichenko"]),
    ("Розмова з Віталієм Кличком тривала годину.", [], ["Vitali Klitschko"]),
    ("Жителі Бородянки залишаються без світла.", ["Borodyanka"], []),
    ("Делегація прибула до Бреста.", ["Brest"], []),
    ("Боєць із Сум повернувся додому.", ["Sumy"], []),
    ("Рятувальники працюють у Маріуполі та під Харковом.", ["Mariupol", "Kharkiv"], []),
    ("Володимир Кличко закликав до бойкоту.", [], ["Volodymyr Klitschko"]),
    ("В Киеве и Харькове слышны взрывы, сообщил Виталий Кличко.", ["Kyiv", "Kharkiv"], ["Vitali Klitschko"]),
    ("Встреча Владимира Зеленского и Жан-Ива Ле Дриана состоялась утром.", [], ["Volodymyr Zelenskiy", "Jean-Yves Le Drian"]),
    ("Колонна застряла под Киевом.", ["Kyiv"], []),
    ("Карим Хан прибыл в Гаагу.", ["The Hague"], ["Karim Khan"]),
    ("Эмине Джапаровой дали слово в Женеве.", ["Geneva"], ["Emine Dzhaparova"]),
    ("Губернатор Геннадий Лагута остался в Херсоне.", ["Kherson"], ["Hennady Lakhuta"]),
    # A city named for its government, a common word that is also a name: no mention.
    ("Сума збитків зростає, а Київ оголосив комендантську годину.", [], []),
    ("Киев заявил о новых санкциях.", [], []),
]


@pytest.fixture(scope="module")
def recognizer() -> EntityRecognizer:
    return EntityRecognizer(REGISTRIES, Morphology())


@pytest.mark.parametrize(("text", "cities", "people"), INFLECTED, ids=[t[:30] for t, _, _ in INFLECTED])
def test_inflected_ukrainian_and_russian_names_are_recognised(recognizer: EntityRecognizer, text: str, cities: list, people: list) -> None:
    found = recognizer.recognize("", text)
    assert (list(found.cities), list(found.people)) == (cities, people)


def test_without_the_dictionaries_most_inflected_mentions_are_missed() -> None:
    # Why the dictionaries: the registries' spellings alone find a quarter of these mentions.
    plain = EntityRecognizer(REGISTRIES)
    found = sum(len(set(plain.recognize("", t).cities) | set(plain.recognize("", t).people)) for t, _, _ in INFLECTED)
    expected = sum(len(c) + len(p) for _, c, p in INFLECTED)
    assert found < expected / 3


SUGGESTIONS = "names that no registry knows (add the cities and people among them to the registries, then import again with --refresh):"


def suggested(result: Result) -> list[str]:
    """The names the report suggests for the registries, as it lists them."""
    lines = result.err.splitlines()
    if SUGGESTIONS not in lines:
        return []
    return list(takewhile(lambda line: line.startswith("  "), lines[lines.index(SUGGESTIONS) + 1 :]))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return newsroom(tmp_path)


def feed(tmp_path: Path, *texts: str, field: str = "content_text") -> Path:
    """A JSON Feed of one item per text (in ``field``: its HTML with "content_html")."""
    path = tmp_path / "feed.json"
    items = [{"id": f"item-{n}", field: text, "date_published": f"2022-03-03T1{n}:00:00+02:00"} for n, text in enumerate(texts)]
    path.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "feed_url": "https://f.example/feed.json", "items": items}), "utf-8")
    return path


def test_aliases_land_on_the_canonical_name_and_places_need_a_place_word(project: Project, tmp_path: Path) -> None:
    run_import(project, feed(tmp_path, "Shelling was heard in Kiev and near Kharkov, Zelensky said.", "Moscow said talks would go on."))
    first, _ = entry(project, "2022/03/03/item-0.md")
    assert (first["cities"], first["people"]) == (["Kyiv", "Kharkiv"], ["Volodymyr Zelenskiy"])
    second, _ = entry(project, "2022/03/03/item-1.md")
    assert second["cities"] == []  # a capital named for its government


def test_other_names_are_suggested_for_the_registries_and_never_listed(project: Project, tmp_path: Path) -> None:
    result = run_import(project, feed(
        tmp_path,
        "Shelling hit homes in Irpin, said Oleksiy Kuleba, the head of the regional administration.",
        "Residents left Irpin by the bridge. Oleksiy Kuleba urged calm.",
        "У Ірпені тривають обстріли.",
    ))  # fmt: skip
    assert result.code == 0, result.err
    lines = result.err.splitlines()
    start = lines.index(SUGGESTIONS)
    assert lines[start + 1 : start + 4] == [
        "  Oleksiy Kuleba: 2 updates",
        "  Irpin: 1 update, named as a place",
        "  Ірпінь: 1 update, named as a place",
    ]
    for n in range(3):
        meta, _ = entry(project, f"2022/03/03/item-{n}.md")
        assert meta["cities"] == [] and meta["people"] == []
    assert project.check("--strict").code == 0  # no name any registry does not know


def test_a_name_never_runs_from_one_paragraph_heading_or_list_item_into_the_next(project: Project, tmp_path: Path) -> None:
    result = run_import(project, feed(
        tmp_path,
        "<p>Russian troops have taken the nuclear plant in Enerhodar</p><p>Click here for our full report.</p>",
        "<h2>Shelling near Irpin</h2><p>Oleksiy Kuleba urged residents to stay in shelters.</p>"
        "<ul><li>Evacuations from Bucha</li><li>Sirens in Lviv</li></ul>",
        field="content_html",
    ))  # fmt: skip
    assert result.code == 0, result.err
    assert suggested(result) == [
        "  Bucha: 1 update, named as a place",
        "  Enerhodar: 1 update, named as a place",
        "  Irpin: 1 update, named as a place",
        "  Lviv: 1 update, named as a place",
        "  Oleksiy Kuleba: 1 update",
    ]


def test_a_registry_name_in_any_declined_form_is_listed_and_never_suggested(project: Project, tmp_path: Path) -> None:
    rss = tmp_path / "rss.xml"
    rss.write_bytes("""<?xml version="1.0" encoding="windows-1251"?>
<rss version="2.0"><channel><title>Лента</title><link>https://lenta.example/live</link>
<item><title>Обстрелы Харькова</title><guid>https://lenta.example/live#1</guid>
<pubDate>Thu, 03 Mar 2022 14:00:00 +0200</pubDate><description>В Киеве слышны взрывы.</description></item>
</channel></rss>""".encode("windows-1251"))  # fmt: skip
    result = run_import(project, feed(tmp_path, "У Києві чути вибухи, в Ірпені тривають бої.", "Рятувальники працюють у Харкові."), rss)
    assert result.code == 0, result.err
    assert [entry(project, f"2022/03/03/{name}.md")[0]["cities"] for name in ("item-0", "item-1", "update-1")] == [
        ["Kyiv"], ["Kharkiv"], ["Kharkiv", "Kyiv"],
    ]  # fmt: skip
    assert suggested(result) == ["  Ірпінь: 1 update, named as a place"]


def test_a_declined_name_no_registry_knows_is_suggested_in_its_dictionary_form(project: Project, tmp_path: Path) -> None:
    result = run_import(project, feed(
        tmp_path,
        "Сирени лунали у Львові. У Охтирці зруйновано школу.",
        "Взрывы прогремели в Кременчуге. Разговор с Дмитрием Песковым не состоялся.",
    ))  # fmt: skip
    assert result.code == 0, result.err
    assert suggested(result) == [
        "  Дмитрий Песков: 1 update",  # not "Дмитриути", a Ukrainian guess at a Russian word
        "  Кременчуг: 1 update, named as a place",  # not "Кременчугий"
        "  Львів: 1 update, named as a place",  # not "Львов", a surname
        "  Охтирка: 1 update, named as a place",  # not "Охтирець", one who lives there
    ]
