"""Unlinked attribution: sentences that credit an outlet, a poll or a statement, with no link.

"According to Kyiv's state-run news agency Ukrinform", "a Gallup Korea poll", "Yonhap
reported", "said in a statement": the claim has a source, and the reader gets no way to check it.
A sentence counts as linked when a real link (``<a href>``) sits in it; a lost link (anchor text
whose ``href`` was stripped) is no link.  But a lost link is a finding of its own: an outlet
that a lost link of the sentence names (in its anchor, or as the source repair inferred for it)
is not reported a second time as an attribution without a link.

The sentences are the body's as extraction produced them (``Extraction.sentences``, stored with
the extraction; see :mod:`linkgraph.extract.prose`): analysis never parses HTML, so a page
extraction could not read has no sentences here either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from linkgraph.analysis.records import Finding, FindingKind
from linkgraph.records import BodySentence, Citation, CitationKind
from linkgraph.repair.cues import GENERIC_CUES, may_attribute, named_cues
from linkgraph.sources import Registry
from linkgraph.sources.names import name_index, names_in


def unlinked_attributions(
    article_id: str,
    sentences: Iterable[BodySentence],
    registry: Registry,
    own: frozenset[str] = frozenset(),
    lost: Mapping[str, frozenset[str]] | None = None,
) -> list[Finding]:
    """One finding per unlinked sentence that attributes a claim (the first cue it shows).

    *sentences* are the article body's, as extraction produced them.  Names of the article's
    *own* outlets (source keys) do not count: "Mr Obama told the BBC" in a BBC article needs
    no link.  Nor do the outlets *lost* names for a sentence (its text -> source keys, from
    :func:`lost_outlets`): the lost link's finding already tells.
    """
    found: list[Finding] = []
    seen: set[str] = set()
    index = name_index(registry)
    for sentence in sentences:
        if sentence.linked or sentence.text in seen or not may_attribute(sentence.text):
            continue
        seen.add(sentence.text)
        covered = (lost or {}).get(sentence.text, frozenset())
        finding = _attribution(article_id, sentence.text, registry, index, own,
                               covered=covered)
        if finding is not None:
            found.append(finding)
    return found


def lost_outlets(citations: Iterable[Citation], registry: Registry) -> dict[str, frozenset[str]]:
    """The outlets (source keys) each sentence's lost links name, by sentence text: the source
    repair inferred for the link, and any outlet its anchor text names."""
    found: dict[str, set[str]] = {}
    index = name_index(registry)
    for citation in citations:
        if citation.kind is not CitationKind.LOST:
            continue
        keys = found.setdefault(citation.context, set())
        if citation.provenance.source_key:
            keys.add(citation.provenance.source_key)
        keys.update(index[name] for name in names_in(citation.text, registry))
    return {text: frozenset(keys) for text, keys in found.items() if keys}


def _attribution(
    article_id: str, text: str, registry: Registry, index: dict[str, str], own: frozenset[str],
    *, covered: frozenset[str] = frozenset(),
) -> Finding | None:
    names = [n for n in names_in(text, registry) if index[n] not in own]
    if covered and names:
        names = [n for n in names if index[n] not in covered]
        if not names:
            return None  # the sentence's lost link names the outlet: its finding tells
    for cue in named_cues(tuple(sorted(set(names)))) if names else ():
        match = cue.search(text)
        if match is not None:
            name = match.group("name")
            entry = registry.entry(index[name])
            detail = f"names {entry.name} ({entry.kind.value})" if entry else ""
            return Finding(article_id, FindingKind.UNLINKED_ATTRIBUTION, name, text,
                           detail=detail)
    generic = GENERIC_CUES.search(text)
    if generic is not None:
        return Finding(article_id, FindingKind.UNLINKED_ATTRIBUTION, generic.group(0), text,
                       detail="attribution without a named source")
    return None
