"""Rendering views to HTML fragments with Jinja2 (autoescaped: names and titles are text)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from functools import cached_property

import jinja2
from markupsafe import Markup

from . import urls
from .autolink import MentionLinker, with_root
from .model import Archive, Entry
from .views import Feed, PageView, day_title


@dataclass(frozen=True)
class RenderedPage:
    url: str
    title: str
    html: str
    origin: str
    description: str
    feeds: tuple[Feed, ...]


class Renderer:
    """Holds one Jinja2 environment and the helpers every template may call."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.zone = archive.settings.zone
        self.linker = MentionLinker(archive)

    @cached_property
    def env(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.PackageLoader("generator", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.globals.update(
            link=_link,
            day_url=urls.day_url,
            entry_url=urls.entry_url,
            entity_url=urls.entity_url,
            section_url=urls.section_url,
            archive_url=urls.ARCHIVE,
            feed_url=urls.FEED,
            day_title=day_title,
            entry_body=self.entry_body,
            local_time=self.local_time,
            local_day=self.local_day,
            utc_time=utc_time,
            zone_label=self.zone_label,
            cities_of=self.archive.cities_of,
            people_of=self.archive.people_of,
        )
        return env

    def render(self, view: PageView) -> RenderedPage:
        template = self.env.get_template(view.template)
        html = template.render(page_url=view.url, title=view.title, **view.context)
        return RenderedPage(view.url, view.title, html, view.origin, view.description, view.feeds)

    @jinja2.pass_context
    def entry_body(self, context: jinja2.runtime.Context, entry: Entry) -> Markup:
        return Markup(with_root(self.linker.linked(entry), "../" * context["page_url"].count("/")))

    def local_time(self, moment: datetime) -> str:
        return moment.astimezone(self.zone).strftime("%H:%M")

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def zone_label(self, day: date) -> str:
        """'Kyiv time (EET, UTC+02:00)' as it was at noon of ``day``."""
        noon = datetime.combine(day, time(12), self.zone)
        place = self.archive.settings.timezone.rsplit("/", 1)[-1].replace("_", " ")
        offset = noon.strftime("%z")
        return f"{place} time ({noon.tzname()}, UTC{offset[:3]}:{offset[3:]})"


def utc_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


@jinja2.pass_context
def _link(context: jinja2.runtime.Context, to_url: str) -> str:
    return urls.relative(context["page_url"], to_url)

