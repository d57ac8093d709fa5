"""How well does the reader understand words it was not written from: the development set.

    .venv/bin/python bench/reading.py [--split tune|test|all] [--set NAME] [--limit N]
                                      [--batch "stop N"|earlier] [--show-failures] [--json]

Each text in bench/reading/*.yaml (everyday phrasings, clinical shorthand, patient stories,
out-of-scope complaints, denials, published presentations; each with its source page) goes
through the product exactly as a user's would: `parse_case({"id": "dev", "narrative": TEXT})`
and `Evaluator.evaluate`. What the report says is compared with what the item expects:
- read: the report's facts (`finding:ID`, `absent:ID`, `unqualified:ID`), `understood`, `sites`;
- asked: a TriageError of class AmbiguousText (its `.choices` are the question);
- refused: any other TriageError (nothing could be read);
- crashed: any other exception, a bug of the product: counted, shown, and the run goes on.
A code without the `narrative` key (it refuses it as an unknown key) is measured by giving the
text as `findings: [TEXT]`; the first line printed says which way was used.

Per set and split, it prints: read right, read as a wrong finding (and of those, how many point
to another site), asked, refused; for stories, recall and precision of the findings, the
denials read right and the stories read fully right; for presentations, how often the top site
is the confirmed one. The split of an item is fixed by a hash of its text (split_of), never by
how it reads: tune on `tune`, report on `test`; so --show-failures lists the tune split's
failures unless --split test (or tune) is asked for. Same data and code, same output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from triage.case import parse_case
from triage.errors import TriageError
from triage.evaluation import Evaluator
from triage.knowledge import KnowledgeBase

DATA = Path(__file__).resolve().parent / "reading"
SETS = ("everyday", "clinical", "stories", "out_of_scope", "denials", "presentations")
SPLITS = ("tune", "test")
NO_SITE = "none"
DENIED_PRESENT = "a denied finding read as present"
OTHER_PRESENT = "a finding read as present"


def split_of(text: str) -> str:
    """The fixed rule: `tune` for about 40% of the texts, by a hash of the text alone."""
    digest = hashlib.sha256(" ".join(text.split()).lower().encode()).hexdigest()
    return "tune" if int(digest[:8], 16) % 10 < 4 else "test"


BATCH_MARK = re.compile(r"^\s*# Added at (stop \d+)")


def load_set(name: str) -> list[dict[str, Any]]:
    """The items of one set, as its YAML file lists them, each with its `batch`: the stop
    whose "# Added at stop N" comment comes before it in the file, or "earlier"."""
    text = (DATA / f"{name}.yaml").read_text(encoding="utf-8")
    items = yaml.safe_load(text)["items"]
    batches, batch = [], "earlier"
    for line in text.splitlines():
        mark = BATCH_MARK.match(line)
        if mark:
            batch = mark.group(1)
        elif line.startswith("  - text:"):
            batches.append(batch)
    if len(batches) == len(items):  # one "  - text:" line an item, as the files are written
        for item, batch in zip(items, batches, strict=True):
            item.setdefault("batch", batch)
    return items


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def sites_of_findings(kb: KnowledgeBase) -> dict[str, set[str]]:
    """Each finding id with the sites its rules point to (empty for a general symptom)."""
    sites: dict[str, set[str]] = {finding.id: set() for finding in kb.findings}
    for rule in kb.rules:
        if not rule.then.startswith("site:"):
            continue
        for condition in rule.when:
            if condition.startswith("finding:") and condition[8:] in sites:
                sites[condition[8:]].add(rule.then[5:])
    return sites


@dataclass
class Reading:
    """What the product made of one text."""

    outcome: str  # read | asked | refused | crashed
    present: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)
    unqualified: set[str] = field(default_factory=set)
    sites: list[str] = field(default_factory=list)
    understood: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""
    choices: list[str] = field(default_factory=list)

    def shown(self) -> str:
        if self.outcome == "asked":
            return f"asked: {', '.join(self.choices) or self.message}"
        if self.outcome in ("refused", "crashed"):
            return f"{self.outcome}: {self.message}"
        parts = [f"present {sorted(self.present)}", f"absent {sorted(self.absent)}"]
        if self.unqualified:
            parts.append(f"unqualified {sorted(self.unqualified)}")
        parts.append(f"sites {self.sites}")
        return "read: " + ", ".join(parts)


def is_ambiguity(exc: TriageError) -> bool:
    return any(kind.__name__ == "AmbiguousText" for kind in type(exc).__mro__)


class Reader:
    """The product, used as a user would: a case with one narrative, evaluated."""

    def __init__(self) -> None:
        self.evaluator = Evaluator.load()
        self.narrative = self._narrative_accepted()

    @staticmethod
    def _narrative_accepted() -> bool:
        try:
            parse_case({"id": "dev", "narrative": "headache"})
        except TriageError as exc:
            if "narrative" in str(exc) and "unknown key" in str(exc):
                return False
        return True

    def describe(self) -> str:
        if self.narrative:
            return "reader: each text given as the case's `narrative`"
        return (
            "reader: this code refuses the `narrative` key; "
            "each text given as `findings: [TEXT]` instead"
        )

    def read(self, text: str) -> Reading:
        data = (
            {"id": "dev", "narrative": text}
            if self.narrative
            else {"id": "dev", "findings": [text]}
        )
        try:
            report = self.evaluator.evaluate(parse_case(data))
        except TriageError as exc:
            if is_ambiguity(exc):
                choices = [str(choice) for choice in getattr(exc, "choices", None) or []]
                return Reading("asked", message=str(exc), choices=choices)
            return Reading("refused", message=str(exc))
        except Exception as exc:  # a bug of the product, not of the text: measure, go on
            return Reading("crashed", message=f"{type(exc).__name__}: {exc}")
        reading = Reading("read", sites=[site.id for site in report.sites])
        for fact in report.facts:
            kind, _, value = fact.partition(":")
            {"finding": reading.present, "absent": reading.absent}.get(kind, set()).add(value)
            if kind == "unqualified":
                reading.unqualified.add(value)
        understood = getattr(report, "understood", None) or []
        reading.understood = [
            entry.model_dump(exclude_none=True) if hasattr(entry, "model_dump") else dict(entry)
            for entry in understood
        ]
        return reading


@dataclass
class Verdict:
    """How one item fared: its category, and what a failure shows."""

    category: str  # right | wrong | asked | refused | crashed
    other_site: bool = False
    site_reached: bool = False
    note: str = ""


class Scorer:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.sites = sites_of_findings(kb)

    def sites_of(self, finding: str) -> set[str]:
        return self.sites.get(finding, set())

    def other_site(self, read: set[str], expected_sites: set[str]) -> bool:
        """Some finding read points to a site the item does not point to."""
        return any(self.sites_of(finding) - expected_sites for finding in read)

    def phrase(self, item: dict[str, Any], reading: Reading) -> Verdict:
        """An everyday phrasing or a clinical word: read as its finding, or, for an
        ambiguous abbreviation, asked about."""
        if item.get("ambiguous"):
            if reading.outcome == "read" and (reading.present or reading.absent):
                return Verdict("wrong", note="guessed an ambiguous abbreviation")
            return Verdict("right" if reading.outcome == "asked" else reading.outcome)
        if reading.outcome != "read":
            return Verdict(reading.outcome)
        expected = set(as_list(item["finding"]))
        sites = {site for site in as_list(item.get("site")) if site != NO_SITE}
        if not sites:
            sites = set().union(*(self.sites_of(finding) for finding in expected))
        other = self.other_site(reading.present, sites)
        reached = bool(sites & set(reading.sites)) if sites else bool(expected & reading.present)
        if expected & reading.present and not other:
            return Verdict("right", site_reached=reached)
        if not reading.present and not reading.absent:
            return Verdict("refused", note="read, but as no finding")
        return Verdict("wrong", other_site=other, site_reached=reached)

    def out_of_scope(self, item: dict[str, Any], reading: Reading) -> Verdict:
        """A complaint the article does not list: no finding at all (refusing is right)."""
        if reading.outcome in ("asked", "crashed"):
            return Verdict(reading.outcome)
        if reading.outcome == "refused" or not (reading.present or reading.absent):
            return Verdict("right", note="refused" if reading.outcome == "refused" else "")
        return Verdict("wrong", other_site=self.other_site(reading.present, set()))

    def denial(self, item: dict[str, Any], reading: Reading) -> Verdict:
        """Every denied finding read as absent, none read as present."""
        expected = set(item["absent"])
        if reading.outcome in ("asked", "crashed"):
            return Verdict(reading.outcome)
        if reading.outcome == "refused":
            return Verdict("right" if not expected else "refused")
        if reading.present & expected:
            return Verdict("wrong", note=DENIED_PRESENT)
        if reading.present:
            return Verdict("wrong", note=OTHER_PRESENT)
        return Verdict("right" if expected <= reading.absent else "wrong")


@dataclass
class Tally:
    """The figures of one set over one split."""

    items: int = 0
    right: int = 0
    wrong: int = 0
    other_site: int = 0
    asked: int = 0
    refused: int = 0
    crashed: int = 0
    site_reached: int = 0
    # stories
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    denials: int = 0
    denials_right: int = 0
    denials_as_present: int = 0
    fully_right: int = 0
    # denials: items with a denied finding read as present, or another finding read as present
    denied_present: int = 0
    other_present: int = 0
    # presentations
    top_site: int = 0
    site_anywhere: int = 0

    def add(self, verdict: Verdict) -> None:
        self.items += 1
        setattr(self, verdict.category, getattr(self, verdict.category) + 1)
        self.other_site += verdict.other_site
        self.site_reached += verdict.site_reached
        self.denied_present += verdict.note == DENIED_PRESENT
        self.other_present += verdict.note == OTHER_PRESENT


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def score_story(item: dict[str, Any], reading: Reading, tally: Tally) -> Verdict:
    present, absent = set(item["present"]), set(item["absent"])
    tally.items += 1
    tally.denials += len(absent)
    if reading.outcome != "read":
        setattr(tally, reading.outcome, getattr(tally, reading.outcome) + 1)
        tally.false_neg += len(present)
        return Verdict(reading.outcome)
    tally.true_pos += len(present & reading.present)
    tally.false_pos += len(reading.present - present)
    tally.false_neg += len(present - reading.present)
    tally.denials_right += len(absent & reading.absent)
    tally.denials_as_present += len(absent & reading.present)
    fully = reading.present == present and reading.absent == absent
    tally.fully_right += fully
    return Verdict("right" if fully else "wrong")


def score_presentation(item: dict[str, Any], reading: Reading, tally: Tally) -> Verdict:
    tally.items += 1
    if reading.outcome != "read":
        setattr(tally, reading.outcome, getattr(tally, reading.outcome) + 1)
        return Verdict(reading.outcome)
    top = bool(reading.sites) and reading.sites[0] == item["site"]
    tally.top_site += top
    tally.site_anywhere += item["site"] in reading.sites
    return Verdict("right" if top else "wrong")


def expected_of(name: str, item: dict[str, Any]) -> str:
    if name == "stories":
        return f"present {item['present']}, absent {item['absent']}"
    if name == "presentations":
        return f"top site {item['site']}"
    if name == "out_of_scope":
        return "no finding"
    if name == "denials":
        return f"absent {item['absent']}, nothing present"
    if item.get("ambiguous"):
        return f"asked ({' / '.join(item.get('meanings', []))})"
    return f"finding {item['finding']}, site {item.get('site')}"


def evaluate_sets(
    reader: Reader,
    names: list[str],
    splits: list[str],
    limit: int | None,
    batch: str | None = None,
) -> tuple[dict[str, dict[str, Tally]], list[dict[str, Any]]]:
    scorer = Scorer(reader.evaluator.kb)
    results: dict[str, dict[str, Tally]] = {}
    failures: list[dict[str, Any]] = []
    for name in names:
        results[name] = {split: Tally() for split in [*SPLITS, "all"]}
        items = [
            item
            for item in load_set(name)
            if item["split"] in splits and (batch is None or item.get("batch") == batch)
        ]
        for item in items[:limit] if limit else items:
            reading = reader.read(item["text"])
            for key in (item["split"], "all"):
                tally = results[name][key]
                if name == "stories":
                    verdict = score_story(item, reading, tally)
                elif name == "presentations":
                    verdict = score_presentation(item, reading, tally)
                else:
                    judge = {"out_of_scope": scorer.out_of_scope, "denials": scorer.denial}
                    verdict = judge.get(name, scorer.phrase)(item, reading)
                    tally.add(verdict)
            if verdict.category != "right":
                failures.append(
                    {
                        "set": name,
                        "split": item["split"],
                        "text": item["text"],
                        "expected": expected_of(name, item),
                        "got": reading.shown(),
                        "verdict": verdict.category
                        + (f" ({verdict.note})" if verdict.note else ""),
                        "understood": reading.understood,
                        "source": item["source"],
                    }
                )
    return results, failures


def summary(name: str, tally: Tally) -> dict[str, Any]:
    """The figures of one set and split, as --json prints them."""
    base = {
        "items": tally.items,
        "asked": tally.asked,
        "refused": tally.refused,
        "crashed": tally.crashed,
    }
    if name == "stories":
        found = tally.true_pos + tally.false_neg
        return base | {
            "findings_recall": round(tally.true_pos / found, 4) if found else None,
            "findings_precision": round(tally.true_pos / (tally.true_pos + tally.false_pos), 4)
            if tally.true_pos + tally.false_pos
            else None,
            "denials": tally.denials,
            "denials_read_right": tally.denials_right,
            "denials_read_as_present": tally.denials_as_present,
            "stories_fully_right": tally.fully_right,
        }
    if name == "presentations":
        return base | {"top_site_confirmed": tally.top_site, "site_anywhere": tally.site_anywhere}
    figures = base | {
        "right": tally.right,
        "wrong": tally.wrong,
        "wrong_other_site": tally.other_site,
    }
    if name in ("everyday", "clinical"):
        figures["site_reached"] = tally.site_reached
    if name == "denials":
        figures["denied_read_as_present"] = tally.denied_present
        figures["other_finding_present"] = tally.other_present
    return figures


def table(results: dict[str, dict[str, Tally]], splits: list[str]) -> list[str]:
    rows = [
        f"{'set':<14}{'split':<6}{'items':>6}  {'right':>13}  {'wrong (other site)':>18}"
        f"  {'asked':>6}  {'refused':>7}  other"
    ]
    for name, by_split in results.items():
        for split in splits:
            t = by_split[split]
            if name == "stories":
                found, said = t.true_pos + t.false_neg, t.true_pos + t.false_pos
                extra = (
                    f"recall {pct(t.true_pos, found).strip()}, precision "
                    f"{pct(t.true_pos, said).strip()}, denials right {t.denials_right}/{t.denials}"
                    f" ({t.denials_as_present} as present), fully right {t.fully_right}/{t.items}"
                )
                right, wrong = f"{t.fully_right:>5} {pct(t.fully_right, t.items)}", ""
            elif name == "presentations":
                extra = f"top site = confirmed {t.top_site}/{t.items}, anywhere {t.site_anywhere}"
                right, wrong = f"{t.top_site:>5} {pct(t.top_site, t.items)}", ""
            else:
                right = f"{t.right:>5} {pct(t.right, t.items)}"
                wrong = f"{t.wrong:>5} ({t.other_site})"
                extra = (
                    f"site reached {t.site_reached}/{t.items}"
                    if name in ("everyday", "clinical")
                    else f"denied read as present {t.denied_present}, another finding present"
                    f" {t.other_present}"
                    if name == "denials"
                    else ""
                )
            if t.crashed:
                extra = "; ".join(part for part in (f"CRASHED {t.crashed}", extra) if part)
            rows.append(
                f"{name:<14}{split:<6}{t.items:>6}  {right:>13}  {wrong:>18}  {t.asked:>6}"
                f"  {t.refused:>7}  {extra}".rstrip()
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        choices=SETS,
        metavar="NAME",
        help=f"one of {', '.join(SETS)} (repeatable; default: all)",
    )
    parser.add_argument("--limit", type=int, help="only the first N items of each set")
    parser.add_argument(
        "--batch",
        help='only the items a stop added ("stop 20", "stop 21"; the files mark them) or those '
        'before any ("earlier")',
    )
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--json", action="store_true", help="machine output, one JSON object")
    args = parser.parse_args(argv)

    names = args.sets or list(SETS)
    splits = list(SPLITS) if args.split == "all" else [args.split]
    reader = Reader()
    results, failures = evaluate_sets(reader, names, splits, args.limit, args.batch)
    shown_splits = [*splits, "all"] if args.split == "all" else splits
    # Tune on `tune`, report on `test`: by default the failures shown are the tune split's.
    shown_failures = [f for f in failures if args.split != "all" or f["split"] == "tune"]

    if args.json:
        output: dict[str, Any] = {
            "reader": "narrative" if reader.narrative else "findings",
            "sets": {
                name: {split: summary(name, by_split[split]) for split in shown_splits}
                for name, by_split in results.items()
            },
        }
        if args.show_failures:
            output["failures"] = shown_failures
        print(json.dumps(output, sort_keys=True, ensure_ascii=False))
        return 0

    print(reader.describe())
    print(
        "right: read as the expected finding (an ambiguous abbreviation: asked; out of scope: no "
        "finding, refusing included; denials: every denied finding absent, none present); "
        "stories: read fully right; presentations: top site = confirmed site"
    )
    for row in table(results, shown_splits):
        print(row)
    if args.show_failures:
        print()
        if args.split == "all":
            print("failures of the tune split only (ask for --split test to see the others)")
        for failure in shown_failures:
            print(f"[{failure['set']}/{failure['split']}] {failure['text']}")
            print(f"    expected {failure['expected']}; {failure['verdict']}")
            print(f"    {failure['got']}")
            for entry in failure["understood"]:
                print(f"    understood: {json.dumps(entry, sort_keys=True, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
