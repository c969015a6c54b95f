"""What the words around a lost link say of its target, beyond a credited name.

* ``url-in-anchor``: the anchor text is a URL or a bare domain ("www.entermedia.co.kr",
  "Rebelion.org"): the source is what that address classifies as.
* ``identifier``: a reference identifier before the anchor ("JSTOR 2676011", "PMID 123",
  "doi 10.1/x", "arXiv 2101.1"): the identifier's resolver.
* ``reference-publisher``: a reference ('"Title". the Guardian.'): the publisher named after
  the quoted title.
* ``outlet-after-anchor``: the anchor followed by "at / on / in / via <outlet>" ("Atlas of New
  Zealand at Wikimedia Commons").
* an anchor that is a bare outlet name and all of its sentence ("New York Times.") is an entry
  of a list of names, an entity link (to an encyclopedia, most often), not a citation.
"""

from __future__ import annotations

import re
from typing import Final

from linkgraph.sources import Registry
from linkgraph.sources.names import name_index, names_in
from linkgraph.urls import registered_domain

__all__ = ["IDENTIFIERS", "anchor_address", "entity_list_entry", "identifier_source",
           "outlet_after_anchor", "reference_publisher"]

# Identifier schemes of references, and the registry key of their resolver.
IDENTIFIERS: Final = {
    "jstor": "jstor.org", "pmid": "pubmed.ncbi.nlm.nih.gov", "doi": "doi.org",
    "arxiv": "arxiv.org", "pmc": "pubmed.ncbi.nlm.nih.gov", "ssrn": "ssrn.com",
}
_IDENTIFIER_BEFORE: Final = re.compile(r"(?i:\b(jstor|pmid|doi|arxiv|pmc|ssrn))\s*:?\s*$")
_ADDRESS: Final = re.compile(
    r"^(?:https?://)?(?:www\.)?[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)+(?:[/?#]\S*)?$", re.I
)
_PUNCT: Final = re.compile(r"[\W_]+")


def anchor_address(anchor: str, registry: Registry) -> tuple[str, str] | None:
    """(source key, address) when the anchor text is a URL or a domain with a public suffix."""
    text = anchor.strip().rstrip(".,;:)…").strip()
    if " " in text or not _ADDRESS.match(text):
        return None
    url = text if "://" in text else f"http://{text}"
    host = url.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0].lower()
    if registered_domain(host) is None or host.replace(".", "").isdigit():
        return None
    return registry.classify(url).key, text


def identifier_source(anchor: str, sentence: str) -> tuple[str, str] | None:
    """(resolver key, evidence) when the anchor follows a reference identifier's scheme."""
    at = sentence.find(anchor)
    if at < 0:
        return None
    match = _IDENTIFIER_BEFORE.search(sentence[max(0, at - 12): at])
    if match is None:
        return None
    return IDENTIFIERS[match.group(1).lower()], f"{match.group(1)} {anchor}"


def reference_publisher(anchor: str, sentence: str, registry: Registry) -> tuple[str, str] | None:
    """(key, evidence) of the outlet named right after a quoted title: '"<anchor>". Outlet.'"""
    title = re.escape(anchor.strip('"“”'))
    match = re.search(rf"[\"“]?{title}[\"”]?\s*\.?\s*(?:\(\w+\)\s*)?\.?\s*([^.]{{2,60}})\.",
                      sentence)
    if match is None:
        return None
    publisher = match.group(1)
    names = names_in(publisher, registry)
    index = name_index(registry)
    keys = {index[n] for n in names}
    if len(keys) != 1 or len(" ".join(names)) < len(publisher.strip()) * 0.5:
        return None
    return next(iter(keys)), publisher.strip()


def outlet_after_anchor(anchor: str, sentence: str, registry: Registry) -> tuple[str, str] | None:
    """(key, evidence) of the outlet the sentence places the anchor at: "X at Wikimedia
    Commons", "a story in The Atlantic"."""
    at = sentence.find(anchor)
    if at < 0:
        return None
    rest = sentence[at + len(anchor):]
    match = re.match(r"[\"”]?\s+(?:at|on|in|via|from)\s+(?:the\s+)?", rest)
    if match is None:
        return None
    tail = rest[match.end():]
    names = names_in(tail, registry)
    if not names or not tail.startswith(names[0]):
        return None
    return name_index(registry)[names[0]], (anchor + rest[: match.end()] + names[0]).strip()


def entity_list_entry(anchor: str, sentence: str, registry: Registry) -> bool:
    """True when the anchor is a bare outlet name and all of its sentence ("New York Times.")."""
    bare = _PUNCT.sub(" ", anchor).strip().lower()
    if _PUNCT.sub(" ", sentence).strip().lower() != bare:
        return False
    names = names_in(anchor, registry)
    return bool(names) and _PUNCT.sub(" ", " ".join(names)).strip().lower() == bare
