"""Laws and regulations named in prose, and whose law they are.

"the Foreign Trade Act", "Decree No. 117", "대외무역법", "個人情報保護法", "la Ley 26.522",
"Grundgesetz": a law is a source of its own kind.  Its jurisdiction comes from a country named
right before or after it ("South Korea's Foreign Trade Act", "la ley argentina"), from its
script (a law named in Korean is Korean law), else from the article's site; the source is that
country's official law portal when the registry knows one (``data/jurisdictions.csv``), else a
law source of the country (``law:KR``), else of no known country (``law:unknown``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Final

from linkgraph.records import Source, SourceKind
from linkgraph.sources import Registry

__all__ = [
    "LAW_KEY_PREFIX",
    "Jurisdiction",
    "LawMention",
    "dominant_country",
    "find_laws",
    "jurisdictions",
    "law_cited",
    "law_country",
    "law_source_key",
    "source_for_key",
]

DATA_FILE: Final = "jurisdictions.csv"
LAW_KEY_PREFIX: Final = "law:"
UNKNOWN: Final = "unknown"

_CAP = r"[A-Z][\w'’\-.]*"
_LINK = r"(?:of|on|and|for|the|to|in|against|&)"
# English: capitalised words ending in a law word ("Foreign Trade Act", "Criminal Code"), or
# a numbered decree or law ("Decree No. 117", "Executive Order 14024").
_EN_NAMED = re.compile(
    rf"(?<![\w-])(?:{_CAP}\s+(?:(?:{_CAP}|{_LINK})\s+){{0,8}})(?:Act|Law|Code|Decree|Ordinance|"
    r"Statute|Directive|Regulation|Constitution)(?!\w)(?:\s+of\s+(?:19|20)\d\d)?"
)
_NUMBERED = re.compile(
    r"(?<!\w)(?:Decree|Law|Executive\s+Order|Presidential\s+Decree|Ordinance|Resolution"
    r"|Decreto|Ley|Lei|Loi|décret|loi)(?:\s+[A-ZÁÉÍÓÚ][a-záéíóúñ]+)?\s+(?:N[oº°]\.?\s*|No\.\s*"
    r"|n°\s*|nº\s*|número\s+)?\d[\d.\-/]*\d?(?!\w)"
)
# Spanish, Portuguese and French named laws: "Ley de Medios", "Ley Orgánica de Educación",
# "Código Penal", "Lei Maria da Penha", "Loi Evin".
_ROMANCE_NAMED = re.compile(
    r"(?<!\w)(?:Ley|Lei|Loi|Código|Codigo|Code|Decreto|Reglamento)\s+(?:(?:de|del|da|do|la|las|"
    r"los|y|e|sobre|para|des|du|sur)\s+){0,2}[A-ZÁÉÍÓÚÑ][\wáéíóúñç\-]*(?:\s+(?:(?:de|del|da|do|la|"
    r"las|los|y|e|sobre|para|des|du)\s+)?[A-ZÁÉÍÓÚÑ][\wáéíóúñç\-]*){0,5}"
)
# German compounds: "Grundgesetz", "Infektionsschutzgesetz", "Strafgesetzbuch".
_GERMAN = re.compile(r"(?<!\w)[A-ZÄÖÜ][a-zäöüß]{3,}(?:gesetz|gesetzbuch|verordnung)(?!\w)")
# Korean: a noun ending in 법 / 법률 / 시행령 ("대외무역법", "개인정보 보호법").
_KOREAN = re.compile(
    r"(?<![가-힣])[가-힣]{2,}(?:\s[가-힣]{2,})?(?:법률|법|시행령)(?=[^가-힣]|$|[은는이가을를의에상과도])"
)
# Japanese: a run of kanji and katakana ending in 法 ("個人情報保護法", "外為法").
_JAPANESE = re.compile(r"[一-龥ァ-ヶー]{2,}法(?![一-龥])")

# Words that may stand before a law's name without being part of it.
_LEADING = re.compile(
    r"(?:(?:The|A|An|This|That|His|Her|Their|Our|Its|New|Under|Amended|Revised)\s+|"
    r"[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)?(?:'s|’s)\s+)+"
)
# Capitalised phrases ending in a law word that name no statute ("Martial Law", "Moore's Law"),
# and words that name none when they are all there is before "Law" or "Act" ("Federal Law").
NOT_LAWS: Final = frozenset(
    {"martial", "common", "sharia", "islamic", "canon", "natural", "moore's", "murphy's",
     "parkinson's", "sod's", "newton's", "customary", "case", "dress", "zip", "area", "source",
     "bar", "building", "postal", "morse", "penal"}
)
GENERIC_BEFORE_LAW: Final = frozenset(
    {"international", "roman", "federal", "state", "national", "any", "no", "every", "family",
     "country", "airport", "in", "da", "local", "new", "old", "current", "existing", "domestic",
     "foreign", "criminal", "civil"}
)
# Words ending in 법 / 法 that are not laws ("방법" method, "불법" illegal, "方法" method).
NOT_KOREAN_LAWS: Final = frozenset(
    {"방법", "불법", "문법", "사법", "입법", "위법", "합법", "편법", "수법", "어법", "요법", "기법",
     "용법", "화법", "마법", "비법", "해법", "적법", "탈법", "무법", "필법", "공법", "치료법",
     "사용법", "요리법", "조리법", "계산법", "표기법", "작성법", "공부법", "운동법", "해결법",
     "활용법", "접근법", "방법론", "변증법", "연구방법", "사고방식"}
)
NOT_JAPANESE_LAWS: Final = frozenset(
    {"方法", "文法", "手法", "技法", "違法", "合法", "不法", "司法", "立法", "魔法", "用法", "療法",
     "作法", "寸法", "製法", "論法", "説法", "工法", "筆法", "話法", "戦法", "商法的", "解法",
     "記法", "算法", "兵法", "剣法", "仏法", "無法", "適法", "便法", "秘法", "除法", "乗法"}
)
# Words before a law that show the sentence rests on it, not merely mentions it ("under the
# Foreign Trade Act", "violating the ... Act", "según la Ley ...", "법에 따르면").
LAW_CUE_BEFORE: Final = re.compile(
    r"(?i:under|pursuant\s+to|in\s+accordance\s+with|according\s+to|as\s+required\s+by|"
    r"in\s+violation\s+of|in\s+breach\s+of|violat\w*|breach\w*|contravene\w*|"
    r"article\s+\d+\w*\s+of|section\s+\d+\w*\s+of|art\.\s*\d+\w*\s+(?:of|de|del)|"
    r"según|conforme\s+a|en\s+virtud\s+de|de\s+acuerdo\s+con|al\s+amparo\s+de|viola\w*|"
    r"artículo\s+\d+\w*\s+de|selon|en\s+vertu\s+de|conformément\s+à|gemäß|laut|nach)"
    r"\s+(?:(?:the|la|el|le|los|las|a|o|l['’]|del|de\s+la|dem|der|des)\s+)?[^.;:!?]{0,40}$"
)
LAW_CUE_AFTER: Final = re.compile(
    r"^\s*(?:\([^)]{0,40}\)\s*)?(?:says|states|stipulates|requires|prohibits|bans|forbids|"
    r"mandates|provides|allows|dispone|establece|prohíbe|prevé|estipula|exige|prévoit|"
    r"interdit|에\s*따르면|에\s*따라|을\s*위반|를\s*위반|\s*위반|상|제\s*\d+\s*조|によると|"
    r"に基づ|に違反|違反|第\s*\d+\s*条)"
)


@dataclass(frozen=True, slots=True)
class LawMention:
    """A law named in a text, with where it stands."""

    name: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """One country whose laws an article may cite."""

    code: str
    names: tuple[str, ...]
    law_portal: str | None


def find_laws(text: str) -> list[LawMention]:
    """The laws named in *text*, in order, without overlaps.

    >>> [m.name for m in find_laws("violating the Foreign Trade Act if he allows it")]
    ['Foreign Trade Act']
    >>> [m.name for m in find_laws("a remark made during his visit under martial law")]
    []
    """
    found: list[LawMention] = []
    for pattern in (_NUMBERED, _EN_NAMED, _ROMANCE_NAMED, _GERMAN, _KOREAN, _JAPANESE):
        for match in pattern.finditer(text):
            start = match.start()
            name = match.group(0)
            if pattern is _EN_NAMED:
                # "The ...", "South Korea's ...": the law's name starts after them.
                lead = _LEADING.match(name)
                if lead:
                    start += lead.end()
                    name = name[lead.end():]
            name = name.strip()
            if not _is_law_name(name, pattern):
                continue
            if any(m.start < start + len(name) and start < m.end for m in found):
                continue
            found.append(LawMention(name, start, start + len(name)))
    return sorted(found, key=lambda m: m.start)


def _is_law_name(name: str, pattern: re.Pattern[str]) -> bool:
    words = name.split()
    if pattern is _EN_NAMED:
        # At least one real word before the law word, and not a phrase that names no statute.
        first = words[0].lower()
        generic = len(words) == 2 and first in GENERIC_BEFORE_LAW and words[1] in {"Law", "Act"}
        # "Martial Law", "Source Code", "Introduction to Mozilla Source Code": the word before
        # the law word decides, wherever the phrase starts.
        before = words[-2].lower() if len(words) >= 2 else ""
        return len(words) >= 2 and first not in NOT_LAWS and before not in NOT_LAWS and \
            not generic and \
            words[-2].lower() not in {"the", "of", "and"}
    if pattern is _ROMANCE_NAMED:
        return len(words) >= 2
    if pattern is _KOREAN:
        bare = name.replace(" ", "")
        return bare not in NOT_KOREAN_LAWS and not any(bare.endswith(w) for w in NOT_KOREAN_LAWS
                                                        if len(w) > 2)
    if pattern is _JAPANESE:
        return name not in NOT_JAPANESE_LAWS and not any(name.endswith(w)
                                                         for w in NOT_JAPANESE_LAWS)
    return True


def law_cited(text: str, mention: LawMention) -> bool:
    """True when *text* rests a claim on the law (a cue before or after it), not a mention."""
    before = text[max(0, mention.start - 80): mention.start]
    after = text[mention.end: mention.end + 30]
    return bool(LAW_CUE_BEFORE.search(before) or LAW_CUE_AFTER.search(after))


@lru_cache(maxsize=1)
def jurisdictions() -> tuple[Jurisdiction, ...]:
    """The packaged jurisdiction table."""
    text = resources.files("linkgraph").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return tuple(
        Jurisdiction(row["code"].strip(), tuple(n for n in row["names"].split("|") if n),
                     row["law_portal"].strip() or None)
        for row in csv.DictReader(rows)
    )


@lru_cache(maxsize=1)
def _country_names() -> tuple[dict[str, str], re.Pattern[str]]:
    """Every country name -> code, and one pattern of them all, longest first ("North Korea"
    before "Korea")."""
    codes: dict[str, str] = {}
    for j in jurisdictions():
        for name in j.names:
            codes.setdefault(name, j.code)
    names = "|".join(re.escape(n) for n in sorted(codes, key=len, reverse=True))
    return codes, re.compile(rf"(?<![\w.])(?:{names})(?!\w)")


_PREPOSITION_BEFORE: Final = re.compile(
    r"(?:\b(?:to|against|on|with|from|toward|towards|into|at|in|for|about|over|by|of|visit|"
    r"a|contra|con|de|desde|hacia|en|sobre|para|por|del|al)|[A-Z]\w*)\s+(?:the\s+|la\s+|el\s+)?$"
)


def law_country(text: str, mention: LawMention) -> str | None:
    """The country named right before or after the law (``"South Korea's ... Act"``), or by
    its script (Korean, Japanese)."""
    codes, pattern = _country_names()
    before = text[max(0, mention.start - 40): mention.start]
    before = re.sub(r"(?i:\b(?:the|la|el|le)\s*)$", "", before.rstrip()).rstrip()
    matches = list(pattern.finditer(before))
    last = matches[-1] if matches else None
    if last is not None and re.fullmatch(r"(?:'s|’s|의|の)?\s*(?:(?:own|new)\s+)?",
                                         before[last.end():]):
        return codes[last.group(0)]
    after = re.match(rf"\s+(?:(?:de|del|of|da|do)\s+(?:la\s+|the\s+)?)?({pattern.pattern})",
                     text[mention.end: mention.end + 40])
    if after is not None:
        return codes[after.group(1)]
    inside = pattern.search(mention.name)  # "Criminal Code of Ukraine", "Korean ... Act"
    if inside is not None:
        return codes[inside.group(0)]
    if re.search("[가-힣]", mention.name):
        return "KR"
    if re.search("[ァ-ヶ]", text) or (re.search("[一-龥]", mention.name) and
                                      re.search("[ぁ-ゖ]", text)):
        return "JP"
    return None


def dominant_country(texts: Iterable[str], *, share: float = 2.0, least: int = 3) -> str | None:
    """The country an article is about: the one named most often as an actor (not after a
    preposition: "aid *to Ukraine*" is about the giver), at least *least* times and *share*
    times as often as any other; ``None`` when no country leads so clearly.

    >>> dominant_country(["Seoul said no.", "South Korea sent aid to Ukraine.",
    ...                   "South Korea's public disagrees."])
    'KR'
    """
    codes, pattern = _country_names()
    counts: dict[str, int] = {}
    for text in texts:
        for match in pattern.finditer(text):
            if _PREPOSITION_BEFORE.search(text[max(0, match.start() - 30): match.start()]):
                continue
            code = codes[match.group(0)]
            counts[code] = counts.get(code, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < least:
        return None
    if len(ranked) > 1 and ranked[0][1] < share * ranked[1][1]:
        return None
    return ranked[0][0]


def law_source_key(registry: Registry, country: str | None) -> str:
    """The source key of a law of *country*: its official portal, else ``law:<code>``."""
    if country:
        for j in jurisdictions():
            if j.code == country and j.law_portal and registry.entry(j.law_portal):
                return j.law_portal
        return LAW_KEY_PREFIX + country
    return LAW_KEY_PREFIX + UNKNOWN


def source_for_key(registry: Registry, key: str) -> Source:
    """The ``Source`` behind an inferred citation's key (a registry outlet or a law source)."""
    entry = registry.entry(key)
    if entry is not None:
        return Source(entry.key, entry.name, entry.kind, entry.country, f"registry-key:{key}")
    if key.startswith(LAW_KEY_PREFIX):
        code = key.removeprefix(LAW_KEY_PREFIX)
        if code == UNKNOWN:
            return Source(key, "Legislation (jurisdiction unknown)", SourceKind.LAW, None,
                          "inferred-law")
        return Source(key, f"Legislation ({code})", SourceKind.LAW, code, "inferred-law")
    return Source(key, key, SourceKind.OTHER, None, "unknown-key")
