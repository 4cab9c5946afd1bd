"""Hostile bank files (issue 11): each is refused with errors naming the file and line, and
the import *finishes* — a watchdog turns a parser stuck on crafted input into a failure
instead of a frozen test run (no timing assertions: only "it ends")."""
from __future__ import annotations

import re
import signal
from contextlib import contextmanager

from hypothesis import given, settings
from hypothesis import strategies as st

from lms.banks.importers.aiken import answer_keys
from lms.banks.imports import import_files

WATCHDOG_SECONDS = 5


@contextmanager
def watchdog(seconds: int = WATCHDOG_SECONDS):
    """Fail (TimeoutError) if the block is still running after `seconds`."""

    def fire(_signum, _frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def dry_run(name: str, data: bytes, **options):
    with watchdog():
        report = import_files(None, [(name, data)], dry_run=True, **options)
    return report.files[0]


# ---- Aiken: the answer line ---------------------------------------------------------------

# The old answer pattern `^[A-Z](?:\s*[,，、]?\s*[A-Z])*$` could split the blanks between two
# letters in several ways, so a long answer line that fails at its end took 2^n steps.
ANSWER_LINES = [
    "A" + " A" * 25_000 + "!",
    "A" + "  A" * 16_000 + "!",
    "A" + " , A" * 12_000 + " ,",
    "A" + "\t、\tA" * 12_000 + "1",
]


def test_crafted_aiken_answer_lines_are_refused_and_name_the_line(app):
    for line in ANSWER_LINES:
        text = f"题干\nA. 甲\nB. 乙\nANSWER: {line}\n"
        assert len(text.encode()) > 48_000
        report = dry_run("x.aiken.txt", text.encode(), bank_code="b")
        assert not report.ok
        assert any(str(error).startswith("x.aiken.txt 第 4 行") for error in report.errors), report.errors[:3]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ABZ ,，、\t!a1", max_size=14))
def test_answer_keys_read_what_the_old_pattern_accepted(text):
    """Same grammar as before, without its backtracking: letters, each pair separated by
    blanks and at most one separator. (The importer strips the line first.)"""
    text = text.strip()
    old = re.fullmatch(r"[A-Z](?:\s*[,，、]?\s*[A-Z])*", text)
    keys = answer_keys(text)
    assert (keys is not None) == (old is not None)
    if keys is not None:
        assert keys == re.findall(r"[A-Z]", text)
