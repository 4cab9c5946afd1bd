"""Importers, chosen by file name. Each turns a file into a ParsedBank (the neutral
structure); validation and storing are shared (lms.banks.imports)."""
from __future__ import annotations

from typing import Callable

from lms.banks.importers import aiken, gift, xlsx, yaml_format
from lms.banks.importers.parsed import ParsedBank

Parser = Callable[..., ParsedBank]

IMPORTERS: dict[str, Parser] = {
    "yaml": yaml_format.parse,
    "gift": gift.parse,
    "aiken": aiken.parse,
    "xlsx": xlsx.parse,
}

# Longest suffix first: "x.gift.txt" is GIFT, "x.aiken.txt" is Aiken.
SUFFIXES: list[tuple[str, str]] = [
    (".yaml", "yaml"),
    (".yml", "yaml"),
    (".gift", "gift"),
    (".gift.txt", "gift"),
    (".aiken.txt", "aiken"),
    (".xlsx", "xlsx"),
]


def format_for(filename: str) -> str | None:
    lower = filename.lower()
    for suffix, name in sorted(SUFFIXES, key=lambda pair: -len(pair[0])):
        if lower.endswith(suffix) and name in IMPORTERS:
            return name
    return None


def accepted_suffixes() -> list[str]:
    return [suffix for suffix, name in SUFFIXES if name in IMPORTERS]
