"""User configuration: ``linkgraph.toml`` or ``[tool.linkgraph]`` in ``pyproject.toml``.

Users add outlets or override packaged ones (same ``key``)::

    [[outlets]]                     # in pyproject.toml: [[tool.linkgraph.outlets]]
    key = "koreaherald.com"
    name = "The Korea Herald"
    kind = "newspaper"              # a SourceKind value
    country = "KR"
    prefixes = ["koreaherald.com", "heraldcorp.com/kh"]
    aliases = ["Korea Herald"]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from linkgraph.errors import ConfigError
from linkgraph.records import SourceKind
from linkgraph.sources import OutletEntry, Registry, normalise_prefix

CONFIG_NAMES: Final = ("linkgraph.toml", "pyproject.toml")


@dataclass(frozen=True, slots=True)
class Config:
    """What a configuration file says; ``path`` is ``None`` when no file was found."""

    path: Path | None = None
    outlets: tuple[OutletEntry, ...] = ()


def find_config(directory: Path | None = None) -> Path | None:
    """``linkgraph.toml``, else a ``pyproject.toml`` with ``[tool.linkgraph]``, in *directory*."""
    found = _find(directory)
    return found[0] if found is not None else None


def _find(directory: Path | None) -> tuple[Path, dict[str, Any] | None] | None:
    """The configuration file of *directory*, with the pyproject data already parsed to look
    for ``[tool.linkgraph]`` (so that it is not read twice)."""
    folder = directory or Path.cwd()
    own_name, pyproject_name = CONFIG_NAMES
    toml = folder / own_name
    if toml.is_file():
        return toml, None
    pyproject = folder / pyproject_name
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            return None
        if isinstance(data.get("tool"), dict) and "linkgraph" in data["tool"]:
            return pyproject, data
    return None


def load_registry(path: Path | None = None) -> Registry:
    """The packaged registry plus the user's outlets from the configuration at *path*.

    *path* is a ``linkgraph.toml`` or a ``pyproject.toml`` (``[tool.linkgraph]``); with
    ``None`` the current directory is searched for either.  User entries with the key of a
    packaged entry replace it.  ``ConfigError`` names the file and entry when one is invalid.

    It lives here, not on ``Registry``: the registry knows nothing of configuration files, so
    ``sources`` imports no ``config`` (which reads ``OutletEntry`` from it).

    >>> registry = load_registry(Path("linkgraph.toml"))  # doctest: +SKIP
    """
    settings = load_config(path)
    if not settings.outlets:
        return Registry.default()
    origin = settings.path.name if settings.path else "config"
    return Registry([*Registry.default().entries, *settings.outlets],
                    note=f"with {len(settings.outlets)} from {origin}")


def load_config(path: Path | None = None) -> Config:
    """Read the configuration at *path*, or the one found in the current directory.

    Raises ``ConfigError`` naming the file and the entry when something is invalid.
    """
    data: dict[str, Any] | None = None
    if path is None:
        located = _find(None)
        if located is None:
            return Config()
        path, data = located
    found = path
    if data is None:
        try:
            data = tomllib.loads(found.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"{found}: cannot read: {exc.strerror or exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{found}: not valid TOML: {exc}") from exc
    if found.name == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("linkgraph", {}) if isinstance(tool, dict) else {}
    if not isinstance(data, dict):
        raise ConfigError(f"{found}: [tool.linkgraph] must be a table")
    raw = data.get("outlets", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{found}: 'outlets' must be an array of tables ([[outlets]])")
    outlets = tuple(_outlet(found, index, item) for index, item in enumerate(raw))
    return Config(path=found, outlets=outlets)


def _outlet(path: Path, index: int, item: Any) -> OutletEntry:
    where = f"{path}: outlets[{index}]"
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: must be a table")
    for required in ("key", "name", "kind", "prefixes"):
        if required not in item:
            raise ConfigError(f"{where}: missing {required!r}")
    try:
        kind = SourceKind(str(item["kind"]))
    except ValueError as exc:
        allowed = ", ".join(k.value for k in SourceKind)
        raise ConfigError(f"{where}: kind {item['kind']!r} is not one of {allowed}") from exc
    prefixes = item["prefixes"]
    if isinstance(prefixes, str):
        prefixes = [prefixes]
    if not isinstance(prefixes, list) or not prefixes or \
            not all(isinstance(p, str) and p.strip() for p in prefixes):
        raise ConfigError(f"{where}: 'prefixes' must be a non-empty list of strings")
    aliases = item.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ConfigError(f"{where}: 'aliases' must be a list of strings")
    country = item.get("country")
    return OutletEntry(
        key=str(item["key"]),
        name=str(item["name"]),
        kind=kind,
        country=str(country).upper() if country else None,
        prefixes=tuple(normalise_prefix(p) for p in prefixes),
        aliases=tuple(aliases),
    )
