"""Gzip of a stored page compressed once, with each reader's CSRF token spliced in.

A cached page (commonground.core.read_cache_middleware) is the same for every anonymous
reader but for their CSRF token, so compressing it for each reader repeated the same work
(about half of a hit's CPU for an HTML page). Instead its parts around the token are
compressed once, when the page is stored, each as raw DEFLATE blocks that end on a byte
boundary and refer to nothing before them (RFC 1951: a full flush, or the end of the
stream for the last part); a response is the gzip header, the parts with the reader's
token between them as *stored* (uncompressed) blocks, and the trailer (CRC-32 and length
of the whole page, RFC 1952), which costs one CRC of the page.

The token travels uncompressed, so the response's size says nothing about it, whatever
else the page reflects (BREACH); the rest of an anonymous page holds no secret.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

LEVEL = 6  # Django's compress_string
# ID1 ID2, deflate, no flags, no mtime, no extra flags, unknown OS (as gzip with mtime=0).
HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
STORED_MAX = 0xFFFF


def deflate_parts(parts: Sequence[bytes]) -> tuple[bytes, ...]:
    """Each part as raw DEFLATE that can be followed by any blocks (the last one final)."""
    out = []
    for n, part in enumerate(parts):
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        last = n == len(parts) - 1
        out.append(
            compressor.compress(part)
            + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)
        )
    return tuple(out)


def _stored(fill: bytes) -> bytes:
    """``fill`` as stored blocks (not final), starting and ending on a byte boundary."""
    blocks = []
    for start in range(0, len(fill), STORED_MAX):
        chunk = fill[start : start + STORED_MAX]
        blocks.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(blocks)


@dataclass(frozen=True)
class Spliced:
    """A page's compressed parts, the text between them (the reader's token) and the page
    itself (the parts joined by the text), which the gzip's trailer is computed from."""

    parts: tuple[bytes, ...]
    fill: bytes
    content: bytes

    def gzip(self) -> bytes:
        between = _stored(self.fill)
        body = between.join(self.parts)
        trailer = struct.pack("<II", zlib.crc32(self.content), len(self.content) & 0xFFFFFFFF)
        return HEADER + body + trailer
