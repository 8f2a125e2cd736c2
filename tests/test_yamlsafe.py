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
