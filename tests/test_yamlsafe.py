"""Strict YAML (generator.yamlsafe) reads plain data exactly as PyYAML's safe loader does."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import yamlsafe

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=10)


@settings(max_examples=200, deadline=None)
@given(value=st.dictionaries(st.text(max_size=6), values, max_size=4))
def test_plain_yaml_loads_as_pyyaml_loads_it(value: dict) -> None:
    """yamlsafe takes text straight from the parser's nodes; PyYAML's constructor agrees."""
    text = yaml.safe_dump(value, allow_unicode=True)
    assert yamlsafe.load(text).data == yaml.safe_load(text)


def test_both_loaders_give_plain_scalars_the_same_types() -> None:
    """The C parser's path and the strict one (taken for any text with '&', '*' or '!') type alike;
    times stay text, and so does a bare '=' (YAML 1.1's "value" type, which nothing builds)."""
    text = "a: no\nb: 12:30\nc: ~\nd: ''\ne: 1.5\nf: 0x1F\ng: [1, yes, null, =, .inf]\nh: 2022-03-03T09:40:00+02:00\n"
    expected = {"a": False, "b": 750, "c": None, "d": "", "e": 1.5, "f": 31, "g": [1, True, None, "=", float("inf")],
                "h": "2022-03-03T09:40:00+02:00"}  # fmt: skip
    assert yamlsafe.load(text).data == expected
    assert yamlsafe.load(text + "# Q&A: a comment that takes the strict loader\n").data == expected


YAML_PIECES = st.sampled_from(
    ["title", "sources", "url", "name", "cities", ":", ": ", "-", "- ", "[", "]", "{", "}", '"', "'", "#", "&", "*",
     "!", "|", ">", "@", "%", "`", " ", "  ", "\t", "\n", ",", "Kyiv", "https://x.org/",
     "\x0b", "\x00", "\ufffe"]
)  # fmt: skip


@given(st.lists(YAML_PIECES, max_size=40).map("".join))
def test_every_yaml_mistake_is_told_in_words_at_a_line_of_the_text(text: str) -> None:
    try:
        yamlsafe.load(text, first_line=1)
    except yamlsafe.YamlError as exc:
        assert exc.message and "\n" not in exc.message
        assert exc.line is None or 1 <= exc.line <= text.count("\n") + 1
