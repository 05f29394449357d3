"""zstd for the store's stored texts and files (#20): one place that makes the (de)compressors.

zstandard's objects are not shared between threads (the window imports on a worker), so each
thread keeps its own, made on first use; the import stays off the window's start path.
"""

from __future__ import annotations

import threading

_local = threading.local()


def _compressor(level: int):
    compressors = getattr(_local, "compressors", None)
    if compressors is None:
        compressors = _local.compressors = {}
    if level not in compressors:
        import zstandard

        compressors[level] = zstandard.ZstdCompressor(level=level)
    return compressors[level]


def compress(data: bytes, level: int) -> bytes:
    """One zstd frame holding `data` (its size is stated in the frame header)."""
    return _compressor(level).compress(data)


def decompress(data: bytes) -> bytes:
    """The bytes of one zstd frame."""
    decompressor = getattr(_local, "decompressor", None)
    if decompressor is None:
        import zstandard

        decompressor = _local.decompressor = zstandard.ZstdDecompressor()
    return decompressor.decompress(data)
