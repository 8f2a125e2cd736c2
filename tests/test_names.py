"""Names and URLs: the matcher behind linked mentions and mention checks, and day URLs."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import urls
from generator.names import NameMatcher, name_key


def found(names: list[str], text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in NameMatcher(names).finditer(text)]


def test_whole_words_only_and_a_name_after_a_false_start_is_still_found() -> None:
    assert found(["Kyiv"], "XKyiv and Kyiv, Kyivan") == [(10, "Kyiv")]
    # "Lviv Oblast" inside "XLviv Oblast" is no match, but "Oblast" (a name too) is.
    assert found(["Lviv Oblast", "Oblast"], "XLviv Oblast") == [(6, "Oblast")]


def test_the_longest_name_wins_at_a_place() -> None:
    assert found(["New York", "New York City"], "In New York City today") == [(3, "New York City")]


def test_any_script_and_no_names_at_all() -> None:
    assert found(["Київ"], "Обстріл: Київ, 3 березня") == [(9, "Київ")]
    assert found([], "Kyiv") == [] and not NameMatcher([]).found_in("Kyiv")


@given(st.lists(st.sampled_from(["Kyiv", "Kharkiv", "Odesa", "Kyiv Oblast"]), max_size=5),
       st.text(alphabet="Kyivharkdesa OblstX,.", max_size=40))  # fmt: skip
def test_every_match_is_a_whole_word_of_a_known_name(names: list[str], text: str) -> None:
    for start, name in found(names, text):
        assert name in names and text[start : start + len(name)] == name
        assert start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")
        end = start + len(name)
        assert end == len(text) or not (text[end].isalnum() or text[end] == "_")


def test_name_key_folds_case_spacing_and_normal_form() -> None:
    assert name_key(" KYIV ") == name_key("kyiv") and name_key("Kyi\u0308v") == name_key("Kyïv") != name_key("Kyiv")


def test_name_key_drops_arabic_tatweel_which_only_stretches_a_word() -> None:
    assert name_key("بيـــروت") == name_key("بيروت") != name_key("بيرو")


def test_a_name_is_found_in_text_stretched_by_tatweel_but_not_inside_a_longer_word() -> None:
    matcher = NameMatcher(["بيروت"])
    assert [m.group() for m in matcher.finditer("انفجار في بيـــروت اليوم")] == ["بيـــروت"]
    assert list(matcher.finditer("بيروتي")) == []


def test_name_key_drops_characters_that_show_nothing_but_keeps_the_joiners_of_scripts_spelled_with_them() -> None:
    assert name_key("Ky\u200biv") == name_key("\ufeffKy\u00adiv\u200e") == name_key("Ky\u200civ") == name_key("Kyiv")
    assert name_key("حسن\u200cزاده") != name_key("حسنزاده")  # the Persian non-joiner is a spelling


@pytest.mark.parametrize("url", ["cities/kyiv/", "", "archive/", "2022/3/03/", "2022/02/30/", "2022/03/03", "2022/03/03/x/"])
def test_only_day_urls_name_a_day(url: str) -> None:
    assert urls.day_of_url(url) is None


@given(st.dates(min_value=date(1000, 1, 1)))
def test_day_of_url_inverts_day_url(day: date) -> None:
    assert urls.day_of_url(urls.day_url(day)) == day


@given(
    st.one_of(
        st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True),
        # Near misses: one character slugify changes (case, an underscore, a dot, an accent), or too long.
        st.tuples(st.from_regex(r"[a-z0-9-]{0,90}", fullmatch=True), st.sampled_from("_.AZé -"), st.integers(0, 90)).map(
            lambda t: t[0][: t[2]] + t[1] + t[0][t[2] :]
        ),
        st.from_regex(r"[a-z0-9]{75,90}", fullmatch=True),
        st.text(alphabet="a0-", max_size=8),  # hyphens doubled, leading or trailing
        st.text(max_size=90),
    )
)
def test_a_name_that_is_already_a_slug_keeps_it_as_slugify_would(text: str) -> None:
    from slugify import slugify

    from generator.names import slug_for

    assert slug_for(text) == slugify(text, lowercase=True, max_length=80, word_boundary=True)
