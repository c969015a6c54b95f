"""Repair what damaged exports lost, and always say how a source is known.

Between extraction and the store: each lost link (anchor text whose ``href`` was stripped)
and each unlinked attribution ("according to Yonhap") gets the source its words name, as a
citation with provenance ``inferred`` (the rule that fired, the evidence, a confidence), or
stays ``missing`` with the reason (``linkgraph.repair.infer``).  Recovery from an original copy
(provenance ``recovered``, with where from and when) will sit beside it and take precedence.

>>> from linkgraph.records import Article, BodyKind, BodySentence, Origin
>>> from linkgraph.extract.extractor import extract
>>> art = Article("a", "https://news.example/1", "news.example", "", None, None, Origin("x"),
...     "<p>Seoul <span>urged</span></a> it, according to Yonhap.</p>", BodyKind.FRAGMENT)
>>> fixed = infer_sources(extract(art), [BodySentence("Seoul urged it, according to Yonhap.",
...                                                   linked=False)])
>>> [(c.text, c.provenance.kind.value, c.provenance.source_key) for c in fixed.citations]
[('urged', 'inferred', 'yna.co.kr')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from linkgraph.records import (
    Article,
    BodySentence,
    Citation,
    CitationKind,
    Extraction,
    Provenance,
    ProvenanceKind,
)
from linkgraph.repair.infer import InferenceContext, Inferred, infer_attribution, infer_lost
from linkgraph.repair.laws import dominant_country, source_for_key
from linkgraph.sources import Registry, default_registry, own_outlets

__all__ = [
    "InferenceContext",
    "infer_sources",
    "inference_context",
    "source_for_key",
    "without_inference",
]

def _provenance(inferred: Inferred) -> Provenance:
    if inferred.source_key is None:
        return Provenance(ProvenanceKind.MISSING, note=inferred.note)
    return Provenance(ProvenanceKind.INFERRED, source_key=inferred.source_key,
                      rule=inferred.rule, evidence=inferred.evidence,
                      confidence=inferred.confidence, note=inferred.note)


def infer_sources(
    extraction: Extraction,
    sentences: Iterable[BodySentence] = (),
    registry: Registry | None = None,
) -> Extraction:
    """*extraction* with a source inferred for each lost link and unlinked attribution.

    *sentences* are the body's sentences; each source that one holding no real link credits
    becomes a citation of kind ``unlinked`` after the extracted ones.  Lost links already
    recovered are left as they are.
    """
    registry = registry or default_registry()
    article = extraction.article
    body = list(sentences)
    context = inference_context(article, body, registry)
    citations: list[Citation] = []
    covered: dict[str, set[str]] = {}  # sentence -> keys a lost link in it stands for
    for original in extraction.citations:
        citation = original
        if original.kind is CitationKind.LOST and \
                original.provenance.kind is ProvenanceKind.MISSING:
            inferred = infer_lost(original.text, original.context, context)
            citation = replace(original, provenance=_provenance(inferred))
            if inferred.source_key is not None:
                covered.setdefault(_norm(original.context), set()).add(inferred.source_key)
        citations.append(citation)
    seen: set[str] = set()
    for sentence in body:
        if sentence.linked:
            continue
        text = sentence.text
        key = _norm(text)
        if key in seen:
            continue
        seen.add(key)
        for inferred in infer_attribution(text, context, covered.get(key, ())):
            citations.append(Citation(
                # -1: a body sentence does not say which paragraph it is in
                article_id=article.id, position=len(citations), paragraph=-1,
                href=None, url=None, key=None, domain=None,
                text=_name_in(inferred.evidence, inferred.source_key, registry), context=text,
                kind=CitationKind.UNLINKED, provenance=_provenance(inferred),
            ))
    return replace(extraction, citations=tuple(citations))


def inference_context(article: Article, sentences: Sequence[BodySentence],
                      registry: Registry) -> InferenceContext:
    """What inference knows of *article*: its own outlets, its site's country (registry) and
    the country its text is about (title and *sentences*)."""
    own = own_outlets(article, registry)
    site_country = next((c for c in (_country(registry, k) for k in sorted(own)) if c), None)
    about = dominant_country([article.title, *(s.text for s in sentences)])
    return InferenceContext(registry, own, site_country, about)


def without_inference(extraction: Extraction) -> Extraction:
    """*extraction* as extraction made it: no inferred sources (``--no-infer`` on a store)."""
    kept = tuple(
        replace(c, provenance=Provenance(ProvenanceKind.MISSING, note="inference turned off"))
        if c.provenance.kind is ProvenanceKind.INFERRED else c
        for c in extraction.citations if c.kind is not CitationKind.UNLINKED
    )
    return replace(extraction, citations=kept)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _country(registry: Registry, key: str) -> str | None:
    entry = registry.entry(key)
    return entry.country if entry is not None else None


def _name_in(evidence: str, key: str | None, registry: Registry) -> str:
    """The words of *evidence* that name the source (the outlet's name), else the evidence."""
    entry = registry.entry(key) if key else None
    if entry is not None:
        for name in sorted(entry.names, key=len, reverse=True):
            if name in evidence:
                return name
    return evidence
