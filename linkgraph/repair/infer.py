"""Infer the source a lost link or an unlinked attribution names, from its words alone.

A lost link keeps its anchor text and its sentence; an unlinked attribution ("according to
Yonhap") has only its sentence.  The rules, first that fires wins, each with a confidence:

=============================  ==========================================================  ====
rule                           fires when                                                  conf
=============================  ==========================================================  ====
``url-in-anchor``              the anchor text is an address ("Rebelion.org")              0.95
``identifier``                 a reference identifier names the resolver ("JSTOR 26760")   0.9
``reference-publisher``        a reference names its publisher ('"Title". the Guardian.')  0.8
``outlet-after-anchor``        "<anchor> at Wikimedia Commons", "<anchor> in The Atlantic" 0.8
``law-named-in-anchor``        the anchor text is a law's name ("Foreign Trade Act")       0.85
``outlet-named-in-anchor``     the anchor text names one registry outlet ("Gallup Korea")  0.9
``org-named-and-attributed``   the anchor names an organisation the sentence credits       0.8
``outlet-attributed``          the sentence credits one outlet ("according to Ukrinform")  0.75
``org-attributed``             ... one organisation ("NATO said")                          0.7
``attribution-names-outlet``   an unlinked sentence credits an outlet (one citation each)  0.85
``attribution-names-org``      ... an organisation                                         0.8
``law-cited``                  an unlinked sentence rests on a law ("under the ... Act")   0.8
=============================  ==========================================================  ====

Precision first: a wrong source is worse than a missing one.  Names match whole, from the
registry (names and aliases, ``data/outlets.csv``), never the ambiguous ones
(``linkgraph.sources.names``); organisations (international bodies, governments) only where the
sentence credits them, never on a bare mention ("during his visit to NATO"), nor where the
name only qualifies a person ("NATO chief Jens Stoltenberg"); a sentence that credits several
sources gives a lost link none.  The article's own outlet is never its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from linkgraph.records import SourceKind
from linkgraph.repair.cues import repair_cues
from linkgraph.repair.laws import find_laws, law_cited, law_country, law_source_key
from linkgraph.repair.references import (
    anchor_address,
    entity_list_entry,
    identifier_source,
    outlet_after_anchor,
    reference_publisher,
)
from linkgraph.sources import Registry
from linkgraph.sources.names import name_index, names_in

__all__ = ["CONFIDENCE", "InferenceContext", "Inferred", "infer_attribution", "infer_lost"]

# Confidence of each rule (see the module docstring).
CONFIDENCE: Final = {
    "url-in-anchor": 0.95,
    "identifier": 0.9,
    "reference-publisher": 0.8,
    "outlet-after-anchor": 0.8,
    "law-named-in-anchor": 0.85,
    "outlet-named-in-anchor": 0.9,
    "org-named-and-attributed": 0.8,
    "outlet-attributed": 0.75,
    "org-attributed": 0.7,
    "attribution-names-outlet": 0.85,
    "attribution-names-org": 0.8,
    "law-cited": 0.8,
}
ORG_KINDS: Final = frozenset({SourceKind.INTERNATIONAL_ORG, SourceKind.GOVERNMENT})
# Anchor texts longer than this are quotations: a name inside one is not what the link was on.
MAX_NAMING_ANCHOR: Final = 80
# Words after an organisation's name that make it a person's title: the person spoke, and the
# link may go anywhere ("NATO chief Jens Stoltenberg said").
PERSON_TITLES: Final = re.compile(
    r"^(?:'s|’s)?\s+(?:chief|head|leader|spokes(?:man|woman|person)|secretary[- ]general|"
    r"secretary|official|officials|minister|ambassador|envoy|president|director|"
    r"director[- ]general|commander|chairman|chairwoman|chair|member|members|deputy|"
    r"representative|negotiator|adviser|advisor|jefe|portavoz|secretario|presidente|"
    r"ministro|director|embajador|대변인|장관|대표|総長|報道官|長官)\b",
    re.IGNORECASE,
)
# Names of outlets that are also people's names: credited only by words an outlet does
# ("reported", "according to"), never by "said" or "told".
PERSON_NAMES: Final = frozenset({"Bloomberg", "Forbes", "Gallup", "Reuters", "Pew"})
_SPOKE: Final = re.compile(r"\b(?:said|says|told|dijo|disse|a\s+dit)\b")
_SPEECH: Final = re.compile(
    r"\b(?:said|says|told|stated|announced|added|condemned|denied|confirmed|dijo|declaró|"
    r"afirmó|señaló|disse|a\s+dit)\b"
)


@dataclass(frozen=True, slots=True)
class Inferred:
    """What inference made of one lost link or attribution: a source key, or why none."""

    source_key: str | None
    rule: str = ""
    evidence: str = ""
    confidence: float | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class InferenceContext:
    """What inference knows of the article: the registry, its own outlets, its site's country."""

    registry: Registry
    own: frozenset[str] = frozenset()
    site_country: str | None = None  # the registry's country of the article's own outlet
    article_country: str | None = None  # the country the text is about (dominant_country)

    def jurisdiction(self, named: str | None) -> tuple[str | None, str]:
        """The country whose law a law is, and how that was decided."""
        if named:
            return named, f"jurisdiction {named}: named with the law"
        if self.site_country:
            return self.site_country, f"jurisdiction {self.site_country}: the site's country"
        if self.article_country:
            return self.article_country, (f"jurisdiction {self.article_country}: the country"
                                          " the article is about")
        return None, "jurisdiction unknown"


def _found(rule: str, key: str, evidence: str, note: str = "") -> Inferred:
    return Inferred(key, rule, " ".join(evidence.split()), CONFIDENCE[rule], note)


def _kind(context: InferenceContext, key: str) -> SourceKind | None:
    entry = context.registry.entry(key)
    return entry.kind if entry is not None else None


def credited(sentence: str, context: InferenceContext) -> list[tuple[str, str, str]]:
    """(name, source key, evidence) of every source *sentence* credits, in order, own
    outlets and person titles left out."""
    index = name_index(context.registry)
    names = sorted({n for n in names_in(sentence, context.registry)
                    if index[n] not in context.own})
    if not names:
        return []
    out: dict[str, tuple[str, str, str]] = {}
    cues = repair_cues(tuple(names))
    for number, cue in enumerate(cues):
        spokesperson = number == len(cues) - 1  # SPOKESPERSON_CUE comes last
        if spokesperson and not _SPEECH.search(sentence):
            continue
        for match in cue.finditer(sentence):
            name = match.group("name")
            key = index[name]
            if key in out:
                continue
            after = sentence[match.end("name"):]
            if not spokesperson and _kind(context, key) in ORG_KINDS and \
                    PERSON_TITLES.match(after):
                continue
            if name in PERSON_NAMES and _SPOKE.search(match.group(0)):
                continue
            out[key] = (name, key, match.group(0))
            # "according to Reuters and the BBC": the names joined to it are credited too.
            for joined in _joined(sentence, match.end("name"), names):
                out.setdefault(index[joined], (joined, index[joined], match.group(0)))
    return sorted(out.values(), key=lambda item: sentence.find(item[2]))


_JOIN: Final = re.compile(r"\s*(?:,|and|or|y|e|et|und|&)\s+(?:the\s+|el\s+|la\s+)?")


def _joined(sentence: str, end: int, names: list[str]) -> list[str]:
    """The names coordinated right after position *end* ("..., Reuters and the BBC")."""
    found: list[str] = []
    while True:
        join = _JOIN.match(sentence, end)
        if join is None:
            return found
        name = next((n for n in sorted(names, key=len, reverse=True)
                     if sentence.startswith(n, join.end())), None)
        if name is None:
            return found
        found.append(name)
        end = join.end() + len(name)


def _mentioned(sentence: str, context: InferenceContext) -> list[str]:
    index = name_index(context.registry)
    return [n for n in names_in(sentence, context.registry) if index[n] not in context.own]


def _law(text: str, where: str, context: InferenceContext) -> tuple[str, str, str] | None:
    """(law name, source key, how its jurisdiction was found) of the first law named in
    *text*, its country read in *where* (the sentence) too."""
    laws = find_laws(text)
    if not laws:
        return None
    law = laws[0]
    country = law_country(text, law)
    if country is None and where != text:
        start = where.find(law.name)
        if start >= 0:
            country = law_country(where, type(law)(law.name, start, start + len(law.name)))
    code, how = context.jurisdiction(country)
    return law.name, law_source_key(context.registry, code), how


def infer_lost(anchor: str, sentence: str, context: InferenceContext) -> Inferred:
    """The source a lost link on *anchor*, in *sentence*, most likely pointed at, or why none.

    >>> from linkgraph.sources import default_registry
    >>> ctx = InferenceContext(default_registry(), site_country="KR")
    >>> infer_lost("urged", "Zelenskyy urged it, according to Kyiv's state-run news agency "
    ...            "Ukrinform.", ctx).source_key
    'ukrinform.net'
    >>> infer_lost("made", "a remark made by NATO chief Jens Stoltenberg during his visit",
    ...            ctx).note
    'names NATO, but the sentence credits nothing to it'
    """
    anchor = " ".join(anchor.split())
    early = _reference(anchor, sentence, context)
    if early is not None:
        return early
    if anchor and len(anchor) <= MAX_NAMING_ANCHOR:
        law = _law(anchor, sentence, context)
        # The anchor is the law's name, or starts with it ("Ley Orgánica 3/1984, de 26 de ...").
        if law is not None and (len(law[0]) >= len(anchor) * 0.5 or
                                anchor.lstrip("\"“«").startswith(law[0])):
            return _found("law-named-in-anchor", law[1], law[0], law[2])
        named = _named_in_anchor(anchor, sentence, context)
        if named is not None:
            return named
    sources = credited(sentence, context)
    keys = {key for _, key, _ in sources}
    if len(keys) == 1:
        _, key, evidence = sources[0]
        rule = "org-attributed" if _kind(context, key) in ORG_KINDS else "outlet-attributed"
        return _found(rule, key, evidence)
    if len(keys) > 1:
        names = ", ".join(name for name, _, _ in sources)
        return Inferred(None, note=f"the sentence credits several sources ({names})")
    mentioned = _mentioned(sentence, context)
    if mentioned:
        return Inferred(None, note=f"names {mentioned[0]}, but the sentence credits nothing to it")
    laws = find_laws(sentence)
    if laws:
        return Inferred(None, note=f"the sentence names {laws[0].name}, but the link was on other"
                                   " words")
    return Inferred(None, note="no outlet, organisation or law is named in the anchor or its"
                               " sentence")


def _reference(anchor: str, sentence: str, context: InferenceContext) -> Inferred | None:
    """The reference rules (``linkgraph.repair.references``), first that fires."""
    registry = context.registry
    address = anchor_address(anchor, registry)
    if address is not None:
        key, evidence = address
        if key in context.own:
            return Inferred(None, note="the anchor is an address of the article's own site")
        return _found("url-in-anchor", key, evidence)
    if entity_list_entry(anchor, sentence, registry):
        return Inferred(None, note="a bare name in a list (an entity link, not a citation)")
    for rule, found in (("identifier", identifier_source(anchor, sentence)),
                        ("reference-publisher", reference_publisher(anchor, sentence, registry)),
                        ("outlet-after-anchor", outlet_after_anchor(anchor, sentence, registry))):
        if found is not None and found[0] not in context.own:
            return _found(rule, found[0], found[1])
    return None


def _named_in_anchor(anchor: str, sentence: str, context: InferenceContext) -> Inferred | None:
    index = name_index(context.registry)
    names = names_in(anchor, context.registry)
    keys = {index[n] for n in names}
    if len(keys) != 1:
        return None
    key = next(iter(keys))
    if key in context.own:
        return Inferred(None, note=f"names {names[0]}, the article's own outlet")
    if _kind(context, key) in ORG_KINDS:
        if any(k == key for _, k, _ in credited(sentence, context)):
            return _found("org-named-and-attributed", key, sentence)
        return Inferred(None, note=f"names {names[0]}, but the sentence credits nothing to it")
    return _found("outlet-named-in-anchor", key, anchor)


def infer_attribution(sentence: str, context: InferenceContext,
                      skip: Iterable[str] = ()) -> list[Inferred]:
    """One inferred source per source an unlinked *sentence* credits (keys in *skip* left out:
    a lost link in the same sentence stands for them already).

    >>> from linkgraph.sources import default_registry
    >>> ctx = InferenceContext(default_registry(), site_country="KR")
    >>> [i.source_key for i in infer_attribution("Yonhap reported the launch.", ctx)]
    ['yna.co.kr']
    >>> [i.source_key for i in infer_attribution("Exports are banned under the Foreign Trade Act.",
    ...                                           ctx)]
    ['law.go.kr']
    """
    skipped = set(skip)
    out: list[Inferred] = []
    for _, key, evidence in credited(sentence, context):
        if key in skipped:
            continue
        skipped.add(key)
        rule = "attribution-names-org" if _kind(context, key) in ORG_KINDS else \
            "attribution-names-outlet"
        out.append(_found(rule, key, evidence))
    for law in find_laws(sentence):
        if not law_cited(sentence, law):
            continue
        code, how = context.jurisdiction(law_country(sentence, law))
        key = law_source_key(context.registry, code)
        if key not in skipped:
            skipped.add(key)
            start = max(0, law.start - 40)
            evidence = sentence[start: law.end]
            out.append(_found("law-cited", key, evidence[evidence.find(" ") + 1:]
                              if start else evidence, how))
    return out
