"""Who linkgraph says it is: one User-Agent for every request it sends (collect and check).

The crawler convention: ``Mozilla/5.0 (compatible; NAME/VERSION; +URL)``, where URL is where a
site owner who sees linkgraph in their logs learns what it is.  robots.txt groups match the
product token ``linkgraph`` (``User-agent: linkgraph``).
"""

from __future__ import annotations

from importlib import metadata
from typing import Final


def _installed_version() -> str:
    # The installed distribution's version (importing the package root would cross the
    # import contract: web sits below most of linkgraph).
    try:
        return metadata.version("linkgraph")
    except metadata.PackageNotFoundError:
        return "0"


ROBOT_NAME: Final = "linkgraph"
VERSION: Final = _installed_version()
PROJECT_URL: Final = "https://github.com/linkgraph/linkgraph"
DEFAULT_USER_AGENT: Final = f"Mozilla/5.0 (compatible; {ROBOT_NAME}/{VERSION}; +{PROJECT_URL})"
