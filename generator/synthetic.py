"""A deterministic synthetic archive for benchmarks and scale tests.

``python -m generator.synthetic OUT_DIR --entries 1000 --seed 1`` writes
``OUT_DIR/content/YYYY/MM/DD/<slug>.md`` and ``OUT_DIR/site_config/`` (settings
and both registries). The shape follows a long-running live briefing: about 25 (``--per-day``)
entries a day, 60 cities and 120 people drawn Zipf-like (a few names in most
entries, a long tail of rare ones), 1-3 cities and 0-3 people per entry, bodies
of 120-200 words, one or two sources, some key events and some later updates.

Everything comes from ``random.Random(seed)`` and fixed word lists: the same
seed and size give byte-identical files on any machine, at any time.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import sys
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Sequence
from zoneinfo import ZoneInfo

TIMEZONE = "Europe/Kyiv"
START = date(2022, 2, 24)
PER_DAY = 25  # the mean by default; a day has 15-35 entries (the mean give or take two fifths)
N_CITIES = 60
N_PEOPLE = 120
ZIPF_EXPONENT = 1.0

_CITY_HEADS = (
    "Bel", "Bor", "Dor", "Hor", "Kam", "Kra", "Lug", "Lys", "Mir", "Nov",
    "Ost", "Ozer", "Pol", "Sos", "Step", "Tor", "Ver", "Vol", "Yar", "Zar",
)
_CITY_TAILS = ("ovsk", "yn", "ivka", "opil", "hrad", "ets", "iv", "any", "ove", "ynets", "ivtsi", "ne")
_REGIONS = ("North", "South", "East", "West", "Central", "Coastal", "Upper", "Lower")
_COUNTRIES = ("Ukraine", "Ukraine", "Ukraine", "Ukraine", "Moldova", "Poland", "Belarus", "Russia")
_FIRST = (
    "Andriy", "Bohdan", "Daria", "Dmytro", "Halyna", "Hanna", "Ihor", "Iryna", "Kateryna", "Larysa",
    "Maksym", "Mariya", "Mykola", "Nadia", "Oksana", "Oleh", "Olena", "Pavlo", "Roman", "Serhiy",
    "Sofia", "Taras", "Tetiana", "Vasyl", "Viktor", "Yulia", "Yuriy", "Zoya",
)
_LAST = (
    "Bondar", "Boyko", "Danylenko", "Hnatiuk", "Honchar", "Kovalenko", "Kravets", "Lysenko", "Marchenko",
    "Melnyk", "Moroz", "Oliynyk", "Pavlenko", "Petrenko", "Polishchuk", "Rudenko", "Savchenko", "Shevchuk",
    "Sydorenko", "Tkachenko", "Vlasenko", "Yurchenko", "Zaitsev", "Zinchenko",
)
_ROLES = (
    "regional governor", "mayor", "foreign minister", "defence minister", "military spokesperson",
    "human rights ombudsperson", "member of parliament", "aid coordinator", "energy minister", "prosecutor",
)
_SOURCES = (
    ("Briefing Desk", "https://desk.example.org/"),
    ("Regional Wire", "https://wire.example.net/"),
    ("City Radio", "https://radio.example.com/"),
    ("Evening Herald", "https://herald.example.org/"),
    ("Field Notes", "https://fieldnotes.example.net/"),
    ("Monitoring Service", "https://monitor.example.com/"),
)
_TAGS = (
    "shelling", "evacuation", "diplomacy", "energy", "humanitarian-aid", "refugees", "sanctions", "casualties",
    "air-defence", "infrastructure", "negotiations", "prisoners", "grain", "rail", "power-outage", "court",
)
_WORDS = tuple(
    """
    officials said the city overnight residents reported strikes near station bridge road power lines water
    supply was restored after repairs teams worked through morning shelters opened schools remained closed
    trains ran with delays convoy reached district aid arrived from regional warehouse volunteers handed out
    food blankets medicine families left by bus others stayed in basements sirens sounded twice before dawn
    damage to houses shops and a clinic was assessed by engineers emergency crews cleared debris from streets
    three people were injured two taken to hospital in stable condition authorities urged calm and asked
    drivers to avoid the area police closed checkpoints for inspection talks continued in the capital
    delegations met for several hours without agreement on corridors ceasefire observers said they could not
    confirm figures independently prices for bread and fuel rose again markets reopened on monday farmers
    planted fields despite mines grain exports resumed through port under inspection generators were delivered
    to hospitals and heating points officials promised compensation for destroyed homes new lists were
    published online the council approved funds for reconstruction of bridges and schools court heard
    testimony from witnesses investigators collected evidence at the scene journalists visited the site with
    permission mobile network was partly down internet returned by evening curfew was extended by one hour
    the governor thanked rescuers and neighbours for help shelters will stay open at night buses will run
    on a reduced timetable until repairs are finished residents can register for aid at the town hall
    """.split()
)
_VERBS = ("reports", "confirms", "denies", "warns of", "announces", "describes", "rules out", "welcomes")
_NOUNS = (
    "overnight strikes", "new evacuation route", "power cuts", "aid convoy", "water outage", "rail delays",
    "talks on corridors", "damage to bridge", "school closures", "curfew extension", "grain shipments",
    "hospital repairs", "prisoner exchange", "heating points", "market reopening", "mine clearance",
)


@dataclass(frozen=True)
class Entity:
    name: str
    aliases: tuple[str, ...] = ()
    extra: tuple[tuple[str, object], ...] = ()


@dataclass
class Summary:
    """What was written: counts for tests and the benchmark's log."""

    entries: int = 0
    days: int = 0
    city_counts: dict[str, int] = field(default_factory=dict)
    person_counts: dict[str, int] = field(default_factory=dict)


class _Zipf:
    """Ranks drawn with weight 1/rank**s; rank 0 is the most frequent."""

    def __init__(self, n: int, exponent: float = ZIPF_EXPONENT) -> None:
        self.cum = list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, n + 1)))
        self.total = self.cum[-1]
        self.n = n

    def draw(self, rng: random.Random, k: int) -> list[int]:
        """``k`` distinct ranks, in the order drawn."""
        chosen: list[int] = []
        while len(chosen) < k:
            rank = bisect_right(self.cum, rng.random() * self.total)
            rank = min(rank, self.n - 1)
            if rank not in chosen:
                chosen.append(rank)
        return chosen


def _cities(rng: random.Random) -> list[Entity]:
    names = [h + t for h in _CITY_HEADS for t in _CITY_TAILS]
    rng.shuffle(names)
    names = names[:N_CITIES]
    taken = set(names)
    cities = []
    for index, name in enumerate(names):
        aliases: tuple[str, ...] = ()
        alias = name.replace("y", "i") if "y" in name else name + "e"
        if index % 3 == 0 and alias not in taken:
            aliases = (alias,)
            taken.add(alias)
        lat = round(rng.uniform(44.5, 52.3), 4)
        lon = round(rng.uniform(22.2, 40.1), 4)
        extra = (
            ("description", f"Synthetic city number {index + 1} of the benchmark archive."),
            ("region", f"{rng.choice(_REGIONS)} {name} Oblast"),
            ("country", rng.choice(_COUNTRIES)),
            ("coordinates", [lat, lon]),
        )
        cities.append(Entity(name, aliases, extra))
    return cities


def _people(rng: random.Random) -> list[Entity]:
    pairs = [f"{first} {last}" for first in _FIRST for last in _LAST]
    rng.shuffle(pairs)
    people = []
    for index, name in enumerate(pairs[:N_PEOPLE]):
        extra = (
            ("description", f"Synthetic person number {index + 1} of the benchmark archive."),
            ("role", rng.choice(_ROLES)),
        )
        people.append(Entity(name, (), extra))
    return people


def _yaml_scalar(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_scalar(v) for v in value) + "]"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _registry_text(kind: str, entities: Sequence[Entity]) -> str:
    lines = [f"# Synthetic {kind} registry, written by generator.synthetic.", ""]
    for entity in entities:
        lines.append(f"- name: {_yaml_scalar(entity.name)}")
        if entity.aliases:
            lines.append(f"  aliases: {_yaml_scalar(list(entity.aliases))}")
        for key, value in entity.extra:
            lines.append(f"  {key}: {_yaml_scalar(value)}")
        lines.append("")
    return "\n".join(lines)


SETTINGS = """\
title: Synthetic Briefing Archive
description: A generated archive for benchmarks and scale tests.
site_url: https://briefings.example.org/
timezone: Europe/Kyiv
feed_size: 50
"""


def _stamp(moment: datetime) -> str:
    """ISO 8601 with the zone's offset, e.g. 2022-03-03T09:40:00+02:00."""
    return moment.isoformat(timespec="seconds")


def _slug(words: str) -> str:
    out = []
    for word in words.lower().split():
        clean = "".join(c for c in word if c.isalnum())
        if clean:
            out.append(clean)
    return "-".join(out[:8])


def _body(rng: random.Random, cities: list[str], people: list[str]) -> str:
    target = rng.randint(120, 200)
    words = rng.choices(_WORDS, k=target)
    # Sentences of 8-18 words in 2-3 paragraphs; the first sentence names the entry's places and people.
    sentences: list[str] = []
    at = 0
    while at < target:
        size = rng.randint(8, 18)
        chunk = words[at : at + size]
        at += size
        sentences.append(chunk[0].capitalize() + " " + " ".join(chunk[1:]) + "." if len(chunk) > 1 else chunk[0].capitalize() + ".")
    lead = "In " + _and(cities)
    if people:
        lead += ", " + _and(people) + " said"
    sentences[0] = lead + ": " + sentences[0][0].lower() + sentences[0][1:]
    paragraphs = min(len(sentences), rng.choice((2, 3)))
    bounds = [round(i * len(sentences) / paragraphs) for i in range(paragraphs + 1)]
    blocks = [" ".join(sentences[a:b]) for a, b in zip(bounds, bounds[1:])]
    return "\n\n".join(blocks) + "\n"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _entry_text(
    title: str,
    published: datetime,
    updated: datetime | None,
    cities: list[str],
    people: list[str],
    sources: list[tuple[str, str]],
    tags: list[str],
    key: bool,
    body: str,
) -> str:
    lines = ["---", f"title: {_yaml_scalar(title)}", f"published: {_stamp(published)}"]
    if updated is not None:
        lines.append(f"updated: {_stamp(updated)}")
    lines.append(f"cities: [{', '.join(cities)}]")
    lines.append(f"people: [{', '.join(people)}]")
    lines.append("sources:")
    for name, url in sources:
        lines.append(f"  - name: {name}")
        lines.append(f"    url: {url}")
    if tags:
        lines.append(f"tags: [{', '.join(tags)}]")
    if key:
        lines.append("key: true")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def generate(out_dir: Path, entries: int, seed: int = 1, per_day: int = PER_DAY) -> Summary:
    """Write ``entries`` entries, about ``per_day`` a day, and the site configuration under ``out_dir``."""
    rng = random.Random(seed)
    spread = per_day * 2 // 5
    zone = ZoneInfo(TIMEZONE)
    cities = _cities(rng)
    people = _people(rng)
    city_zipf = _Zipf(len(cities))
    person_zipf = _Zipf(len(people))

    content = out_dir / "content"
    config = out_dir / "site_config"
    config.mkdir(parents=True, exist_ok=True)
    content.mkdir(parents=True, exist_ok=True)
    _write(config / "settings.yml", SETTINGS)
    _write(config / "cities.yml", _registry_text("cities", cities))
    _write(config / "people.yml", _registry_text("people", people))

    summary = Summary(
        city_counts={c.name: 0 for c in cities},
        person_counts={p.name: 0 for p in people},
    )
    day = START
    written = 0
    while written < entries:
        count = min(entries - written, rng.randint(per_day - spread, per_day + spread))
        # Distinct minutes of the local day, 00:05-23:55, in order.
        minutes = sorted(rng.sample(range(5, 24 * 60 - 4), count))
        folder = content / f"{day.year:04d}" / f"{day.month:02d}" / f"{day.day:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        slugs: set[str] = set()
        for minute in minutes:
            local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=zone)
            # Normalize through UTC so a time in a spring-forward gap gets a real offset.
            published = local.astimezone(timezone.utc).astimezone(zone)
            if published.date() != day:
                published = local.replace(hour=12)
            n_cities = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
            n_people = rng.choices((0, 1, 2, 3), weights=(30, 40, 20, 10))[0]
            city_ranks = city_zipf.draw(rng, n_cities)
            person_ranks = person_zipf.draw(rng, n_people)
            city_names = []
            for rank in city_ranks:
                city = cities[rank]
                summary.city_counts[city.name] += 1
                # One mention in twenty uses a registry alias, as contributors do.
                use_alias = city.aliases and rng.random() < 0.05
                city_names.append(city.aliases[0] if use_alias else city.name)
            person_names = [people[rank].name for rank in person_ranks]
            for name in person_names:
                summary.person_counts[name] += 1

            place = cities[city_ranks[0]].name
            if person_names and rng.random() < 0.5:
                title = f"{person_names[0]} {rng.choice(_VERBS)} {rng.choice(_NOUNS)} in {place}"
            else:
                title = f"{place} {rng.choice(_VERBS)} {rng.choice(_NOUNS)}"
            slug = base = _slug(title)
            suffix = 2
            while slug in slugs:
                slug = f"{base}-{suffix}"
                suffix += 1
            slugs.add(slug)

            updated = None
            if rng.random() < 0.15:
                updated = (published + timedelta(minutes=rng.randint(5, 180))).astimezone(zone)
            sources = rng.sample(_SOURCES, rng.choice((1, 1, 2)))
            tags = rng.sample(_TAGS, rng.choice((0, 1, 1, 2, 3)))
            key = rng.random() < 0.08
            body = _body(rng, [cities[r].name for r in city_ranks], person_names)
            text = _entry_text(title, published, updated, city_names, person_names, sources, tags, key, body)
            _write(folder / f"{slug}.md", text)
            written += 1
        summary.days += 1
        day += timedelta(days=1)
    summary.entries = written
    return summary


def _write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator.synthetic",
        description="Write a deterministic synthetic archive (content/ and site_config/) for benchmarks.",
    )
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR", help="where to write content/ and site_config/")
    parser.add_argument("--entries", type=int, default=1000, help="how many entries (default: 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same files (default: 1)")
    parser.add_argument("--per-day", type=int, default=PER_DAY, help=f"the mean number of entries a day (default: {PER_DAY})")
    parser.add_argument("--force", action="store_true", help="replace OUT_DIR/content and OUT_DIR/site_config if they exist")
    args = parser.parse_args(argv)
    if args.entries < 1:
        parser.error("--entries must be at least 1")
    if args.per_day < 1:
        parser.error("--per-day must be at least 1")
    for sub in ("content", "site_config"):
        target = args.out_dir / sub
        if target.exists() and any(target.iterdir()):
            if not args.force:
                print(f"synthetic: error: {target} exists and is not empty (use --force to replace it)", file=sys.stderr)
                return 1
            shutil.rmtree(target)
    summary = generate(args.out_dir, args.entries, args.seed, per_day=args.per_day)
    print(f"wrote {summary.entries} entries on {summary.days} days to {os.fspath(args.out_dir / 'content')}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
