"""Colours, fonts and the figure factory shared by every drawing in a report.

Drawings use ``matplotlib.figure.Figure`` with the Agg canvas directly, never pyplot: no
global state, safe in threads, no GUI backend ever picked.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Final

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager

from linkgraph.records import SourceKind

# Colour of each source kind (graph nodes, bars, legends): the Okabe-Ito palette, then Paul
# Tol's "muted" one, both made to stay apart for the common colour-vision deficiencies.  The
# five kinds of news outlet take five Okabe-Ito colours of their own (blue, sky blue, green,
# orange, indigo: "magazine" and "digital news" no longer two pale blues); "other" is grey.
KIND_COLOURS: Final[dict[SourceKind, str]] = {
    SourceKind.NEWS_AGENCY: "#0072b2",
    SourceKind.NEWSPAPER: "#56b4e9",
    SourceKind.BROADCASTER: "#009e73",
    SourceKind.MAGAZINE: "#e69f00",
    SourceKind.DIGITAL_NEWS: "#332288",
    SourceKind.POLLSTER: "#f0e442",
    SourceKind.GOVERNMENT: "#117733",
    SourceKind.LAW: "#882255",
    SourceKind.INTERNATIONAL_ORG: "#44aa99",
    SourceKind.ACADEMIC: "#aa4499",
    SourceKind.THINK_TANK: "#ddcc77",
    SourceKind.SOCIAL: "#cc79a7",
    SourceKind.WIKI: "#999933",
    SourceKind.BLOG: "#d55e00",
    SourceKind.PLATFORM: "#1b1b1b",
    SourceKind.REFERENCE: "#bbcc33",
    SourceKind.STANDARDS: "#8c564b",
    SourceKind.ARCHIVE: "#997700",
    SourceKind.OTHER: "#bbbbbb",
}
ARTICLE_COLOUR: Final = "#333333"
INTERNAL_COLOUR: Final = "#d9d9d9"
DEAD_COLOUR: Final = "#d62728"
TEXT_COLOUR: Final = "#222222"
MUTED_COLOUR: Final = "#666666"

# First family that is installed wins for Latin text; the others are per-glyph fallbacks
# (matplotlib >= 3.6), so a Korean or Japanese label renders when a CJK font is present.
_FAMILY_PREFERENCE: Final = (
    "DejaVu Sans",
    "Noto Sans CJK KR",
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Noto Serif CJK KR",
    "Noto Serif CJK JP",
    "NanumGothic",
    "Source Han Sans K",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "Noto Sans",
    "Liberation Sans",
)

DPI: Final = 110


def kind_label(kind: SourceKind | str) -> str:
    """``news_agency`` -> ``news agency``."""
    return str(kind).replace("_", " ")


def kind_colour(kind: SourceKind | str) -> str:
    """The colour of a source kind (grey for unknown kinds)."""
    try:
        return KIND_COLOURS[SourceKind(kind)]
    except ValueError:
        return KIND_COLOURS[SourceKind.OTHER]


@cache
def font_families() -> tuple[str, ...]:
    """Installed font families to use, most preferred first (DejaVu ships with matplotlib)."""
    installed = {font.name for font in fontManager.ttflist}
    chosen = tuple(name for name in _FAMILY_PREFERENCE if name in installed)
    return chosen or ("sans-serif",)


def new_figure(width: float, height: float) -> Figure:
    """A white figure on the Agg canvas, ``width`` x ``height`` inches."""
    fig = Figure(figsize=(width, height), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


@contextmanager
def quiet_glyphs() -> Iterator[None]:
    """Silence matplotlib's "Glyph ... missing from font(s)" warnings, and only those.

    Article titles and outlet names may be Korean, Japanese or Cyrillic.  When no installed
    font has a glyph, matplotlib draws a box and warns once per glyph; a missing font is not an
    error in a report (the HTML and Markdown carry the text itself), so the warning is dropped
    here instead of escaping to callers that treat warnings as errors.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
        # Same reason: "Matplotlib currently does not support Bengali natively." (complex
        # scripts are drawn glyph by glyph, unshaped; the text itself is in the HTML).
        warnings.filterwarnings("ignore", message=r"Matplotlib currently does not support")
        yield
