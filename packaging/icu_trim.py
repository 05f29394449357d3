"""Trim the ICU data library that PySide6 ships (libicudata.so.NN) down to what kkrdesk needs.

Why: Qt links ICU for collation (Danish æ ø å order), text boundaries, codecs and normalisation.
The wheel's libicudata.so.73 carries *all* of ICU's data (32 MB): every locale, the CJK/Thai
dictionaries, transliteration and hundreds of legacy converters. A Danish/English desktop app
needs about a tenth of that. libicudata contains nothing but one exported symbol, `icudt73_dat`,
whose bytes are an ICU "common data" package (the same format as icudt73l.dat); ICU's code lives
in libicuuc/libicui18n. So we can:

1. read the package out of the ELF file (the bytes of that symbol),
2. parse its table of contents, keep the items we want, write a smaller package,
3. assemble a new libicudata.so.73 that exports the same symbol (same soname) with `gcc -shared`.

ICU common-data format (icu4c common/ucmndata.h, tools/toolutil/package.cpp):
- a data header: uint16 headerSize, magic 0xda 0x27, then UDataInfo (size, reserved,
  isBigEndian, charsetFamily, sizeofUChar, reserved, dataFormat "CmnD", formatVersion, dataVersion)
  padded to headerSize bytes;
- the table of contents right after it: uint32 count, then count x (uint32 nameOffset, uint32
  dataOffset), both relative to the start of the TOC; the NUL-terminated item names ("icudt73l/
  coll/da.res") follow, padded with 0xaa to a 16-byte boundary; then the items, each 16-byte
  aligned. ICU finds items by binary search, so the names stay sorted (byte order).

Usage (build.spec does this on Linux):  python packaging/icu_trim.py IN.so OUT.so
The full data comes back by deleting the trimmed copy (see docs/packaging.md).
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ALIGN = 16
MAGIC = b"\xda\x27"


# --- ELF: find the bytes of one exported data symbol ------------------------------------------


def elf_symbol_bytes(path: Path, symbol: str) -> bytes:
    """Return the contents of an exported object symbol of a little-endian ELF64 shared library."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{path}: not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    # (name, type, flags, addr, offset, size, link, info, addralign, entsize); SHT_DYNSYM = 11
    for _name, sh_type, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if sh_type != 11:
            continue
        strtab_offset = sections[link][4]
        for pos in range(offset, offset + size, entsize):
            st_name, _st_info, _other, st_shndx, st_value, st_size = struct.unpack_from("<IBBHQQ", data, pos)
            end = data.index(b"\0", strtab_offset + st_name)
            if data[strtab_offset + st_name:end].decode() == symbol:
                target = sections[st_shndx]
                start = target[4] + (st_value - target[3])
                return data[start:start + st_size]
    raise KeyError(f"{path}: no dynamic symbol {symbol}")


def icu_symbol_name(path: Path) -> str:
    """icudt<NN>_dat, from the library name libicudata.so.<NN>."""
    match = re.search(r"libicudata\.so\.(\d+)", path.name)
    if not match:
        raise ValueError(f"{path.name}: expected libicudata.so.<version>")
    return f"icudt{match.group(1)}_dat"


# --- ICU common data package ------------------------------------------------------------------


@dataclass
class Package:
    """An ICU common-data package: its header bytes and its items by full name, in TOC order."""

    header: bytes
    items: dict[str, bytes]


def parse_package(blob: bytes) -> Package:
    """Split a CmnD package into its header and items (each item keeps its 16-byte padding)."""
    header_size, = struct.unpack_from("<H", blob, 0)
    if blob[2:4] != MAGIC:
        raise ValueError("not ICU data (bad magic)")
    is_big_endian, charset = blob[8], blob[9]
    if is_big_endian or charset != 0:
        raise ValueError("only little-endian ASCII ICU data ('l' type) is supported")
    if blob[12:16] != b"CmnD":
        raise ValueError(f"not an ICU common-data package (format {blob[12:16]!r})")
    toc = blob[header_size:]
    count, = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items: dict[str, bytes] = {}
    for i, (name_offset, data_offset) in enumerate(entries):
        name = toc[name_offset:toc.index(b"\0", name_offset)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        items[name] = toc[data_offset:end]
    return Package(header=blob[:header_size], items=items)


def _pad(data: bytes, fill: bytes = b"\0") -> bytes:
    return data + fill * (-len(data) % ALIGN)


def write_package(package: Package) -> bytes:
    """Serialise like icupkg: header, count, TOC entries, names (0xaa-padded), 16-aligned items."""
    names = sorted(package.items, key=lambda n: n.encode("ascii"))
    names_offset = 4 + 8 * len(names)
    name_blob = bytearray()
    name_offsets = []
    for name in names:
        name_offsets.append(names_offset + len(name_blob))
        name_blob += name.encode("ascii") + b"\0"
    offset = names_offset + len(name_blob)
    name_blob += b"\xaa" * (-offset % ALIGN)
    offset += -offset % ALIGN
    toc = bytearray(struct.pack("<I", len(names)))
    body = bytearray()
    for name, name_offset in zip(names, name_offsets, strict=True):
        toc += struct.pack("<II", name_offset, offset + len(body))
        body += _pad(package.items[name])
    header = _pad(package.header)
    return bytes(header + toc + name_blob + body)


# --- What to keep -----------------------------------------------------------------------------

# Locales kept in every tree (main, coll, brkitr, curr, lang, region, unit, zone, rbnf): root,
# Danish, English, and the variants/parents a da_DK or en_DK desktop resolves through
# (en_DK -> en_150 -> en_001 -> en -> root).
KEEP_LOCALES = {"root", "da", "da_DK", "da_GL", "en", "en_001", "en_150", "en_DK", "en_GB", "en_US", "en_US_POSIX"}

# A resource bundle named like a locale ("fr", "zh_Hant_TW", "de__PHONEBOOK"); everything else
# ("supplementalData", "zoneinfo64", "pool", "res_index", "tzdbNames", ...) is global data: kept.
LOCALE_NAME = re.compile(r"(root|[a-z]{2,3}(_[A-Z][a-z]{3})?(_([A-Z]{2}|\d{3}))?(_[A-Z0-9]*)*)")

# Break rules kept: the defaults and the line-break styles CSS/Qt may ask for. Dropped: the CJK
# line variants and the dictionaries (CJK, Thai, Lao, Khmer, Burmese word segmentation, 3 MB);
# without a dictionary ICU breaks those scripts per character, Latin text is unaffected.
KEEP_BREAK_RULES = {"char", "line", "line_loose", "line_normal", "sent", "title", "word", "word_POSIX"}

# Table converters (.cnv) for the codecs a Danish desktop meets: ISO-8859-2..16, windows-1250..1258
# (ibm-5346..5354 and the ibm-125x variants), DOS code pages 437/850/858/865. UTF-8/16/32, US-ASCII
# and ISO-8859-1 are algorithmic (in libicuuc's code), so they need no data.
KEEP_CONVERTERS = {
    "ibm-912", "ibm-913", "ibm-914", "ibm-915", "ibm-1089", "ibm-9005", "ibm-813", "ibm-5012",
    "ibm-920", "iso-8859_10", "iso-8859_11", "ibm-921", "iso-8859_14", "ibm-923",  # ISO-8859-x
    "ibm-5346", "ibm-5347", "ibm-5348", "ibm-5349", "ibm-5350", "ibm-5351", "ibm-5352", "ibm-5353",
    "ibm-5354", "ibm-1250", "ibm-1251", "ibm-1252", "ibm-1253", "ibm-1254", "ibm-1255", "ibm-1256",
    "ibm-1257", "ibm-1258",  # windows-125x
    "ibm-437", "ibm-850", "ibm-858", "ibm-865",  # DOS: US, Western Europe (+ euro), Nordic
}


def keep_item(name: str) -> bool:
    """True if a package item (its name without the "icudt73l/" prefix) is kept."""
    path = Path(name)
    tree = path.parent.as_posix()  # "." for the top level
    stem, suffix = path.stem, path.suffix
    if tree == "translit":
        return False  # transliteration rules (Any-Latin etc.): Qt does not use them
    if suffix in {".icu", ".nrm", ".cfu", ".spp"}:
        return True  # core data: properties, names, normalisation, collation base (ucadata), ...
    if suffix == ".cnv":
        return _converter_base(stem) in KEEP_CONVERTERS
    if suffix == ".dict":
        return False
    if suffix == ".brk":
        return stem in KEEP_BREAK_RULES
    if suffix == ".res":
        return stem in KEEP_LOCALES or stem == "res_index" or not LOCALE_NAME.fullmatch(stem)
    return True  # an item type we do not know: keep it rather than break something


def _converter_base(stem: str) -> str:
    """'ibm-5348_P100-1997' -> 'ibm-5348', 'iso-8859_10-1998' -> 'iso-8859_10'."""
    if stem.startswith("iso-8859_"):
        return stem.rsplit("-", 1)[0]
    return re.split(r"_[PX]\d", stem)[0]


def trim_package(package: Package, keep: Callable[[str], bool] = keep_item) -> Package:
    """Keep items whose name (after the "<package>/" prefix) passes `keep`."""
    kept = {name: data for name, data in package.items.items() if keep(name.split("/", 1)[1])}
    return Package(header=package.header, items=kept)


# --- Building the replacement shared library -------------------------------------------------


def build_library(package_bytes: bytes, symbol: str, soname: str, out: Path) -> None:
    """Assemble a shared library that exports `symbol` = package_bytes (16-aligned, read-only)."""
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        raise RuntimeError("gcc/cc not found: cannot build the trimmed ICU data library")
    with tempfile.TemporaryDirectory() as tmp:
        blob = Path(tmp) / "icudata.dat"
        blob.write_bytes(package_bytes)
        asm = Path(tmp) / "icudata.S"
        asm.write_text(
            f'\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n'
            f'{symbol}:\n\t.incbin "{blob}"\n\t.size {symbol}, . - {symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n'
        )
        subprocess.run(
            [compiler, "-shared", "-nostdlib", "-Wl,-soname," + soname, "-Wl,-z,noexecstack",
             "-o", str(out), str(asm)],
            check=True,
        )


def trim_library(src: Path, out: Path) -> tuple[int, int]:
    """Write a trimmed copy of libicudata.so.NN to `out`; returns (old item count, new item count)."""
    symbol = icu_symbol_name(src)
    package = parse_package(elf_symbol_bytes(src, symbol))
    trimmed = trim_package(package)
    build_library(write_package(trimmed), symbol, src.name, out)
    return len(package.items), len(trimmed.items)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    before, after = trim_library(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"icu_trim: kept {after} of {before} ICU data items -> {sys.argv[2]}")
