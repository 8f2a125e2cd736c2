"""schema.org structured data (JSON-LD) for day pages: a LiveBlogPosting per day.

Search engines read it to show a day as a live blog with its updates. The JSON is
built here, not in a template, and made safe to sit inside a <script> element.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable

from . import urls
from .feeds import guid_for
from .markup import plain_text
from .model import Day, Entity, Entry
from .registry import RegistryEntry
from .settings import Publisher, Settings
from .i18n import words_for
from .views import day_picture

# In a <script> element the HTML parser ends the script at "</script" and treats "<!--"
# specially, whatever JSON thinks of strings; "&" is escaped so the text reads the same
# to an XML parser. The \u escapes mean the same characters to a JSON parser.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def live_blog_posting(settings: Settings, day: Day) -> dict[str, Any]:
    """The day as a schema.org LiveBlogPosting with one BlogPosting per update."""
    entries = day.entries
    start = datetime.combine(day.date, time(0), settings.zone)
    # The next local midnight, not start + 24 h: a day with a clock change is 23 or 25 hours long.
    end = datetime.combine(day.date + timedelta(days=1), time(0), settings.zone)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": f"{settings.title}, {words_for(settings.language).day_title(day.date)}",
        "url": urls.absolute(settings.site_url, urls.day_url(day.date)),
        "inLanguage": settings.language,
        "coverageStartTime": start.isoformat(),
        "coverageEndTime": end.isoformat(),
    }
    if settings.publisher is not None:
        data["publisher"] = organization(settings.publisher)
    if entries:
        data["datePublished"] = min(e.published for e in entries).isoformat()
        data["dateModified"] = max(_modified(e) for e in entries).isoformat()
    if picture := day_picture(day):  # as its link's preview shows it
        data["image"] = urls.full_address(settings.site_url, picture)
    data["liveBlogUpdate"] = [_blog_posting(settings, entry) for entry in entries]
    return data


def _blog_posting(settings: Settings, entry: Entry) -> dict[str, Any]:
    posting: dict[str, Any] = {
        "@type": "BlogPosting",
        "headline": entry.title,
        "datePublished": entry.published.isoformat(),
    }
    if entry.updated and entry.updated != entry.published:
        posting["dateModified"] = entry.updated.isoformat()
    posting["url"] = urls.absolute(settings.site_url, urls.entry_url(entry))
    # What a citation names it by: the id its feed items and data record carry, and its sources.
    posting["identifier"] = guid_for(settings.id_url, entry)
    if entry.sources:
        posting["isBasedOn"] = [{"@type": "CreativeWork", "name": source.name, "url": source.url} for source in entry.sources]
    if entry.author:
        posting["author"] = {"@type": "Person", "name": entry.author}
    if entry.language:
        posting["inLanguage"] = entry.language
    posting["articleBody"] = plain_text(entry.html)
    if entry.corrections:
        posting["correction"] = [
            {
                "@type": "CorrectionComment",
                "datePublished": correction.at.isoformat(),
                "text": plain_text(correction.text_html),
            }
            for correction in entry.corrections
        ]
    return posting


def organization(publisher: Publisher) -> dict[str, Any]:
    """The publisher as a schema.org Organization, with what the settings give of it."""
    found: dict[str, Any] = {"@type": "Organization", "name": publisher.name}
    if publisher.url:
        found["url"] = publisher.url
    if publisher.logo:
        found["logo"] = {"@type": "ImageObject", "url": publisher.logo}
    return found


def _modified(entry: Entry) -> datetime:
    return max(entry.published, entry.updated) if entry.updated else entry.published


def script_json(data: Any) -> str:
    """``data`` as JSON text that cannot end or change the <script> element holding it.

    ASCII only (U+2028 and U+2029 escaped too), keys in a fixed order: the same data
    gives the same bytes.
    """
    return json.dumps(data, ensure_ascii=True, indent=None, separators=(",", ":")).translate(_SCRIPT_SAFE)


@dataclass(frozen=True)
class Distribution:
    """A file of the open data, as a Dataset lists it: its name, address in the site and media type."""

    name: str
    url: str
    media_type: str


_LICENCE_URL = re.compile(r"https?://\S+[^\s).,;]")


def dataset(settings: Settings, name: str, description: str, files: Iterable[Distribution],
            covers: tuple[date, date] | None, modified: datetime | None) -> dict[str, Any]:  # fmt: skip
    """The open data as a schema.org Dataset, which dataset search engines list: what it is, its
    licence (the address in ``data_licence``, else its words), its files, the days its updates
    were published on (``covers``: the first and the last) and when it last changed."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": name,
        "description": description,
        "url": urls.absolute(settings.site_url, "data/"),
        "inLanguage": settings.language,
        "isAccessibleForFree": True,
    }
    if licence := settings.data_licence.strip():
        found = _LICENCE_URL.search(licence)
        data["license"] = found.group() if found else licence
    if settings.publisher is not None:
        data["creator"] = data["publisher"] = organization(settings.publisher)
    if covers is not None:
        data["temporalCoverage"] = f"{covers[0].isoformat()}/{covers[1].isoformat()}"
    if modified is not None:
        data["dateModified"] = modified.isoformat()
    data["distribution"] = [
        {"@type": "DataDownload", "name": file.name, "encodingFormat": file.media_type,
         "contentUrl": urls.absolute(settings.site_url, file.url)}  # fmt: skip
        for file in files
    ]
    return data


def entity_page(settings: Settings, entity: Entity) -> dict[str, Any]:
    """A city's or person's page as a schema.org CollectionPage about a Place or a Person: what
    the registry says of it (a person's role; a city's coordinates, region and country)."""
    about: dict[str, Any] = {"@type": "Place" if entity.kind == "city" else "Person", "name": entity.name}
    if entity.aliases:
        about["alternateName"] = list(entity.aliases)
    info = entity.info
    if info is not None:
        if info.description:
            about["description"] = info.description
        if info.role:
            about["jobTitle"] = info.role
        if entity.kind == "city":  # where a place is: a person's page shows none of it
            about.update(_whereabouts(info))
    url = urls.absolute(settings.site_url, urls.entity_url(entity))
    return {"@context": "https://schema.org", "@type": "CollectionPage", "url": url, "name": entity.name,
            "inLanguage": settings.language, "about": about}  # fmt: skip


def _whereabouts(info: RegistryEntry) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if info.coordinates is not None:
        found["geo"] = {"@type": "GeoCoordinates", "latitude": info.coordinates[0], "longitude": info.coordinates[1]}
    country = {"@type": "Country", "name": info.country} if info.country else None
    if info.region:
        found["containedInPlace"] = {"@type": "AdministrativeArea", "name": info.region, **({"containedInPlace": country} if country else {})}
    elif country:
        found["containedInPlace"] = country
    return found


def day_json_ld(settings: Settings, day: Day) -> str:
    return script_json(live_blog_posting(settings, day))

