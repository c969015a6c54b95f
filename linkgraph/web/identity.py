"""Who linkgraph says it is: one User-Agent for every request it sends (collect and check).

The crawler convention: ``Mozilla/5.0 (compatible; NAME/VERSION; +URL)``, where URL is a page
that tells a site's operator what the robot is.  robots.txt groups match the product token
``linkgraph`` (``User-agent: linkgraph``).
"""

from __future__ import annotations

from importlib import metadata
from typing import Final


def _installed_version() -> str:
    # The installed distribution's version (the package root would import every layer).
    try:
        return metadata.version("linkgraph")
    except metadata.PackageNotFoundError:
        return "0"


VERSION: Final = _installed_version()
ROBOT_NAME: Final = "linkgraph"
PROJECT_URL: Final = "https://github.com/linkgraph/linkgraph"
DEFAULT_USER_AGENT: Final = f"Mozilla/5.0 (compatible; {ROBOT_NAME}/{VERSION}; +{PROJECT_URL})"
