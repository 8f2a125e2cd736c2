"""`briefings check` that teaches: unknown names, did-you-mean, unlisted mentions, file mode, annotations, schema."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest

from contrib_helpers import BRIEFINGS, DAY, REPO, cli, new_project, write_entry
from generator import yamlsafe
from generator.annotations import annotation, escape_data, escape_property
from generator.problems import Problem, Severity

TIME = "published: 2022-03-03T10:00:00+02:00"
PASSING = ": list it if the update is about {}; if it is only named in passing, write <!-- in passing --> right after the name"


@pytest.fixture(autouse=True)
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(new_project(tmp_path))
    return tmp_path


def entry(name: str, lists: str = "", body: str = "") -> Path:
    # A body of its own: two files of one title and body are the same update saved twice.
    return write_entry(f"2022/03/03/{name}.md", f"title: A title\n{TIME}\n{lists}", body or f"Body of {name}.")


def check(*args: str) -> tuple[int, list[str]]:
    run = cli("check", *args)
    return run.code, run.lines


# --- names no registry knows ------------------------------------------------------------------


def test_unknown_city_is_a_warning_naming_the_registry_file() -> None:
    entry("a", "cities: [Lviv]")
    assert check() == (0, [f"{DAY}/a.md:4: warning: unknown city 'Lviv': add it to site_config/cities.yml"])


def test_unknown_person_is_a_warning_at_its_own_line() -> None:
    entry("a", "people:\n  - Volodymyr Zelenskiy\n  - Ihor Terekhov")
    assert check() == (0, [f"{DAY}/a.md:6: warning: unknown person 'Ihor Terekhov': add it to site_config/people.yml"])


def test_unknown_name_is_an_error_under_strict() -> None:
    entry("a", "cities: [Lviv]")
    run = cli("check", "--strict")
    assert (run.code, run.lines) == (1, [f"{DAY}/a.md:4: error: unknown city 'Lviv': add it to site_config/cities.yml"])
    assert "1 error, 0 warnings" in run.err


def test_registry_names_and_aliases_are_known_in_any_case() -> None:
    entry("a", "cities: [Kyiv]\npeople: [ZELENSKY]")
    entry("b", "cities: [kiev]")
    entry("c", "cities: [Київ]")
    assert check("--strict") == (0, [])


@pytest.mark.parametrize(
    ("kind", "typed", "suggested"),
    [
        ("cities", "Kiyv", "Kyiv"),
        ("cities", "Khrakiv", "Kharkiv"),
        ("cities", "Chernihov", "Chernihiv"),
        ("cities", "Kharkow", "Kharkiv"),  # close to the alias Kharkov: the canonical name is offered
        ("people", "Volodymyr Zelenksy", "Volodymyr Zelenskiy"),
        ("people", "Josep Borel", "Josep Borrell"),
    ],
)
def test_misspelled_registry_name_gets_did_you_mean(kind: str, typed: str, suggested: str) -> None:
    entry("a", f"{kind}: [{typed}]")
    registry, word = ("cities.yml", "city") if kind == "cities" else ("people.yml", "person")
    assert check() == (
        0,
        [f"{DAY}/a.md:4: warning: unknown {word} '{typed}': add it to site_config/{registry} (did you mean '{suggested}'?)"],
    )


def test_did_you_mean_offers_names_already_used_in_the_archive() -> None:
    entry("a", "cities: [Bucha]")
    entry("b", "cities: [Bucah]")
    code, lines = check()
    assert lines == [
        f"{DAY}/a.md:4: warning: unknown city 'Bucha': add it to site_config/cities.yml (did you mean 'Bucah'?)",
        f"{DAY}/b.md:4: warning: unknown city 'Bucah': add it to site_config/cities.yml (did you mean 'Bucha'?)",
    ]


def test_nothing_close_means_no_suggestion() -> None:
    entry("a", "cities: [Odesa]")
    assert check()[1] == [f"{DAY}/a.md:4: warning: unknown city 'Odesa': add it to site_config/cities.yml"]


# --- names that look right but are not -----------------------------------------------------------


def test_an_invisible_character_in_a_known_name_is_named_with_its_place() -> None:
    # YAML's "\u200b" is a zero-width space: the file shows "Kyiv" and "Kharkov".
    entry("a", 'cities: ["Ky\\u200biv", "Khar\\u200bkov"]')
    assert check() == (0, [
        f"{DAY}/a.md:4: warning: city 'Kyiv' holds an invisible character, U+200B ZERO WIDTH SPACE, after 'Ky': retype the name",
        f"{DAY}/a.md:4: warning: city 'Kharkov' holds an invisible character, U+200B ZERO WIDTH SPACE, after 'Khar': "
        "retype the name (it is read as 'Kharkiv')",
    ])  # fmt: skip


def test_an_unknown_name_with_invisible_characters_is_told_both() -> None:
    entry("a", 'cities: ["\\ufeffKiyv\\u00ad"]')
    assert check() == (0, [
        f"{DAY}/a.md:4: warning: city 'Kiyv' holds invisible characters: U+FEFF ZERO WIDTH NO-BREAK SPACE before 'Kiyv' "
        "and U+00AD SOFT HYPHEN after 'Kiyv'; retype the name",
        f"{DAY}/a.md:4: warning: unknown city 'Kiyv': add it to site_config/cities.yml (did you mean 'Kyiv'?)",
    ])  # fmt: skip


def test_a_joiner_is_invisible_in_a_latin_name_but_spells_a_persian_one() -> None:
    entry("a", 'people: ["Volodymyr Zelens\\u200ckiy", "حسن\\u200cزاده"]')
    assert check()[1] == [
        f"{DAY}/a.md:4: warning: person 'Volodymyr Zelenskiy' holds an invisible character, U+200C ZERO WIDTH NON-JOINER, "
        "after 'Volodymyr Zelens': retype the name",
        f"{DAY}/a.md:4: warning: unknown person 'حسن\u200cزاده': add it to site_config/people.yml",
    ]


def test_a_name_of_invisible_characters_alone_is_told_to_go() -> None:
    entry("a", 'cities: [Kyiv, "\\u200b\\u200e"]')
    assert check()[1] == [
        f"{DAY}/a.md:4: warning: a name in 'cities' is nothing but invisible characters "
        "(U+200B ZERO WIDTH SPACE and U+200E LEFT-TO-RIGHT MARK): delete it"
    ]


def test_did_you_mean_never_offers_an_invisible_character_another_entry_pasted() -> None:
    entry("a", 'cities: ["Bu\\u200bcha"]')
    entry("b", "cities: [Bucah]")
    assert check()[1] == [
        f"{DAY}/a.md:4: warning: city 'Bucha' holds an invisible character, U+200B ZERO WIDTH SPACE, after 'Bu': retype the name",
        f"{DAY}/a.md:4: warning: unknown city 'Bucha': add it to site_config/cities.yml (did you mean 'Bucah'?)",
        f"{DAY}/b.md:4: warning: unknown city 'Bucah': add it to site_config/cities.yml (did you mean 'Bucha'?)",
    ]


def test_a_letter_of_another_alphabet_that_looks_alike_is_named() -> None:
    # "Kуiv" holds a Cyrillic "у", "Харкiв" a Latin "i": each looks right in any font.
    entry("a", "cities: [Kуiv, Харкiв]\npeople: [Vоlоdymyr Zеlenskiy, Volodymyr Зеленський]")
    assert check() == (0, [
        f"{DAY}/a.md:4: warning: unknown city 'Kуiv' mixes Latin and Cyrillic letters: 'у' is Cyrillic; "
        "retype it in Latin letters (did you mean 'Kyiv'?)",
        f"{DAY}/a.md:4: warning: unknown city 'Харкiв' mixes Cyrillic and Latin letters: 'i' is Latin; "
        "retype it in Cyrillic letters (did you mean 'Kharkiv'?)",
        f"{DAY}/a.md:5: warning: unknown person 'Vоlоdymyr Zеlenskiy' mixes Latin and Cyrillic letters: 'о' and 'е' are "
        "Cyrillic; retype it in Latin letters (did you mean 'Volodymyr Zelenskiy'?)",
        # Words each in one alphabet are plain to see: only the did-you-mean is offered.
        f"{DAY}/a.md:5: warning: unknown person 'Volodymyr Зеленський': add it to site_config/people.yml "
        "(did you mean 'Volodymyr Zelenskiy'?)",
    ])  # fmt: skip


def test_did_you_mean_never_offers_a_name_of_mixed_alphabets_another_entry_used() -> None:
    entry("a", "cities: [Bucha]")
    entry("b", "cities: [Bучa]")
    assert check()[1] == [
        f"{DAY}/a.md:4: warning: unknown city 'Bucha': add it to site_config/cities.yml",
        f"{DAY}/b.md: warning: 'Bучa' makes the same URL as 'Bucha'; its page is /cities/bucha-2/",
        f"{DAY}/b.md:4: warning: unknown city 'Bучa' mixes Latin and Cyrillic letters: 'у' and 'ч' are Cyrillic; "
        "retype it in Latin letters (did you mean 'Bucha'?)",
    ]


def test_a_registry_name_is_suggested_before_another_files_slip() -> None:
    entry("a", "people: [Vitaly Klitchko]")
    entry("b", "people: [Vitaly Klichko]")
    assert check()[1] == [
        f"{DAY}/a.md:4: warning: unknown person 'Vitaly Klitchko': add it to site_config/people.yml (did you mean 'Vitali Klitschko'?)",
        f"{DAY}/b.md:4: warning: unknown person 'Vitaly Klichko': add it to site_config/people.yml (did you mean 'Vitali Klitschko'?)",
    ]


def test_an_invisible_character_in_a_title_an_address_or_a_body_is_named_with_its_place() -> None:
    write_entry(
        "2022/03/03/a.md",
        f"title: Sirens in Kharkiv\u200b\n{TIME}\ncities: [Kharkiv]\nsources:\n  - name: RFE/RL\n    url: https://www.rferl.org/a/31668477.html\u200b",
        "Sirens sounded in Khar\u00adkiv again.",
    )
    why = "(copied text brings such characters along unseen; one in an address breaks the link, one in a word keeps the word from being found)"
    assert check("--strict") == (1, [
        f"{DAY}/a.md:2: error: an invisible character, U+200B ZERO WIDTH SPACE, after 'title: Sirens in Kharkiv': delete it {why}",
        f"{DAY}/a.md:7: error: an invisible character, U+200B ZERO WIDTH SPACE, after '…/www.rferl.org/a/31668477.html': delete it {why}",
        f"{DAY}/a.md:9: error: an invisible character, U+00AD SOFT HYPHEN, after 'Sirens sounded in Khar': delete it {why}",
    ])  # fmt: skip


@pytest.mark.parametrize(
    ("title", "told"),
    [
        ("Kyiv's *mayor* speaks", "the title is plain text, and shows '*mayor*' as written: write it without the marks "
                                  "(a title is shown in bold already)"),
        ("Kyiv's [mayor](https://example.org/) speaks", "the title is plain text, and shows '[mayor](https://example.org/)' "
                                                       "as written: write it without the marks (a title is shown in bold already)"),
        ("Officials say " + "the talks will go on " * 8, "the title is 181 characters: a headline over 150 reads as a "
         "paragraph in the day's list, the feeds and search results; keep the news in it, and put the rest in the body"),
        ("Inflation <5% but losses >10% in 2*3 regions", None),  # no markup: signs and figures
    ],
)
def test_a_title_with_markup_or_the_length_of_a_paragraph_is_told_how_to_write_it(title: str, told: str | None) -> None:
    write_entry("2022/03/03/a.md", f"title: {yamlsafe_quoted(title)}\n{TIME}", "Body of a.")
    assert check()[1] == ([f"{DAY}/a.md:2: warning: {told}"] if told else [])


def yamlsafe_quoted(text: str) -> str:
    return '"' + text.strip().replace('"', '\\"') + '"'


def test_tags_are_told_to_be_written_as_tags_are_and_once() -> None:
    entry("a", "tags: [Air Defence, shelling, Shelling, обстріли]")
    assert check()[1] == [
        f"{DAY}/a.md:4: warning: the tag 'Air Defence' is not written as tags are (lowercase words joined by hyphens): "
        "write air-defence",
        f"{DAY}/a.md:4: warning: the tag 'Shelling' is listed already: list it once",
    ]


def test_a_name_in_a_word_processors_quotes_is_told_to_lose_them() -> None:
    entry("a", "cities: [“Kyiv”, «Ірпінь»]")
    assert check()[1] == [
        f"{DAY}/a.md:4: warning: '“Kyiv”' is in quotes, which YAML keeps as part of the name: write Kyiv",
        f"{DAY}/a.md:4: warning: '«Ірпінь»' is in quotes, which YAML keeps as part of the name: write Ірпінь",
    ]


# --- a name listed twice -----------------------------------------------------------------------------


def test_a_city_listed_twice_by_any_spelling_is_told_at_the_line_of_the_second() -> None:
    entry("a", "cities: [Kyiv, Kyiv, kiev]\npeople:\n  - Zelensky\n  - Vitali Klitschko\n  - Volodymyr Zelenskiy")
    assert check() == (0, [
        f"{DAY}/a.md:4: warning: 'cities' names Kyiv three times ('Kyiv', 'Kyiv', 'kiev'): list it once",
        f"{DAY}/a.md:8: warning: 'people' names Volodymyr Zelenskiy twice ('Zelensky', 'Volodymyr Zelenskiy'): list it once",
    ])  # fmt: skip


def test_a_name_no_registry_knows_listed_twice_is_told_too() -> None:
    entry("a", "cities: [Bucha, Irpin, BUCHA]")
    assert check()[1] == [
        f"{DAY}/a.md:4: warning: unknown city 'Bucha': add it to site_config/cities.yml",
        f"{DAY}/a.md:4: warning: unknown city 'Irpin': add it to site_config/cities.yml",
        f"{DAY}/a.md:4: warning: unknown city 'BUCHA': add it to site_config/cities.yml",
        f"{DAY}/a.md:4: warning: 'cities' names Bucha twice ('Bucha', 'BUCHA'): list it once",
    ]


# --- known names in the body that the front matter does not list -----------------------------------


def test_unlisted_city_mention_names_its_body_line() -> None:
    entry("a", "cities: []", "First line.\n\nSirens sounded in Kyiv before dawn.")
    assert check() == (0, [f"{DAY}/a.md:8: warning: Kyiv is mentioned but not listed in 'cities'" + PASSING.format('Kyiv')])


def test_a_city_named_as_a_link_or_in_bold_is_a_mention_too() -> None:
    entry("a", "cities: []", "Troops reached the centre of [Kherson](https://example.org/kherson).\n\nSirens in **Kyiv** again.")
    assert check()[1] == [
        f"{DAY}/a.md:6: warning: Kherson is mentioned but not listed in 'cities'" + PASSING.format("Kherson"),
        f"{DAY}/a.md:8: warning: Kyiv is mentioned but not listed in 'cities'" + PASSING.format("Kyiv"),
    ]


def test_unlisted_person_mention_by_alias_shows_the_spelling() -> None:
    entry("a", "", "Zelensky spoke overnight.")
    assert check()[1] == [f"{DAY}/a.md:5: warning: Volodymyr Zelenskiy (as 'Zelensky') is mentioned but not listed in 'people'" + PASSING.format('Volodymyr Zelenskiy')]


def test_unlisted_mention_is_an_error_under_strict() -> None:
    entry("a", "", "Explosions were heard over Kharkiv.")
    assert check("--strict") == (1, [f"{DAY}/a.md:5: error: Kharkiv is mentioned but not listed in 'cities'" + PASSING.format('Kharkiv')])


def test_each_unlisted_entity_is_reported_once_at_its_first_line() -> None:
    entry("a", "", "In Kyiv, sirens.\nMore sirens in Kyiv.\nZelenskiy spoke in Kiev.")
    assert check()[1] == [
        f"{DAY}/a.md:5: warning: Kyiv is mentioned but not listed in 'cities'" + PASSING.format('Kyiv'),
        f"{DAY}/a.md:7: warning: Volodymyr Zelenskiy (as 'Zelenskiy') is mentioned but not listed in 'people'" + PASSING.format('Volodymyr Zelenskiy'),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Sirens sounded in Kyiv.",  # listed by its alias below
        "Moscow said the talks would go on.",  # a capital named for its government
        "Sanctions against Moscow widened.",
        "Shelling in the Kyiv region went on.",  # the region, not the city
        "The Sumyshchyna plan and sumy were discussed in detail.",  # not whole words in the registry's spelling
        "See [the report](https://example.org/in/Kharkiv) and https://example.org/in-Sumy.",
    ],
)
def test_no_mention_warning_for_listed_names_and_non_place_uses(body: str) -> None:
    entry("a", "cities: [Kiev]", body)
    assert check("--strict") == (0, [])


def test_a_name_declined_in_ukrainian_or_russian_is_a_mention_too() -> None:
    entry("a", "cities: []\npeople: []", "Уночі у Києві лунали сирени.\n\nЕвакуація з Харкова триває; в Харькове тоже.\n\nМер Маріуполя Вадим Бойченко заявив.")
    assert check()[1] == [
        f"{DAY}/a.md:7: warning: Kyiv (as 'Києві') is mentioned but not listed in 'cities'" + PASSING.format("Kyiv"),
        f"{DAY}/a.md:9: warning: Kharkiv (as 'Харкова') is mentioned but not listed in 'cities'" + PASSING.format("Kharkiv"),
        f"{DAY}/a.md:11: warning: Mariupol (as 'Маріуполя') is mentioned but not listed in 'cities'" + PASSING.format("Mariupol"),
        f"{DAY}/a.md:11: warning: Vadym Boichenko (as 'Вадим Бойченко') is mentioned but not listed in 'people'"
        + PASSING.format("Vadym Boichenko"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Уночі у Києві лунали сирени.",  # listed, by its English name
        "Київ заявив про нові санкції.",  # a capital named for its government
        "Суми коштів на відбудову зросли.",  # a word spelled as a city, placing nothing
        "Мер Харкова<!-- in passing --> заявив про обстріли.",  # named in passing
    ],
)
def test_no_warning_for_a_declined_name_listed_in_passing_or_placing_nothing(body: str) -> None:
    entry("a", "cities: [Kyiv]", body)
    assert check("--strict") == (0, [])


def test_leftover_placeholder_from_new_is_reported() -> None:
    cli("new", "Sirens", "--at", "2022-03-03T10:00")
    assert check()[1] == [f"{DAY}/sirens.md:17: warning: the body still has the placeholder from 'briefings new': write the update there"]


# --- checking named files -------------------------------------------------------------------------


def test_named_files_are_checked_alone_with_the_archive_as_context() -> None:
    target = entry("a", "cities: [Bucah]")
    entry("b", "cities: [Bucha, Nowhere]")  # its own problems are not reported
    write_entry("2022/03/04/broken.md", "title: [")
    run = cli("check", target)
    assert (run.code, run.lines) == (
        0,
        [f"{DAY}/a.md:4: warning: unknown city 'Bucah': add it to site_config/cities.yml (did you mean 'Bucha'?)"],
    )
    assert run.err.endswith("ok: 1 file checked\n")


def test_a_named_file_draws_its_did_you_mean_from_every_day_of_the_archive() -> None:
    target = entry("a", "cities: [Bucah]")
    write_entry("2022/02/27/elsewhere.md", "title: Elsewhere\npublished: 2022-02-27T10:00:00+02:00\ncities: [Bucha]")
    assert cli("check", target).lines == [
        f"{DAY}/a.md:4: warning: unknown city 'Bucah': add it to site_config/cities.yml (did you mean 'Bucha'?)"
    ]


def test_named_file_clashing_with_its_neighbour_is_an_error() -> None:
    entry("same", "")
    write_entry("2022/03/03/same_.md", f"title: Other\n{TIME}")
    message = "two entries of one day need different file names"
    for named, other in ((f"{DAY}/same_.md", f"{DAY}/same.md"), (f"{DAY}/same.md", f"{DAY}/same_.md")):
        # Whichever file is named, the one clash is reported once, naming both files.
        code, lines = check(named)
        assert code == 1
        assert lines in (
            [f"{other}: error: entry 'same' on 2022-03-03 is also {named}; {message}"],
            [f"{named}: error: entry 'same' on 2022-03-03 is also {other}; {message}"],
        )


def test_named_files_that_are_no_entries_are_errors(project: Path) -> None:
    entry("a", "")
    code, lines = check("content/2022/03/03/missing.md", "site_config/cities.yml", str(project / DAY / "a.md"), "content/notes.txt")
    Path("content/notes.txt").write_text("x")
    assert code == 1
    assert lines == [  # what is said of the settings' folder first, as in every check
        "site_config/cities.yml: error: not under content/: run 'briefings check' without file names to check everything",
        "content/2022/03/03/missing.md: error: file not found",
        "content/notes.txt: error: file not found",
    ]
    assert check("content/notes.txt") == (1, ["content/notes.txt: error: not an entry: entry files end in '.md'"])


def test_named_file_errors_exit_one() -> None:
    path = write_entry("2022/03/03/bad.md", "title: x")
    assert check(str(path)) == (1, [f"{DAY}/bad.md:2: error: missing required field 'published'"])


# --- GitHub annotations -----------------------------------------------------------------------------


def test_github_format_prints_annotations() -> None:
    entry("a", "cities: [Kiyv]", "Sirens in Kharkiv.")
    write_entry("2022/03/03/bad.md", "title: x")
    run = cli("check", "--format", "github")
    assert run.code == 1  # bad.md has an error; the warnings stay warnings
    assert run.lines == [
        f"::warning file={DAY}/a.md,line=4::unknown city 'Kiyv': add it to site_config/cities.yml (did you mean 'Kyiv'?)",
        f"::warning file={DAY}/a.md,line=6::Kharkiv is mentioned but not listed in 'cities'" + PASSING.format('Kharkiv'),
        f"::error file={DAY}/bad.md,line=2::missing required field 'published'",
    ]


def test_github_format_under_strict_and_without_a_line() -> None:
    write_entry("2022/03/03/notes.markdown", "title: x\npublished: 2022-03-03T10:00:00+02:00")
    assert check("--strict", "--format", "github") == (
        1,
        [f"::error file={DAY}/notes.markdown::not read as an entry, nor published: entry files end in '.md'"],
    )


def test_annotation_escaping_follows_github_rules() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    problem = Problem("content/x, y:z.md", 3, Severity.ERROR, "bad: 50%, a\nb")
    assert annotation(problem) == "::error file=content/x%2C y%3Az.md,line=3::bad: 50%25, a%0Ab"


def test_console_script_prints_annotations_in_a_subprocess(project: Path) -> None:
    entry("a", "cities: [Lviv]")
    done = subprocess.run(
        [BRIEFINGS, "check", "--strict", "--format", "github"], cwd=project, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert done.stdout == f"::error file={DAY}/a.md,line=4::unknown city 'Lviv': add it to site_config/cities.yml\n"
    assert done.stderr == "1 error, 0 warnings\n"


# --- the JSON Schema ---------------------------------------------------------------------------------

SCHEMA = REPO / "generator" / "schemas" / "entry.schema.json"
EXPORTED = REPO / "site_config" / "entry.schema.json"

# Front matter that check rejects, each with check's message (line 2 is the first field).
REJECTED = [
    ("title: 12\n" + TIME, "2: error: 'title' must be text, not 12 (a number) (put the value in quotes)"),
    (TIME, "2: error: missing required field 'title'"),
    ("title: x", "2: error: missing required field 'published'"),
    ("title: x\n" + TIME + "\ncities: Kyiv", "4: error: 'cities' must be a list, not 'Kyiv': write it as cities: [Kyiv]"),
    ("title: x\n" + TIME + "\nkey: maybe", "4: error: 'key' must be true or false, not 'maybe'"),
    ("title: x\n" + TIME + "\nsources:\n  - name: X", "5: error: missing required field 'url' in source 1"),
    (
        "title: x\n" + TIME + "\nsources:\n  - name: X\n    url: ftp://example.org/",
        "6: error: 'url' of source 1 must be an http:// or https:// URL: 'ftp://example.org/'",
    ),
    (
        "title: x\npublished: March 3",
        "3: error: 'published' must be an ISO 8601 time with a UTC offset or Z, like 2022-03-03T09:40:00+02:00: 'March 3'",
    ),
]


def test_exported_schema_is_byte_identical_to_the_one_check_uses() -> None:
    assert EXPORTED.read_bytes() == SCHEMA.read_bytes()


def test_schema_command_writes_and_checks_the_copy() -> None:
    assert cli("schema", "--check").lines == ["site_config/entry.schema.json: error: differs from the schema 'check' uses: run 'briefings schema' to update it"]
    run = cli("schema")
    assert (run.code, run.lines) == (0, ["site_config/entry.schema.json"])
    assert Path("site_config/entry.schema.json").read_bytes() == SCHEMA.read_bytes()
    assert cli("schema", "--check").code == 0


def test_schema_into_a_config_folder_that_does_not_exist_is_one_clear_error() -> None:
    run = cli("schema", "--config", "no-such-folder")
    assert (run.code, run.err.splitlines()) == (1, [
        "briefings: error: cannot write no-such-folder/entry.schema.json: No such file or directory"
    ])  # fmt: skip


def test_check_warns_when_the_copy_is_stale() -> None:
    Path("site_config/entry.schema.json").write_text("{}")
    assert check() == (0, ["site_config/entry.schema.json: warning: differs from the schema 'check' uses: run 'briefings schema' to update it"])


@pytest.mark.parametrize(("front", "message"), REJECTED)
def test_schema_rejects_what_check_rejects(front: str, message: str) -> None:
    path = write_entry("2022/03/03/x.md", front)
    assert check() == (1, [f"{path.as_posix()}:{message}"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yamlsafe.load(front).data, json.loads(EXPORTED.read_text("utf-8")))


def test_schema_accepts_what_check_accepts() -> None:
    front = "title: x\n" + TIME + "\ncities: [Kyiv]\nsources:\n  - name: X\n    url: https://example.org/\nkey: true"
    write_entry("2022/03/03/x.md", front)
    assert check("--strict") == (0, [])
    jsonschema.validate(yamlsafe.load(front).data, json.loads(EXPORTED.read_text("utf-8")))


# --- every teaching rule, with its exact message -------------------------------------------------

SOURCES = "sources:\n  - name: RFE/RL\n    url: https://www.rferl.org/"
PEOPLE, CITIES = "site_config/people.yml", "site_config/cities.yml"

# (file name, front matter after title and time, body, expected lines without "content/2022/03/03/NAME.md:").
TEACHING = [
    ("person-as-city", "cities: [Vitali Klitschko]", "",
     ["4: warning: 'Vitali Klitschko' is a person in site_config/people.yml: list it under 'people', not 'cities'"]),
    ("city-as-person", "people: [Kiev]", "",
     ["4: warning: 'Kiev' is a city in site_config/cities.yml: list it under 'cities', not 'people'"]),
    ("surname-alone", "people: [Klitschko]", "",
     [f"4: warning: unknown person 'Klitschko': add it to {PEOPLE} (did you mean 'Vitali Klitschko' or 'Volodymyr Klitschko'?)"]),
    ("given-name-alone", "people: [Emine]", "",
     [f"4: warning: unknown person 'Emine': add it to {PEOPLE} (did you mean 'Emine Dzhaparova'?)"]),
    ("other-script", "people: [Кличко Віталій]", "",
     [f"4: warning: unknown person 'Кличко Віталій': add it to {PEOPLE} (did you mean 'Vitali Klitschko'?)"]),
    ("other-transliteration", "cities: [Charkiw]\npeople: [Dmytro Zhivitsky]", "",
     [f"4: warning: unknown city 'Charkiw': add it to {CITIES} (did you mean 'Kharkiv'?)",
      f"5: warning: unknown person 'Dmytro Zhivitsky': add it to {PEOPLE} (did you mean 'Dmytro Zhivitskiy'?)"]),
    ("person-typo-under-cities", "cities: [Klitchko]", "",
     [f"4: warning: unknown city 'Klitchko': add it to {CITIES} (did you mean the person 'Vitali Klitschko', listed under 'people'?)"]),
    ("capital-for-government", "", "The government in Kyiv said talks would go on. Officials in Moscow denied it.", []),
    ("in-passing", "", "Sirens sounded in Kyiv<!-- in passing --> as talks began.", []),
    ("empty-body", "", " ", ["4: warning: the body is empty: write the update below the closing '---'"]),
    ("missing-picture", "", "First line.\n\n![Map of the front](map.png)",
     ["7: warning: the picture 'map.png' leads to no file: content/2022/03/03/map.png does not exist"]),
    ("link-to-a-missing-entry", "", "As [reported](../02/missing.md).",
     ["5: warning: the link '../02/missing.md' leads to no file: content/2022/03/02/missing.md does not exist"]),
    ("link-with-a-fragment", "", "As [reported](link-with-a-fragment.md#podil).",
     ["5: warning: the link 'link-with-a-fragment.md#podil' leads to that update as a whole, as an update has no anchors "
      "inside it: '#podil' is left out; link 'link-with-a-fragment.md'"]),
    ("link-from-the-root", "", "As [reported](/content/2022/03/02/x.md).",
     ["5: warning: the link '/content/2022/03/02/x.md' starts with '/': on GitHub it leads from the repository's root, "
      "on the site from the host's, which is not the archive's when it is under a path; give the path from this file "
      "instead, or a full https:// address"]),
    ("picture-on-a-computer", "", "The bridge:\n\n![The bridge](C:\\Users\\anna\\Pictures\\bridge.jpg)",
     ["7: warning: the picture 'C:\\Users\\anna\\Pictures\\bridge.jpg' is on your computer, where readers cannot "
      "see it: add bridge.jpg beside the entry and write ![what it shows](bridge.jpg)"]),
    ("picture-on-another-site", "", "An alert sounded.![][p]\n\n[p]: https://tracker.example/t.gif?r=feed",
     ["7: warning: the picture 'https://tracker.example/t.gif?r=feed' is on another site: each reader's browser asks "
      "that site for it, telling it who reads, and it is gone when that site removes it; add the picture beside the "
      "entry and write ![what it shows](t.gif)"]),
    ("pixel-in-raw-html", "", 'An alert. <IMG SRC="https://tracker.example/p.png" width=1>',
     ["5: warning: the picture 'https://tracker.example/p.png' is on another site: each reader's browser asks that "
      "site for it, telling it who reads, and it is gone when that site removes it; add the picture beside the entry "
      "and write ![what it shows](p.png)"]),
    ("front-matter-as-an-example", "", "An example of an entry:\n\n```\n---\ntitle: An example\n```", []),
    ("a-post-quoted-in-a-list", "", "1. The first post:\n\n    ```\n    We will not give up our city to the invaders.\n    ```", []),
    ("link-to-a-computer", "", "See [the report](file:///C:/Reports/report.docx).",
     ["5: warning: the link 'file:///C:/Reports/report.docx' leads to a file on your computer, where readers cannot "
      "follow it: link a full https:// address"]),
    ("front-matter-twice", "", "Sirens sounded.\n\n---\ntitle: Front matter twice\npublished: 2022-03-03T10:00:00+02:00\n---\n"
     "Sirens sounded.",
     ["7: warning: a second front matter ('---', then 'title:') is in the body, and the site would show its fields as "
      "text: delete it, from this '---' to the next"]),
    ("indented-like-a-letter", "", "The mayor spoke at dawn.\n\n\tShe said the night was calm in the capital.",
     ["7: warning: this paragraph starts with a tab or four spaces, so the site shows it as code, in a fixed-width "
      "font and without its links: remove the indent"]),
    ("link-outside", "", "See [the guide](../../../../CONTRIBUTING.md).",
     ["5: warning: the link '../../../../CONTRIBUTING.md' leads outside content/, which is not published: "
      "link a full https:// address"]),
    ("title-repeated-as-heading", "", "## A title!\n\nThe update itself.",
     ["5: warning: the body starts with the title as a heading: the page shows the title above the body already, "
      "so delete that line"]),
    ("another-heading-first", "", "## Background\n\nThe update itself.", []),
    ("footnote-without-note", "", "A figure[^1].",
     ["5: warning: footnote [^1] has no note: add a line '[^1]: ...' at the end of the body"]),
    ("task-list", "", "Still to confirm:\n\n- [ ] casualties",
     ["7: warning: task list boxes ('- [ ]') show as text on the site: write the list without the brackets"]),
    ("alert", "", "> [!WARNING]\n> Unverified.",
     ["5: warning: '> [!WARNING]' shows as a plain quote on the site, with [!WARNING] in it: write the note as a sentence"]),
    ("diagram", "", "```mermaid\ngraph TD; A-->B\n```",
     ["5: warning: a ```mermaid block shows as code on the site, not as GitHub draws it: add a picture instead"]),
    ("math", "", "The ratio is $$a/b$$.", ["5: warning: math ($$ ... $$) shows as plain text on the site: write it out in words"]),
    ("spaced-address", "", "The square:\n\n![Photo of the square](kharkiv square.jpg)",
     ["7: warning: '![Photo of the square](kharkiv square.jpg)' shows as text, not as a picture: an address cannot hold a "
      "space; write it as ![Photo of the square](<kharkiv square.jpg>), or name the file without spaces"]),
    ("address-and-title", "", 'See [the report](https://www.rferl.org/a/1.html "RFE/RL").', []),
    ("footnote-and-table", "", "A figure[^1].\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n[^1]: Unverified.", []),
    ("code-is-code", "", "`[^1]` and\n\n```\n- [ ] $$x$$ [!NOTE]\n```", []),
]  # fmt: skip


@pytest.mark.parametrize(("name", "lists", "body", "expected"), TEACHING, ids=[c[0] for c in TEACHING])
def test_teaching_rule(name: str, lists: str, body: str, expected: list[str]) -> None:
    entry(name, lists, body or "Body of a case.")
    if body == " ":
        Path(f"{DAY}/{name}.md").write_text(f"---\ntitle: A title\n{TIME}\n---\n\n", "utf-8")
    assert check()[1] == [f"{DAY}/{name}.md:{line}" for line in expected]


def test_no_sources_where_settings_require_them(project: Path) -> None:
    settings = project / "site_config" / "settings.yml"
    settings.write_text(settings.read_text("utf-8").replace("require_sources: false", "require_sources: true"), "utf-8")
    entry("a", "sources: []")
    entry("b", SOURCES)
    entry("c", "")
    entry("d", "draft: true")  # a draft may be merged before its sources are in
    told = ("warning: no sources: say where the facts come from, under 'sources:' as \"  - name: RFE/RL\" and, on the next "
            "line, \"    url: https://www.rferl.org/...\" (site_config/settings.yml requires sources)")  # fmt: skip
    assert check() == (0, [f"{DAY}/a.md:4: {told}", f"{DAY}/c.md:4: {told}"])  # at the closing line without sources
    assert check("--strict")[0] == 1


def test_a_registry_alias_like_a_typo_is_warned_about(project: Path) -> None:
    cities = project / "site_config" / "cities.yml"
    cities.write_text(cities.read_text("utf-8").replace("aliases: [Маріуполь,", "aliases: [Mariupil, Маріуполь,"), "utf-8")
    entry("a", "cities: [Mariupil]")
    line = cities.read_text("utf-8").split("\n").index("  aliases: [Mariupil, Маріуполь, Мариуполь]") + 1
    assert check() == (0, [
        f"site_config/cities.yml:{line}: warning: alias 'Mariupil' of 'Mariupol' looks like a misspelling of 'Mariupol' "
        "(it spells none of Маріуполь, Мариуполь): an alias makes its spelling pass the check in every entry, so keep "
        "only real spellings",
    ])  # fmt: skip


@pytest.mark.parametrize("alias", ["Kharkov", "Kyyiv", "Borodianka", "Vitaliy Klitschko", "Zelenskyy", "Hennadii Lahuta"])
def test_aliases_that_transliterate_a_cyrillic_name_are_real_spellings(alias: str) -> None:
    from generator.problems import ProblemLog
    from generator.registry import load_registry
    from generator.registry_audit import suspicious_aliases

    registries = [load_registry(Path("site_config"), kind, ProblemLog()) for kind in ("city", "person")]
    assert any(alias in e.aliases for r in registries for e in r.entries)
    assert not [found for r in registries for found in suspicious_aliases(r)]
