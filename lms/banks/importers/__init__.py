"""Importers, chosen by file name. Each turns a file into a ParsedBank (the neutral
structure); validation and storing are shared (lms.banks.imports)."""
from __future__ import annotations

from collections.abc import Callable

from lms.banks.enums import BankFormat
from lms.banks.importers import aiken, gift, xlsx, yaml_format
from lms.banks.importers.parsed import ParsedBank

Parser = Callable[..., ParsedBank]

IMPORTERS: dict[BankFormat, Parser] = {
    BankFormat.YAML: yaml_format.parse,
    BankFormat.GIFT: gift.parse,
    BankFormat.AIKEN: aiken.parse,
    BankFormat.XLSX: xlsx.parse,
}

# Longest suffix first: "x.gift.txt" is GIFT, "x.aiken.txt" is Aiken.
SUFFIXES: list[tuple[str, BankFormat]] = [
    (".yaml", BankFormat.YAML),
    (".yml", BankFormat.YAML),
    (".gift", BankFormat.GIFT),
    (".gift.txt", BankFormat.GIFT),
    (".aiken.txt", BankFormat.AIKEN),
    (".xlsx", BankFormat.XLSX),
]


def format_for(filename: str) -> BankFormat | None:
    lower = filename.lower()
    for suffix, name in sorted(SUFFIXES, key=lambda pair: -len(pair[0])):
        if lower.endswith(suffix) and name in IMPORTERS:
            return name
    return None


def accepted_suffixes() -> list[str]:
    return [suffix for suffix, name in SUFFIXES if name in IMPORTERS]
