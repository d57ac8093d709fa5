"""The case library: finding case files under the paths a user gives."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from triage.case import read_case
from triage.errors import TriageError
from triage.evaluation import Evaluator

CASE_SUFFIXES = (".yaml", ".yml", ".json")


def _cases_in(folder: Path) -> list[Path]:
    """The case files under the folder; a subfolder that cannot be read is an error, not
    skipped (its cases would be missing without a word)."""

    def unreadable(exc: OSError) -> None:
        raise TriageError(f"{exc.filename}: cannot read this folder: {exc.strerror}")

    found = []
    seen: set[tuple[int, int]] = set()  # folders walked: a link back up is walked once
    for root, folders, files in os.walk(folder, onerror=unreadable, followlinks=True):
        info = os.stat(root)
        if (info.st_dev, info.st_ino) in seen:
            folders[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            path = Path(root, name)
            if not name.startswith(".") and path.suffix.lower() in CASE_SUFFIXES and path.is_file():
                found.append(path)
    return sorted(found)


def case_files(paths: Iterable[Path]) -> list[Path]:
    """Each path as given, a folder replaced by its case files (recursively, sorted).

    A folder with no case file is an error: a teacher who points at the wrong folder should
    hear so, not see an empty success.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = _cases_in(path)
            if not found:
                raise TriageError(f"{path}: no case files (.yaml, .yml, .json) in this folder")
            files.extend(found)
        else:
            files.append(path)
    return files


def default_library() -> Path:
    """`cases/` in the current folder when there is one, else the examples shipped with triage."""
    here = Path("cases")
    return here if here.is_dir() else shipped_library()


def shipped_library() -> Path:
    """The example cases shipped inside the package (the source tree's when not installed)."""
    try:
        packaged = Path(str(resources.files("triage.cases")))
        if packaged.is_dir():
            return packaged
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "cases"


@dataclass(frozen=True)
class LibraryRun:
    """What evaluating a whole case library showed about the rules."""

    cases: int
    fired_by: dict[str, list[str]]  # rule id -> the ids of the cases whose report it is in
    errors: list[str]  # one line per case file that could not be evaluated


def run_library(evaluator: Evaluator, files: Iterable[Path]) -> LibraryRun:
    """Evaluate every case file and note which rules each one fires."""
    fired_by: dict[str, list[str]] = {}
    errors: list[str] = []
    count = 0
    for path in files:
        try:
            case = read_case(path)
            report = evaluator.evaluate(case)
        except TriageError as exc:
            errors.append(str(exc.located(str(path))))
            continue
        count += 1
        for rule in report.rules_fired():
            fired_by.setdefault(rule, []).append(case.id)
    return LibraryRun(cases=count, fired_by=fired_by, errors=errors)
