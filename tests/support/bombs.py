"""Decompression bombs: small gzip streams that inflate to a great many bytes."""

from __future__ import annotations

import struct
import zlib
from functools import lru_cache

MiB = 1 << 20


@lru_cache(maxsize=4)
def gzip_bomb(size: int = 300 * MiB, fill: bytes = b"\0") -> bytes:
    """A valid gzip stream of ``size`` bytes of ``fill`` (a whole number of MiB; about 1 KiB
    per MiB), built in a fraction of the time ``gzip.compress`` takes: after a full flush
    deflate starts afresh, so one compressed MiB can be repeated."""
    chunk = fill * MiB
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.flush()[:-8]  # the final block, without a trailer for two chunks
    crc = 0
    for _ in range(size // MiB):
        crc = zlib.crc32(chunk, crc)
    return first + block * (size // MiB - 1) + end + struct.pack("<II", crc, size & 0xFFFFFFFF)
