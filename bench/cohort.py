"""A reproducible cohort of plausible cases, in the case-file format (fixed seed)."""

from __future__ import annotations

import random
from typing import Any

HISTORY = ["lumpectomy_and_radiation", "hormone_therapy_ineffective", "severe_symptoms"]


def cohort(kb: Any, size: int, seed: int = 2026) -> list[dict[str, Any]]:
    """`size` cases: findings in the article's words, plain names or synonyms, findings reported
    absent, lab values around their reference range in any accepted unit, receptors, history
    and progression. The same seed gives the same cases."""
    rng = random.Random(seed)
    wordings = {
        finding.id: [w for w in (finding.id, finding.name, finding.article, *finding.synonyms) if w]
        for finding in kb.findings
    }
    ids = sorted(wordings)
    # lab id -> the findings its value decides: a case never reports those the other way
    decides: dict[str, set[str]] = {}
    for rule in kb.rules:
        if rule.then.startswith("finding:"):
            for condition in rule.conditions:
                if condition.kind == "lab":
                    lab_id = condition.key.partition(":")[2]
                    decides.setdefault(lab_id, set()).add(rule.then.partition(":")[2])
    cases = []
    for number in range(size):
        present = rng.sample(ids, rng.randint(0, 5))
        rest = [f for f in ids if f not in present]
        case: dict[str, Any] = {
            "id": f"c{number}",
            "findings": [rng.choice(wordings[f]) for f in present],
        }
        absent = rng.sample(rest, rng.randint(0, 2))
        if absent:
            case["absent"] = [rng.choice(wordings[f]) for f in absent]
        if rng.random() < 0.3:
            case["labs"] = {}
            said = set(present) | set(absent)
            labs = [lab for lab in kb.labs if not decides.get(lab.id, set()) & said]
            for lab in rng.sample(labs, min(len(labs), rng.randint(1, 3))):
                unit = rng.choice(sorted(lab.units))
                value = lab.upper_limit * rng.uniform(0.5, 1.6) / float(lab.factor(unit))
                case["labs"][lab.id] = f"{value:.2f} {unit}"
        receptors = {
            "er": rng.choice(["positive", "negative", "unknown"]),
            "pr": rng.choice(["positive", "negative"]),
        }
        case["receptors"] = receptors
        if rng.random() < 0.2:
            case["progression"] = rng.choice(["rapid", "slow"])
        if rng.random() < 0.2:
            case["history"] = [rng.choice(HISTORY)]
        cases.append(case)
    return cases
