"""Social platforms: their hosts, the names of their follow buttons, and how an account is read
from a URL, from the table ``data/platforms.csv`` (its header explains the columns).

The registry (:mod:`linkgraph.sources`) makes the account the source of a link
(``x.com/ukrinform``), and extraction (:mod:`linkgraph.extract.link_rules`) tells a follow
button ("Twitter" linking to an account's page) from a citation of a post; both read this one
table.

>>> social_account("facebook.com", "facebook.com", ["pages", "Ukrinform", "123"])
Account(key='facebook.com/ukrinform', shown='@ukrinform', length=3)
>>> social_account("x.com", "twitter.com", ["share"]) is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final
from urllib.parse import unquote

from linkgraph.errors import ConfigError
from linkgraph.sources.datafiles import read_rows
from linkgraph.urls import registered_domain

DATA_FILE: Final = "platforms.csv"
EVERY_PLATFORM: Final = "*"  # the row of words that are not accounts on any platform
HANDLE: Final = "{handle}"
SUBDOMAIN: Final = "{subdomain}"
_SLOT = re.compile(r"\{(name|id)\}")


@dataclass(frozen=True, slots=True)
class Account:
    """An account on a platform: its source key, how it is shown, and how many path segments
    name it (a URL with more segments is a page of the account: a post, a photo)."""

    key: str
    shown: str
    length: int


@dataclass(frozen=True, slots=True)
class AccountRule:
    """``PATH>KEY>SHOWN`` of the table: *path* is the pattern's segments."""

    path: tuple[str, ...]
    key: str
    shown: str


@dataclass(frozen=True, slots=True)
class Platform:
    """One row of the table."""

    key: str
    name: str
    country: str | None
    hosts: tuple[str, ...]
    follow_names: tuple[str, ...]
    rules: tuple[AccountRule | str, ...]  # a rule, or HANDLE / SUBDOMAIN
    not_accounts: frozenset[str]

    @property
    def domains(self) -> frozenset[str]:
        """The registered domains of the platform's hosts."""
        return frozenset(registered_domain(host) or host for host in self.hosts)


def _rule(text: str, origin: str) -> AccountRule | str:
    if text in {HANDLE, SUBDOMAIN}:
        return text
    parts = text.split(">")
    if len(parts) != 3 or not all(parts):
        raise ConfigError(f"{origin}: account rule {text!r} is not PATH>KEY>SHOWN")
    path, key, shown = parts
    return AccountRule(tuple(path.split("/")), key, shown)


@lru_cache(maxsize=1)
def platforms() -> dict[str, Platform]:
    """The platforms of the packaged table, by key; the key ``"*"`` holds the rules for a
    platform the table does not know (a user's own social outlet): ``{handle}``."""
    rows = read_rows(DATA_FILE, ("key", "name", "hosts", "accounts", "not_accounts"))
    shared: frozenset[str] = frozenset()
    found: dict[str, Platform] = {}
    for row in rows:
        words = frozenset(row["not_accounts"].lower().split())
        if row["key"] == EVERY_PLATFORM:
            shared |= words
            continue
        origin = f"{DATA_FILE}: {row['key']}"
        found[row["key"]] = Platform(
            key=row["key"],
            name=row["name"],
            country=row.get("country", "").upper() or None,
            hosts=tuple(row["hosts"].lower().split()),
            follow_names=tuple(n for n in row.get("follow_names", "").lower().split("|") if n),
            rules=tuple(_rule(text, origin) for text in row["accounts"].split()),
            not_accounts=words,
        )
    found[EVERY_PLATFORM] = Platform(EVERY_PLATFORM, "", None, (), (), (HANDLE,), frozenset())
    return {key: replace(platform, not_accounts=platform.not_accounts | shared)
            for key, platform in found.items()}


def social_platforms() -> list[Platform]:
    """Every platform of the table, in its order."""
    return [p for key, p in platforms().items() if key != EVERY_PLATFORM]


@lru_cache(maxsize=1)
def _by_follow_name() -> dict[str, Platform]:
    return {name: p for p in platforms().values() for name in p.follow_names}


def platform_named(name: str) -> Platform | None:
    """The platform a follow button names ("Twitter", "X", "YouTube"), any case."""
    return _by_follow_name().get(name.strip().lower())


def social_account(platform: str, host: str, segments: list[str]) -> Account | None:
    """The account that a URL on *platform* (a key of the table) belongs to, from its host and
    path segments; ``None`` for the platform's own pages (search, share, a bare host)."""
    table = platforms()
    found = table.get(platform) or replace(table[EVERY_PLATFORM], key=platform)
    segments = [decoded_segment(s) for s in segments]
    lower = [s.lower() for s in segments]
    for rule in found.rules:
        account = _apply(rule, found, host, segments, lower)
        if account is not None:
            return account
    return None


def decoded_segment(segment: str) -> str:
    """A path segment with its percent-encoded UTF-8 decoded, as people write the name
    (``Izquierda-Hisp%C3%A1nica`` is ``Izquierda-Hispánica``); left as it is when the bytes
    are not UTF-8 or would decode to a slash or a control character.

    >>> decoded_segment("Izquierda-Hisp%C3%A1nica"), decoded_segment("a%2Fb")
    ('Izquierda-Hispánica', 'a%2Fb')
    """
    if "%" not in segment:
        return segment
    try:
        text = unquote(segment, errors="strict")
    except UnicodeDecodeError:
        return segment
    if any(c in "/\\" or not c.isprintable() for c in text):
        return segment
    return text


def _apply(rule: AccountRule | str, platform: Platform, host: str, segments: list[str],
           lower: list[str]) -> Account | None:
    if rule == SUBDOMAIN:
        label = host.split(".", maxsplit=1)[0]
        return Account(f"{label}.{platform.key}", label, 0) if host.count(".") >= 2 else None
    first = lower[0] if lower else ""
    if rule == HANDLE:
        if not first or first in platform.not_accounts or first.endswith(".php"):
            return None
        handle = first.lstrip("@")
        return Account(f"{platform.key}/{handle}", "@" + handle, 1) if handle else None
    if isinstance(rule, str):
        return None  # pragma: no cover - the table's loader accepts no other word
    if len(segments) < len(rule.path):
        return None
    values: dict[str, str] = {}
    for pattern, segment, low in zip(rule.path, segments, lower, strict=False):
        slot = _SLOT.search(pattern)
        if pattern == "*":
            continue
        if slot is None:
            if low != pattern:
                return None
            continue
        head, tail = pattern[: slot.start()], pattern[slot.end() :]
        value = (segment if slot.group(1) == "id" else low)
        if not value.startswith(head) or not value.endswith(tail) or \
                len(value) <= len(head) + len(tail):
            return None
        values[slot.group(1)] = value[len(head) : len(value) - len(tail)]

    def fill(template: str) -> str:
        return _SLOT.sub(lambda m: values[m.group(1)], template)

    return Account(f"{platform.key}/{fill(rule.key)}", fill(rule.shown), len(rule.path))


def is_account_page(platform: Platform, path: str) -> bool:
    """True when *path* (``/name``, ``/@name``, ``/channel/ID``) is an account's own page on
    *platform*, not a post or a page of the platform itself.

    >>> is_account_page(platforms()["instagram.com"], "/nytopinion/")
    True
    >>> is_account_page(platforms()["x.com"], "/NASA/status/1")
    False
    """
    segments = [s for s in path.split("/") if s]
    account = social_account(platform.key, platform.hosts[0], segments)
    return account is not None and account.length == len(segments)
