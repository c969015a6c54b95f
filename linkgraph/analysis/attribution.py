"""Unlinked attribution: sentences that credit an outlet, a poll or a statement, with no link.

"According to Kyiv's state-run news agency Ukrinform", "a Gallup Korea poll", "Yonhap
reported", "said in a statement": the claim has a source, and the reader gets no way to check it.
A sentence counts as linked when a real link (``<a href>``) sits in it; a lost link (anchor text
whose ``href`` was stripped) is no link.

The sentences are the body's as extraction produced them (``Extraction.sentences``, stored with
the extraction; see :mod:`linkgraph.extract.prose`): analysis never parses HTML, so a page
extraction could not read has no sentences here either.
"""

from __future__ import annotations

from collections.abc import Iterable

from linkgraph.analysis.records import Finding, FindingKind
from linkgraph.records import BodySentence
from linkgraph.repair.cues import GENERIC_CUES, may_attribute, named_cues
from linkgraph.sources import Registry
from linkgraph.sources.names import name_index, names_in


def unlinked_attributions(
    article_id: str,
    sentences: Iterable[BodySentence],
    registry: Registry,
    own: frozenset[str] = frozenset(),
) -> list[Finding]:
    """One finding per unlinked sentence that attributes a claim (the first cue it shows).

    *sentences* are the article body's, as extraction produced them.  Names of the article's
    *own* outlets (source keys) do not count: "Mr Obama told the BBC" in a BBC article needs
    no link.
    """
    found: list[Finding] = []
    seen: set[str] = set()
    index = name_index(registry)
    for sentence in sentences:
        if sentence.linked or sentence.text in seen or not may_attribute(sentence.text):
            continue
        seen.add(sentence.text)
        finding = _attribution(article_id, sentence.text, registry, index, own)
        if finding is not None:
            found.append(finding)
    return found


def _attribution(
    article_id: str, text: str, registry: Registry, index: dict[str, str], own: frozenset[str]
) -> Finding | None:
    names = [n for n in names_in(text, registry) if index[n] not in own]
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
