"""Outlet names in prose: which registry names a text uses, as whole words.

Shared by hygiene (an anchor that names one outlet and links another), attribution (a sentence
that credits an outlet) and repair (the source a lost link or an unlinked attribution names).
Names that are also ordinary words (``data/ambiguous_names.csv``), and the names of platforms,
are never read as a source.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from linkgraph.records import SourceKind
from linkgraph.sources import Registry, ambiguous_names

__all__ = ["MIN_NAME_LENGTH", "UNNAMED_KINDS", "name_index", "names_in"]

# Kinds whose names are too generic to be read as an outlet in anchor text, or name a company
# or a service rather than a source ("Get it on Amazon", "Apple Watches", "Mozilla"): not news,
# so an anchor saying one is no second-hand citation and a sentence saying one no attribution.
UNNAMED_KINDS: Final = frozenset({
    SourceKind.OTHER, SourceKind.SOCIAL, SourceKind.PLATFORM, SourceKind.REFERENCE,
    SourceKind.STANDARDS, SourceKind.ARCHIVE, SourceKind.BLOG,
})
MIN_NAME_LENGTH: Final = 3  # "AP", "UN" are aliases, but too ambiguous inside anchor text


@lru_cache(maxsize=8)
def name_index(registry: Registry) -> dict[str, str]:
    """Outlet names and aliases usable in prose -> registry key (first entry wins)."""
    index: dict[str, str] = {}
    for entry in registry.entries:
        if entry.kind in UNNAMED_KINDS:
            continue
        for name in entry.names:
            if len(name) >= MIN_NAME_LENGTH and not name.islower() and \
                    name not in ambiguous_names():
                index.setdefault(name, entry.key)
    return index


_WORD = re.compile(r"\w+")
# Where a name can start: a word that does not start in lower case (names are capitalised,
# acronyms, digits or CJK); lower-case words are skipped without a dictionary look-up.
_NAME_START = re.compile(r"(?<!\w)[^\W_a-z]\w*")


@lru_cache(maxsize=8)
def _names_by_first_word(registry: Registry) -> dict[str, tuple[str, ...]]:
    first: dict[str, list[str]] = {}
    for name in name_index(registry):
        word = _WORD.match(name)
        if word is not None:
            first.setdefault(word.group(0), []).append(name)
    return {w: tuple(sorted(names, key=len, reverse=True)) for w, names in first.items()}


@lru_cache(maxsize=8)
def _non_ascii_first_words(registry: Registry) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The index entries whose first word starts outside ASCII (the prefix matches below)."""
    return tuple(
        (w, names) for w, names in _names_by_first_word(registry).items() if not w[0].isascii()
    )


def names_in(text: str, registry: Registry) -> list[str]:
    """Outlet names that occur in *text* as whole words, in order (longest at each place).

    Scans words and looks names up by their first word: linear in the text, whatever the
    size of the registry.
    """
    index = _names_by_first_word(registry)
    found: list[str] = []
    end = 0
    for word in _NAME_START.finditer(text):
        start = word.start()
        if start < end:
            continue
        token = word.group(0)
        candidates = index.get(token, ())
        if not candidates and not token[0].isascii():
            # Korean and Japanese attach particles to names ("한국갤럽은"), Russian inflects
            # them ("ТАССу"): match a prefix.  Words that start in ASCII ("Según") never need
            # it, and scanning the whole index for each of them was the slowest step.
            candidates = tuple(n for w, names in _non_ascii_first_words(registry)
                               if token.startswith(w) for n in names)
        for name in candidates:
            stop = start + len(name)
            if not text.startswith(name, start):
                continue
            if name.isascii() and stop < len(text) and (text[stop].isalnum() or
                                                        text[stop] == "_"):
                continue
            if name.isupper() and _shouting(text, start, stop):
                continue  # "THE GIRL WHO LEAPT": an acronym in all-caps text is a word
            found.append(name)
            end = stop
            break
    return found


_WORD_BEFORE: Final = re.compile(r"([^\W\d_]{3,})\W*$")
_WORD_AFTER: Final = re.compile(r"^\W*([^\W\d_]{3,})")


def _shouting(text: str, start: int, stop: int) -> bool:
    """True when a word of three letters or more next to text[start:stop] is in capitals."""
    before = _WORD_BEFORE.search(text[max(0, start - 40):start])
    after = _WORD_AFTER.match(text[stop:stop + 40])
    return any(m is not None and m.group(1).isupper() for m in (before, after))
