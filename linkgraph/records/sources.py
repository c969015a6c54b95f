"""The record of an outlet (``Source``) and its closed set of kinds (``SourceKind``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SourceKind(StrEnum):
    """The kind of outlet a source is."""

    NEWS_AGENCY = "news_agency"
    NEWSPAPER = "newspaper"
    BROADCASTER = "broadcaster"
    MAGAZINE = "magazine"
    DIGITAL_NEWS = "digital_news"
    POLLSTER = "pollster"
    GOVERNMENT = "government"
    LAW = "law"
    INTERNATIONAL_ORG = "international_org"
    ACADEMIC = "academic"
    THINK_TANK = "think_tank"
    SOCIAL = "social"
    WIKI = "wiki"
    BLOG = "blog"  # a blog, such as one on a shared host (name.wordpress.com)
    PLATFORM = "platform"  # a technology company's service: code hosting, search, shopping
    REFERENCE = "reference"  # a dictionary, database or directory looked things up in
    STANDARDS = "standards"  # a standards body and its specifications (W3C, WHATWG, IETF)
    ARCHIVE = "archive"  # a web archive (Internet Archive, archive.today)
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Source:
    """An outlet behind one or more URLs.

    ``key`` is the registered domain by default, a URL prefix where one domain hosts many
    outlets (``x.com/ukrinform``), and ``rule`` says what decided the classification.
    """

    key: str
    name: str
    kind: SourceKind
    country: str | None
    rule: str
