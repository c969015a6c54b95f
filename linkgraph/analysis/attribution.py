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

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Final

from linkgraph.analysis.hygiene import name_index, names_in
from linkgraph.analysis.records import Finding, FindingKind
from linkgraph.records import BodySentence
from linkgraph.sources import Registry

# Cue words around a name ({name} is the alternation of outlet names).  Names match only as
# written; cue words after a name only in lower case, so that "Pew Research Center" is not read
# as "Pew" + "research".
NAMED_CUES: Final = (
    r"(?i:according\s+to)\b[^.;:!?]{0,60}?(?<!\w)(?P<name>{name})(?!\w)",
    r"(?<!\w)(?P<name>{name})(?!\w)(?:'s|’s)?\s+(?:\w+\s+){0,2}?(?:reported|reports|said|says|"
    r"quoted|cited|announced|wrote|writes|noted|claimed|published|found|showed|shows|stated|"
    r"estimated|revealed|confirmed|according)\b",
    r"(?<!\w)(?P<name>{name})(?!\w)(?:'s|’s)?\s+(?:poll|polls|survey|report|study|data|"
    r"statement|analysis|figures|research|interview)\b",
    r"(?i:poll|survey|report|study|data)\s+(?i:by|from|conducted\s+by|released\s+by|published"
    r"\s+by)\s+(?:the\s+)?(?P<name>{name})(?!\w)",
    r"(?i:told|in\s+an\s+interview\s+with|speaking\s+to)\s+(?:the\s+)?(?P<name>{name})(?!\w)",
    # Korean: "한국갤럽에 따르면", "리얼미터 여론조사", "연합뉴스 보도"
    r"(?P<name>{name})\S{0,3}\s*(?:에\s*따르면|여론조사|조사|보도|발표)",
    # Japanese: "共同通信によると", "NHKの世論調査"
    r"(?P<name>{name})(?:によると|によれば|の調査|の世論調査|が報じた|の報道)",
    # Spanish and Portuguese: "según la agencia EFE", "de acordo com a Folha", "EFE informó",
    # "una encuesta de Datafolha"
    r"(?i:según|segun|de\s+acuerdo\s+con|de\s+acordo\s+com|conforme|citad[oa]\s+por)\b"
    r"[^.;:!?]{0,60}?(?<!\w)(?P<name>{name})(?!\w)",
    r"(?<!\w)(?P<name>{name})(?!\w)\s+(?:\w+\s+){0,2}?(?:informó|informa|informou|publicó|"
    r"publicou|reportó|dijo|disse|señaló|indicó|afirmó|afirmou|aseguró|reveló|revelou|"
    r"confirmó|confirmou|difundió|divulgou|noticiou)(?!\w)",
    r"(?i:encuesta|sondeo|pesquisa|sondagem|informe|relatório|estudio|estudo)\s+(?i:de|del|da|do|"
    r"elaborad[oa]\s+por|realizad[oa]\s+por|publicad[oa]\s+por)\s+(?:la\s+|el\s+|a\s+|o\s+)?"
    r"(?P<name>{name})(?!\w)",
    # French and German: "selon l'AFP", "d'après Le Monde", "laut Reuters", "der dpa zufolge"
    r"(?i:selon|d['’]après|laut|nach\s+Angaben\s+(?:der|des|von))\b[^.;:!?]{0,40}?(?<!\w)"
    r"(?P<name>{name})(?!\w)",
    r"(?<!\w)(?P<name>{name})(?!\w)\s+(?:\w+\s+){0,2}?(?:zufolge|berichtete|meldete|"
    r"rapporte|a\s+rapporté|a\s+indiqué)(?!\w)",
    r"(?i:sondage|enquête|Umfrage|Studie)\s+(?i:de|du|des|d['’]|von|der)\s*"
    r"(?:l['’]|la\s+|le\s+|les\s+|der\s+|des\s+)?(?P<name>{name})(?!\w)",
)
GENERIC_CUES: Final = re.compile(
    r"(?i:said\s+in\s+a\s+(?:written\s+)?(?:statement|press\s+release|briefing|report)|"
    r"according\s+to\s+(?:a|an|the)\s+(?:new\s+|recent\s+|latest\s+)?(?:poll|survey|statement|"
    r"report|study)|(?:a|the)\s+(?:new\s+|recent\s+|latest\s+)?(?:poll|survey)\s+"
    r"(?:by|from|conducted|released|published|showed|shows|found)|"
    r"(?i:en\s+un\s+comunicado|em\s+(?:uma\s+)?nota|dans\s+un\s+communiqué|"
    r"in\s+einer\s+Mitteilung|según\s+(?:una|un)\s+(?:encuesta|sondeo|informe|estudio)))"
)
# A cheap pre-filter: a sentence without any of these (lower case) stems cannot match a cue.
# Substring tests, one C search each: a case-blind regex alternation of them tried at every
# position of every sentence cost ten times as much.
CUE_STEMS: Final = (
    "according", "report", "said", "says", "quot", "cited", "announc", "wrote", "writes",
    "noted", "claim", "publish", "found", "show", "stated", "estimat", "reveal", "confirm",
    "poll", "survey", "study", "data", "statement", "analysis", "figures", "research",
    "interview", "told", "speaking", "segun", "según", "acuerdo", "acordo", "conforme", "citad",
    "inform", "public", "dijo", "disse", "señal", "indic", "afirm", "asegur", "revel", "difund",
    "divulg", "notici", "encuesta", "sondeo", "pesquisa", "sondagem", "relatório", "estudi",
    "estudo", "comunicado", "nota", "selon", "après", "laut", "angaben", "zufolge", "bericht",
    "meldete", "rapport", "sondage", "enquête", "umfrage", "studie", "communiqué", "mitteilung",
    "따르면", "조사", "보도", "발표", "によると", "によれば", "調査", "報",
)


def _may_attribute(text: str) -> bool:
    low = text.lower()
    return any(stem in low for stem in CUE_STEMS)


@lru_cache(maxsize=4096)
def _named_cues(names: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The cue patterns for the names found in one sentence (few, so the regexes stay small)."""
    alternation = "(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    alternation += ")"
    return tuple(re.compile(cue.replace("{name}", alternation)) for cue in NAMED_CUES)


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
        if sentence.linked or sentence.text in seen or not _may_attribute(sentence.text):
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
    for cue in _named_cues(tuple(sorted(set(names)))) if names else ():
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
