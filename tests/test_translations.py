"""Chinese is the source language; English is the second. Every string the code and the
templates mark for translation must be in the English catalog, translated and not fuzzy,
or an English-speaking user meets Chinese in the middle of an English page."""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]


def test_every_marked_string_has_an_english_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_ngettext:1,2",
                    "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as source:
        wanted = [message for message in read_po(source) if message.id]
    with (ROOT / "lms/translations/en/LC_MESSAGES/messages.po").open("rb") as source:
        english = read_po(source, locale="en")

    def translated(message) -> bool:
        entry = english.get(message.id, context=message.context)
        if entry is None or entry.fuzzy:
            return False
        return all(entry.string) if isinstance(entry.string, tuple) else bool(entry.string)

    assert len(wanted) > 500  # the extraction found the app's strings
    untranslated = [message.id for message in wanted if not translated(message)]
    assert untranslated == [], f"{len(untranslated)} strings without English: {untranslated[:10]}"
