"""Fetching a source over HTTP, politely.

One request at a time, with a user agent that names the tool and the site it
imports for; a pause between two requests to one host; a timeout; and retries
with exponential back-off (or the server's ``Retry-After``) where a retry can
help: a connection that failed or timed out, 429 and the 5xx answers of a server
that is busy or restarting. Other answers (404, 403 ...) fail at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Callable
from urllib.parse import urlsplit

import requests

from .. import __version__
from .errors import FetchError
from .origins import redacted, without_secrets
from .update import Document

_RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str
    timeout: float = 30.0  # seconds to connect, and between two reads
    retries: int = 3
    backoff: float = 2.0  # seconds before the first retry, doubled for each next one
    max_wait: float = 120.0  # a server asking to wait longer than this fails the fetch
    max_bytes: int = 50_000_000
    interval: float = 1.0  # seconds between two requests to one host


def user_agent(site_url: str) -> str:
    """'briefings/0.x (live blog import for https://briefings.example.org/)'."""
    return f"briefings/{__version__} (live blog import for {site_url})"


class Fetcher:
    """Fetches URLs one at a time under a ``FetchPolicy``."""

    def __init__(self, policy: FetchPolicy, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.policy = policy
        self._sleep = sleep
        self._session = requests.Session()
        self._session.headers["User-Agent"] = policy.user_agent
        self._last: dict[str, float] = {}  # host -> when its last request ended

    def fetch(self, url: str) -> Document:
        shown = redacted(url)
        for attempt in range(self.policy.retries + 1):
            last = attempt == self.policy.retries
            self._wait_for_host(url)
            try:
                response = self._get(url, shown)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if last:
                    raise FetchError(shown, f"could not be fetched after {attempt + 1} tries: {_reason(exc)}") from None
                self._sleep(self._backoff(attempt))
                continue
            if response.status_code in _RETRIED_STATUSES and not last:
                self._sleep(self._retry_wait(response, attempt, shown))
                continue
            if response.status_code != 200:
                tries = f" after {attempt + 1} tries" if attempt else ""
                raise FetchError(shown, f"HTTP {response.status_code} {response.reason or ''}".rstrip() + tries)
            return Document(shown, self._body(response, shown), without_secrets(response.url), response.headers.get("content-type", ""))
        raise AssertionError("unreachable")

    def _get(self, url: str, shown: str) -> requests.Response:
        try:
            return self._session.get(url, timeout=self.policy.timeout, stream=True)
        except requests.exceptions.InvalidURL as exc:
            raise FetchError(shown, f"not a URL that can be fetched: {exc}") from None
        finally:
            self._last[_host(url)] = time.monotonic()

    def _body(self, response: requests.Response, shown: str) -> bytes:
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > self.policy.max_bytes:
                    raise FetchError(shown, f"larger than {self.policy.max_bytes:,} bytes; not read")
                chunks.append(chunk)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise FetchError(shown, f"the answer broke off: {_reason(exc)}") from None
        finally:
            response.close()
        return b"".join(chunks)

    def _wait_for_host(self, url: str) -> None:
        last = self._last.get(_host(url))
        if last is not None:
            pause = self.policy.interval - (time.monotonic() - last)
            if pause > 0:
                self._sleep(pause)

    def _backoff(self, attempt: int) -> float:
        return self.policy.backoff * 2**attempt

    def _retry_wait(self, response: requests.Response, attempt: int, shown: str) -> float:
        asked = _retry_after(response.headers.get("retry-after"))
        wait = self._backoff(attempt) if asked is None else asked
        response.close()
        if wait > self.policy.max_wait:
            raise FetchError(shown, f"HTTP {response.status_code}: the server asks to wait {wait:.0f} s before trying again")
        return wait


def _retry_after(value: str | None) -> float | None:
    """A Retry-After header in seconds: a number of seconds, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _host(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return url


def _reason(exc: Exception) -> str:
    if isinstance(exc, requests.Timeout):
        return "timed out"
    text = str(exc)
    return text.split(": ", 1)[-1][:200] if text else exc.__class__.__name__
