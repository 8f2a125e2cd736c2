"""How the generator's own sentences count things: "1 update", "2 updates", "1 city"."""

from __future__ import annotations

# The nouns whose plural is not the singular and an "s".
IRREGULAR = {"city": "cities", "person": "people", "entry": "entries"}


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun`` agreeing: '1 city', '12 cities', '0 errors', '3 people'."""
    return f"{count} {noun if count == 1 else IRREGULAR.get(noun, noun + 's')}"
