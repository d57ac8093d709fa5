"""The limits on a case, checked before any expensive work: each gives one `error:` line.

A case file is written by hand and read by a teaching tool, so these are generous for a real
case (the largest example case is about 2 KB with 6 findings) and small enough that no input
can make `triage` slow or hungry. The README lists them with the error each gives.
"""

from __future__ import annotations

MAX_FILE_BYTES = 256 * 1024  # a case file, read no further than this
MAX_DEPTH = 20  # nesting of lists and mappings in a case file (a case needs 4)
MAX_NODES = 5_000  # values in a case file, once YAML aliases are expanded
MAX_RULES_NODES = 50_000  # values in one file of the knowledge base (rules/reading.yaml has 5,000)
MAX_TEXT_CHARS = 10_000  # one string in a case file: `notes`, the longest one a case has
MAX_NUMBER_DIGITS = 100  # one number written in a case file
MAX_LIST_ENTRIES = 100  # findings, absent, history or tags: entries in one list
MAX_LABS = 20  # lab values in one case
MAX_PHRASE_CHARS = 200  # one finding, history flag, tag, lab name or lab value, and the title


def size_text(count: int) -> str:
    """A byte count as a reader says it: 1 MiB, 300 KiB, 12 bytes."""
    for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if count >= size and count % size == 0:
            return f"{count // size} {unit}"
    return f"{count} bytes"
