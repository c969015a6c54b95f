"""What the INPUT arguments hold before anything is read: input files, and what was skipped.

A run whose inputs hold no input file at all (an empty folder, a folder of ``.txt`` notes, a
path that does not exist, a web address) must say so and write nothing, instead of an empty
database or an empty graph.  ``survey_inputs`` walks the inputs once; its ``files`` are what
the readers then read, in order, and ``describe`` says in one line what was found and skipped.

``-`` is standard input (one WordPress JSON document, JSON Lines or HTML page).

>>> survey = survey_inputs(["no/such/folder/", "https://example.org/news/1"])
>>> survey.files
()
>>> print(survey.describe().split(" or folder")[0])
no/such/folder/: no such file; https://example.org/news/1: a web address, not a file
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Final

from linkgraph.readers.sniff import INPUT_SUFFIXES, format_for_name, printable_name
from linkgraph.records import Origin, ReadFailure

STDIN: Final = "-"
# What a web address given as INPUT should become: the command that fetches one, when this
# linkgraph has it.
_WEB_PREFIXES: Final = ("http://", "https://", "www.")
INPUT_NAMES: Final = ", ".join(s for s in INPUT_SUFFIXES if not s.endswith(".gz")) + (
    ", each also gzipped as .gz"
)


def is_web_address(path: str) -> bool:
    """True for an INPUT that is a web address rather than a file name.

    >>> is_web_address("https://example.org/news/1"), is_web_address("saved/page.html")
    (True, False)
    """
    return path.strip().lower().startswith(_WEB_PREFIXES) and not Path(path).exists()


def web_address_problem(path: str) -> str:
    """Why a web address cannot be an INPUT here, and what to do instead (the path not named)."""
    hint = (
        f"fetch it first with `linkgraph collect {printable_name(path)} --db news.db`, then "
        "read the store with --db (`linkgraph report URL` does both)"
    )
    return f"a web address, not a file or folder: {hint}"


def web_address_message(path: str) -> str:
    """:func:`web_address_problem` led by the address."""
    return f"{printable_name(path)}: {web_address_problem(path)}"


@dataclass(frozen=True, slots=True)
class FolderSurvey:
    """One folder given as INPUT: its input files and the files skipped, by name ending."""

    path: str
    files: tuple[str, ...]
    skipped: tuple[tuple[str, int], ...]  # (".txt", 3), most first

    def describe(self) -> str:
        """One line, led by the folder: what it holds that is not an input."""
        name = printable_name(self.path)
        total = sum(count for _, count in self.skipped)
        head = f"{name}: folder holds no input files" if not self.files else f"{name}:"
        if not total:
            return f"{head}: it is empty" if not self.files else f"{name}: nothing skipped"
        endings = [suffix for suffix, _ in self.skipped]
        shown = ", ".join(endings[:5]) + (", ..." if len(endings) > 5 else "")
        verb = "is not an input format" if len(endings) == 1 else "are not input formats"
        return (f"{head}{':' if not self.files else ''} {total} file{'s' if total > 1 else ''}"
                f" skipped ({shown} {verb}; inputs are {INPUT_NAMES})")


@dataclass(frozen=True, slots=True)
class MissingInput:
    """An INPUT argument that names nothing on disk (a web address, a typo)."""

    path: str

    def describe(self) -> str:
        """One line, led by the path: why it cannot be read."""
        if is_web_address(self.path):
            return web_address_message(self.path)
        return f"{printable_name(self.path)}: no such file"


@dataclass(frozen=True, slots=True)
class InputSurvey:
    """Every INPUT argument sorted out, in the order given: a file (or ``-``), a folder with
    what it holds, or a path that names nothing."""

    entries: tuple[str | FolderSurvey | MissingInput, ...]

    @property
    def files(self) -> tuple[str, ...]:
        """The input files to read, in order (folders expanded)."""
        out: list[str] = []
        for entry in self.entries:
            if isinstance(entry, str):
                out.append(entry)
            elif isinstance(entry, FolderSurvey):
                out.extend(entry.files)
        return tuple(out)

    @property
    def folders(self) -> tuple[FolderSurvey, ...]:
        """The folders given, each with its files and what it skipped."""
        return tuple(e for e in self.entries if isinstance(e, FolderSurvey))

    def unreadable(self) -> Iterator[tuple[str, str]]:
        """``(path, message)`` of each INPUT that holds nothing to read, in order."""
        for entry in self.entries:
            if isinstance(entry, str):
                continue
            if isinstance(entry, MissingInput) or not entry.files:
                yield printable_name(entry.path), entry.describe()

    def inputs(self) -> Iterator[str | ReadFailure]:
        """The INPUT arguments to read as given (a folder stays a folder: its manifests apply
        to its pages), and a failure for each that holds nothing, in order."""
        for entry in self.entries:
            if isinstance(entry, str):
                yield entry
            elif isinstance(entry, MissingInput) or not entry.files:
                name = printable_name(entry.path)
                yield ReadFailure(Origin(name), entry.describe())
            else:
                yield entry.path

    def describe(self) -> str:
        """What the inputs hold that cannot be read, one clause per input."""
        return "; ".join(message for _, message in self.unreadable()) or "no input files"


def _ending(name: str) -> str:
    """A skipped file's name ending, for grouping: ``.txt``, ``.tar.gz``, or its whole name."""
    suffixes = PurePath(name).suffixes[-2:]
    if len(suffixes) == 2 and suffixes[-1].lower() != ".gz":
        suffixes = suffixes[-1:]
    return "".join(suffixes).lower() or "no name ending"


def survey_folder(folder: str) -> FolderSurvey:
    """The input files under *folder* (recursively, sorted, hidden entries skipped) and the
    other files, counted by name ending.  A subfolder that cannot be listed is kept as a file,
    so that reading it reports it."""
    found: list[tuple[tuple[str, ...], str]] = []
    skipped: Counter[str] = Counter()

    def unreadable(error: OSError) -> None:
        if error.filename is not None:
            where = Path(os.fsdecode(error.filename)).relative_to(folder).parts
            found.append((where, os.fsdecode(error.filename)))

    for root, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel_root = Path(root).relative_to(folder).parts
        for name in names:
            if name.startswith("."):
                continue
            if format_for_name(name) is None:
                skipped[_ending(name)] += 1
                continue
            parts = (*rel_root, name)
            found.append((parts, os.path.join(folder, *parts)))  # noqa: PTH118 - keeps the user's spelling
    files = tuple(member for _, member in sorted(found))
    return FolderSurvey(folder, files, tuple(skipped.most_common()))


def survey_inputs(paths: Iterable[str]) -> InputSurvey:
    """Sort the INPUT arguments out before reading (see the module doc)."""
    entries: list[str | FolderSurvey | MissingInput] = []
    for path in paths:
        if path == STDIN:
            entries.append(path)
        elif Path(path).is_dir():
            entries.append(survey_folder(path))
        elif os.path.lexists(path):  # a dangling link is the reader's to name
            entries.append(path)
        else:
            entries.append(MissingInput(path))
    return InputSurvey(tuple(entries))
