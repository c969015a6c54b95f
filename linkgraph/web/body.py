"""Reading a response body within a size cap, decompressing with an output cap: the one
inflater of the HTTP layer.

A server may announce a huge ``Content-Length``, send more than it announced, or send a small
gzip body that inflates to gigabytes (a decompression bomb).  ``read_capped`` (fetching a whole
page) refuses each as soon as it is known, without holding more than the cap in memory;
``read_prefix`` (checking a link) keeps only the first bytes it needs and never refuses.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Callable
from enum import StrEnum
from typing import Final

# What requests say they accept (Accept-Encoding): what _decoder inflates.
ACCEPTED_ENCODINGS: Final = "gzip, deflate"
# A small body is drained after the prefix that was wanted, so that the connection is reused.
DRAIN_CAP: Final = 65_536


class BodyProblem(StrEnum):
    """Why a body was not read whole."""

    TOO_LARGE = "too_large"  # more bytes on the wire than the cap
    BOMB = "decompression_bomb"  # the decoded body outgrows the cap (compressed much smaller)
    ENCODING = "encoding"  # an encoding we did not ask for, or corrupt compressed data


class BodyRefused(Exception):
    """Raised inside the reader only; the fetcher turns it into a failed ``FetchResult``."""

    def __init__(self, problem: BodyProblem, detail: str) -> None:
        super().__init__(detail)
        self.problem = problem


def _decoder(encoding: str) -> Callable[[bytes, int], bytes]:
    encoding = encoding.strip().lower()
    if encoding in {"", "identity"}:
        return lambda chunk, room: chunk
    if encoding in {"gzip", "x-gzip", "deflate"}:
        inflater = zlib.decompressobj(47 if encoding != "deflate" else 15)

        def inflate(chunk: bytes, room: int) -> bytes:
            try:
                return inflater.decompress(chunk, room)
            except zlib.error as exc:
                raise BodyRefused(BodyProblem.ENCODING, f"corrupt {encoding} data: {exc}") from exc

        return inflate

    def unknown(chunk: bytes, room: int) -> bytes:
        raise BodyRefused(BodyProblem.ENCODING, f"unrequested content encoding {encoding!r}")

    return unknown


async def read_capped(
    chunks: AsyncIterator[bytes], *, encoding: str, length: int | None, cap: int
) -> bytes:
    """The decoded body, or ``BodyRefused`` past *cap* bytes (on the wire or decoded)."""
    if length is not None and length > cap:
        raise BodyRefused(
            BodyProblem.TOO_LARGE, f"Content-Length {length:,} is over the {cap:,}-byte cap"
        )
    decode = _decoder(encoding)
    out = bytearray()
    raw = 0
    async for chunk in chunks:
        raw += len(chunk)
        if raw > cap:
            raise BodyRefused(BodyProblem.TOO_LARGE, f"body over the {cap:,}-byte cap")
        # One byte of room beyond the cap tells "exactly the cap" from "more than the cap".
        out += decode(chunk, cap + 1 - len(out))
        if len(out) > cap:
            raise BodyRefused(
                BodyProblem.BOMB,
                f"{raw:,} compressed bytes inflate past the {cap:,}-byte cap",
            )
    return bytes(out)


async def read_prefix(
    chunks: AsyncIterator[bytes], *, encoding: str, length: int | None, limit: int, max_raw: int
) -> bytes:
    """Up to *limit* decoded bytes of a body, never more than *max_raw* bytes off the wire.

    A small body (a ``Content-Length`` up to ``DRAIN_CAP``) is read to its end so that the
    connection can carry the next request.  A body in an encoding that was not asked for, or
    corrupt compressed data, reads as what was decoded before it: no error, as a link check
    only looks at a page's first bytes.
    """
    drain = length is not None and length <= DRAIN_CAP
    if limit <= 0 and not drain:
        return b""
    decode = _decoder(encoding)
    out = bytearray()
    raw = 0
    readable = True
    async for chunk in chunks:
        raw += len(chunk)
        if readable and len(out) < limit:
            try:
                out += decode(chunk, limit - len(out))
            except BodyRefused:
                readable = False
        if (len(out) >= limit and not drain) or raw >= max_raw:
            break
    return bytes(out[:limit])
