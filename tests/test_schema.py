"""The schema checks: the fast check (fastjsonschema) and the explaining one (jsonschema) agree."""

from __future__ import annotations

import fastjsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import schema
from generator.yamlsafe import Document

scalars = st.one_of(st.none(), st.booleans(), st.integers(-200, 200), st.floats(-200, 200), st.text(max_size=8))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)
coordinates = st.lists(st.one_of(st.floats(-200, 200), st.integers(-200, 200), st.booleans(), st.text(max_size=3)), max_size=4)
registry_items = st.fixed_dictionaries(
    {"name": st.one_of(st.text(max_size=6), st.integers())},
    optional={"coordinates": st.one_of(coordinates, values), "aliases": st.lists(st.text(max_size=5), max_size=2), "role": values},
)
documents = {
    "registry": st.one_of(st.lists(registry_items, max_size=3), values),
    "entry": st.one_of(
        st.fixed_dictionaries(
            {"title": st.one_of(st.text(max_size=6), st.integers()), "published": st.text(max_size=30)},
            optional={"cities": st.lists(st.text(max_size=5), max_size=2), "sources": values, "key": values},
        ),
        values,
    ),
    "settings": st.one_of(st.dictionaries(st.sampled_from(["title", "site_url", "timezone", "language", "x"]), values), values),
}


def _explained(name: str, data: object) -> bool:
    """Whether jsonschema, the 2020-12 validator, finds anything wrong."""
    return any(True for _ in schema._validator(name).iter_errors(data))


def _fast_fails(name: str, data: object) -> bool:
    try:
        schema._fast_check(name)(data)
    except fastjsonschema.JsonSchemaException:
        return True
    return False


@pytest.mark.parametrize("name", sorted(documents))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_fast_check_fails_exactly_when_jsonschema_does(name: str, data: st.DataObject) -> None:
    value = data.draw(documents[name])
    assert _fast_fails(name, value) == _explained(name, value)


@pytest.mark.parametrize(
    "value, wrong",
    [([1.5, 30], False), ([91, 30], True), ([1, 2, 3], True), ([1], True), (["1", 2], True), ([-90, 180], False)],
)
def test_coordinates_are_a_latitude_and_a_longitude(value: list, wrong: bool) -> None:
    findings = schema.validate("registry", Document([{"name": "Kyiv", "coordinates": value}], {(): 1}))
    assert bool(findings) == wrong


def test_draft7_spells_a_tuple_as_draft_7_does() -> None:
    tuple_schema = {"$schema": "x", "type": "array", "prefixItems": [{"type": "number"}], "items": {"type": "string"}}
    assert schema.draft7(tuple_schema) == {"type": "array", "items": [{"type": "number"}], "additionalItems": {"type": "string"}}

