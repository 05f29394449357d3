"""A synthetic decade of KKR meeting packs, written from the corpus's own text.

The benchmark needs far more material than the four real documents, but it
must look like them: the same pack format (TOC "Indholdsfortegnelse - Bilag"
with `N.N Title<TAB>page` and `Bilag N: Title<TAB>page`, then each bilag
opening with the item number alone on a line, a blank line and the item
title), the same Danish prose, tables and letterheads. So each bilag is a run
of real corpus paragraphs, lightly reordered, with years shifted to the
meeting's year and other numbers varied, all from one fixed seed: the same
size always gives byte-identical files, and timings stay comparable between
runs.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kkrdesk.data.danish import format_date
from kkrdesk.paths import corpus_dir

SEED = 20261123
BYTES_PER_PAGE = 2_400    # about what one A4 page of the 2021 pack holds as extracted text
CONTRACT_SHARE = 0.02     # share of bilag drawn from the contract/report files (see source_weights)

# Agenda item titles in the style of the real packs; "{y}" is the meeting year.
ITEM_TITLES = [
    "Siden sidst",
    "Limfjordsrådet - Masterplan",
    "Fælles klimastrategi",
    "Resultatkontrakt mellem Erhvervshus Nordjylland og KKR Nordjylland",
    "Pædagogdimensionering {y}-{y1}",
    "De fælleskommunale sekretariater – regnskab {y0} og budget {y}",
    "Børnehus Nord – Budget og takster for {y}",
    "Etablering af Passagerråd i KKR-geografierne",
    "Sexisme i kommunalpolitik",
    "Afrapportering af resultatkontrakt {y0}",
    "Dimensionering af social- og sundhedsuddannelserne {y}",
    "Rammeaftale for det specialiserede socialområde {y}",
    "Kollektiv trafik – NT's budget {y1}",
    "Praksisplan for almen praksis",
    "Beskæftigelsesindsatsen – regional status",
    "Nordjysk Fødevarenetværk – status",
    "Udviklingsstrategi for Business Region North Denmark",
    "Sundhedsaftalen {y}-{y3}",
    "Erhvervsfremme og turisme – fælles prioriteringer",
    "Uddannelsesloft og optag på ungdomsuddannelserne",
    "Infrastruktur – nordjyske prioriteringer til finanslov {y1}",
    "Det nære sundhedsvæsen – fælles indsatser",
    "Udpegning til råd, nævn og bestyrelser",
    "Klimatilpasning – Limfjorden og Vesterhavet",
    "Digital omstilling i de nordjyske kommuner",
]

BILAG_TITLES = [
    "Brev til ministeren vedr. {topic}",
    "Notat om {topic}",
    "Bilag – {topic} {y}",
    "Oversigt over {topic}",
    "Høringssvar vedr. {topic}",
    "Status på {topic} {y}",
    "Samarbejdsaftale om {topic}",
    "Budget og regnskab – {topic}",
]

TOPICS = [
    "frikommuneforsøg", "pædagogdimensionering", "klimaambitionen", "erhvervshusets resultater",
    "praksisplanen", "passagerrådet", "kollektiv trafik", "SOSU-optag", "Børnehus Nord",
    "fællessekretariatet", "Masterplan for Limfjorden", "grøn omstilling", "beskæftigelse",
]

MONTHS_WITH_MEETINGS = [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12]
_STRUCTURAL = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.?(?:\s|$)|indholdsfortegnelse", re.IGNORECASE)
_TOC_LINE = re.compile(r"\t\d{1,4}\s*$")
_NUMBER = re.compile(r"(?<![\d.,])\d{2,}(?![\d])")


@dataclass(frozen=True)
class ArchiveSize:
    """How big an archive to write; FULL is the decade the issue asks for."""
    years: int
    meetings_per_year: int
    items_per_meeting: int
    pack_bytes: int
    first_year: int = 2016
    label: str = "full"

    @property
    def packs(self) -> int:
        return self.years * self.meetings_per_year


FULL = ArchiveSize(years=10, meetings_per_year=10, items_per_meeting=15, pack_bytes=540_000)
QUICK = ArchiveSize(years=2, meetings_per_year=3, items_per_meeting=15, pack_bytes=150_000, label="quick")


@dataclass
class PackSpec:
    """What one written pack holds, so a test can check the import against it."""
    path: Path
    date: dt.date
    items: list[tuple[str, str, int]] = field(default_factory=list)   # (number, title, bilag count)
    bytes: int = 0

    @property
    def bilag(self) -> int:
        return sum(count for _, _, count in self.items)


def corpus_paragraphs(directory: Path | None = None) -> dict[str, list[str]]:
    """Each corpus file's paragraphs that cannot be mistaken for a pack's own TOC or item markers.

    Lines like "3.2 Følgegruppernes ansvar" are dropped: in a synthetic pack
    they could fall right after an item marker and confuse the boundary check
    the benchmark is not about.
    """
    out: dict[str, list[str]] = {}
    for path in sorted((directory or corpus_dir()).glob("*.txt")):
        paragraphs = []
        for block in re.split(r"\n[ \t]*\n", path.read_text(encoding="utf-8")):
            lines = [ln for ln in block.split("\n") if ln.strip()]
            lines = [ln for ln in lines if not _STRUCTURAL.search(ln) and not _TOC_LINE.search(ln)]
            if lines:
                paragraphs.append("\n".join(lines))
        if paragraphs:
            out[path.name] = paragraphs
    return out


def source_weights(pools: dict[str, list[str]]) -> list[float]:
    """How often a bilag is drawn from each file: ordinary meeting material, and now and then a contract.

    Three of the four corpus files are resultatkontrakter and their
    afrapporteringer, but a real year has about two such bilag among some
    300 (10 meetings × 30); drawing the files evenly would make the archive
    mostly contract text and overweight the contract extractor. The meeting
    pack itself still carries its own contract bilag (a third of its text).
    """
    others = max(1, sum(1 for name in pools if "moede" not in name))
    return [1 - CONTRACT_SHARE if "moede" in name else CONTRACT_SHARE / others for name in pools]


def _vary_numbers(text: str, rng: random.Random, year_shift: int) -> str:
    """Years move with the meeting; other numbers change by up to ±20 % and keep their digit count."""
    def swap(match: re.Match[str]) -> str:
        digits = match.group(0)
        value = int(digits)
        if len(digits) == 4 and 1990 <= value <= 2035:
            return str(value + year_shift)
        if digits.startswith("0"):
            return digits
        low, high = 10 ** (len(digits) - 1), 10 ** len(digits) - 1
        return str(min(high, max(low, round(value * rng.uniform(0.8, 1.2)))))
    return _NUMBER.sub(swap, text)


def _bilag_text(pools: dict[str, list[str]], rng: random.Random, target_bytes: int, year_shift: int) -> str:
    """A run of consecutive paragraphs of one corpus file (so it reads like one document), neighbours swapped."""
    pool = pools[rng.choices(list(pools), weights=source_weights(pools))[0]]
    start = rng.randrange(len(pool))
    chunk: list[str] = []
    size = 0
    index = start
    while size < target_bytes:
        paragraph = pool[index % len(pool)]
        chunk.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
        index += 1
    for i in range(0, len(chunk) - 1, 2):     # deterministic local shuffle
        if rng.random() < 0.3:
            chunk[i], chunk[i + 1] = chunk[i + 1], chunk[i]
    return _vary_numbers("\n\n".join(chunk), rng, year_shift)


def _item_numbers(count: int) -> list[str]:
    """Realistic agenda numbering: 1.1, 2.1, 2.2, then 3.1 onwards (gaps are fine)."""
    numbers = ["1.1", "2.1", "2.2"][:count]
    numbers += [f"3.{n}" for n in range(1, count - len(numbers) + 1)]
    return numbers


def _meeting_dates(size: ArchiveSize) -> Iterator[dt.date]:
    for year in range(size.first_year, size.first_year + size.years):
        months = MONTHS_WITH_MEETINGS[: size.meetings_per_year]
        months += [12] * (size.meetings_per_year - len(months))
        for index, month in enumerate(months):
            yield dt.date(year, month, min(28, 5 + index * 2))


def _title(template: str, year: int, rng: random.Random) -> str:
    return template.format(y=year, y0=year - 1, y1=year + 1, y3=year + 3, topic=rng.choice(TOPICS))


def write_pack(path: Path, date: dt.date, size: ArchiveSize, pools: dict[str, list[str]],
               rng: random.Random) -> PackSpec:
    """One meeting's bilag pack in the corpus format; returns what it holds."""
    shift = date.year - 2021
    numbers = _item_numbers(size.items_per_meeting)
    titles = rng.sample(ITEM_TITLES, k=min(len(ITEM_TITLES), len(numbers)))
    titles += [rng.choice(ITEM_TITLES) for _ in range(len(numbers) - len(titles))]
    counts = [rng.choice((1, 1, 2, 2, 2, 3)) for _ in numbers]
    per_bilag = size.pack_bytes / sum(counts)
    spec = PackSpec(path, date)
    toc: list[str] = ["Indholdsfortegnelse - Bilag\t1"]
    body: list[str] = []
    page = 2
    for number, template, count in zip(numbers, titles, counts, strict=True):
        item_title = _title(template, date.year, rng)
        spec.items.append((number, item_title, count))
        toc.append(f"{number} {item_title}\t{page}")
        for b in range(1, count + 1):
            bilag_title = _title(rng.choice(BILAG_TITLES), date.year, rng)
            dots = "....." if rng.random() < 0.5 else ""
            toc.append(f"Bilag {b}: {bilag_title}{dots}\t{page}")
            text = _bilag_text(pools, rng, int(per_bilag * rng.uniform(0.5, 1.5)), shift)
            body += [number, "", item_title, "", bilag_title, "", text, ""]
            page += 1 + len(text.encode("utf-8")) // BYTES_PER_PAGE
    header = ["", f"KKR Nordjylland den {format_date(date)}", "", "Indholdsfortegnelse - Bilag", ""]
    content = "\n".join(header + toc + [""] + body)
    path.write_text(content, encoding="utf-8")
    spec.bytes = len(content.encode("utf-8"))
    return spec


def build_archive(target: Path, size: ArchiveSize = FULL, seed: int = SEED,
                  corpus: Path | None = None) -> list[PackSpec]:
    """Write size.packs meeting-pack text files into target (created); the same inputs give the same bytes."""
    target.mkdir(parents=True, exist_ok=True)
    pools = corpus_paragraphs(corpus)
    rng = random.Random(seed)
    specs = []
    for date in _meeting_dates(size):
        specs.append(write_pack(target / f"kkr-moede-{date.isoformat()}-bilag.txt", date, size, pools, rng))
    return specs
