"""What a failed exchange was: an httpcore error as an ``ErrorKind``, by type and errno.

``linkgraph.web.exchange`` catches ``HTTP_ERRORS`` around each request and names the failure
with ``error_kind``; anything else raised there is a bug, and propagates.
"""

from __future__ import annotations

import errno
import ssl
from typing import Final

import httpcore

from linkgraph.records import ErrorKind
from linkgraph.web.transport import UnvettedHost

# What httpcore raises for a failed exchange.
HTTP_ERRORS: Final = (
    httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError,
    httpcore.UnsupportedProtocol, httpcore.ProxyError,
)
_ERRNO_KINDS: Final = {
    errno.ECONNREFUSED: ErrorKind.REFUSED,
    errno.ECONNRESET: ErrorKind.RESET,
    errno.ENETUNREACH: ErrorKind.UNREACHABLE,
    errno.EHOSTUNREACH: ErrorKind.UNREACHABLE,
    errno.ENETDOWN: ErrorKind.UNREACHABLE,
}


def _os_error_kind(exc: BaseException) -> ErrorKind | None:
    """The kind of the first ``OSError`` with a known errno in *exc*'s chain of causes."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _ERRNO_KINDS:
            return _ERRNO_KINDS[current.errno]
        current = current.__cause__ or current.__context__
    return None


def error_kind(exc: Exception) -> ErrorKind:
    """The kind of a failed exchange (an httpcore error), by type and errno, never by guess."""
    if isinstance(exc, httpcore.TimeoutException):
        return ErrorKind.TIMEOUT
    if isinstance(exc, UnvettedHost):
        return ErrorKind.POLICY_UNVETTED
    if isinstance(exc, httpcore.ConnectError):
        known = _os_error_kind(exc)
        if known is not None:
            return known
        text = str(exc).lower()
        if isinstance(exc.__cause__, ssl.SSLError) or "ssl" in text or "certificate" in text:
            return ErrorKind.TLS
        # The OS's own words, where the errno was lost on the way up.
        if "refused" in text:
            return ErrorKind.REFUSED
        if "unreachable" in text or "no route" in text:
            return ErrorKind.UNREACHABLE
        if "reset" in text:
            return ErrorKind.RESET
        return ErrorKind.CONNECT
    if isinstance(exc, httpcore.ReadError | httpcore.WriteError):
        return ErrorKind.RESET
    if isinstance(exc, httpcore.RemoteProtocolError):
        # "Server disconnected without sending a response" is a reset in all but name.
        return ErrorKind.RESET if "disconnected" in str(exc).lower() else ErrorKind.PROTOCOL
    if isinstance(exc, httpcore.ProtocolError):
        return ErrorKind.PROTOCOL
    if isinstance(exc, httpcore.UnsupportedProtocol):
        return ErrorKind.INVALID_URL
    return ErrorKind.TRANSPORT
