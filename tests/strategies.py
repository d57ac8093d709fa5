"""Generated inputs for the property tests and the long fuzz run (`fuzz/run.py`), and the
checks every input must pass: a valid case gives a deterministic report whose traces are
proofs; a broken one gives one `error:` line and exit 2, never a traceback."""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import string
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result
from hypothesis import event
from hypothesis import strategies as st

from triage.case import Case, parse_case
from triage.cli import main
from triage.errors import TriageError
from triage.evaluation import Evaluator
from triage.limits import MAX_FILE_BYTES, MAX_LIST_ENTRIES, MAX_PHRASE_CHARS
from triage.render import render_text

EVALUATOR = Evaluator.load()
KB = EVALUATOR.kb
LEXICON = EVALUATOR.lexicon
FIELDS = set(Case.model_fields)

# -- the words a case may use -------------------------------------------------------------

PHRASES: dict[str, list[str]] = {}
for _finding in KB.findings:
    for _phrase in [_finding.id, _finding.name, _finding.article, *_finding.synonyms]:
        if _phrase and LEXICON.findings.lookup(_phrase) == _finding.id:
            PHRASES.setdefault(_finding.id, []).append(_phrase)
FINDING_IDS = sorted(PHRASES)
HISTORY = [flag.id for flag in KB.catalogue.history]
LAB_NAMES = {lab.id: [lab.id, *lab.aliases] for lab in KB.labs}
RECEPTOR = ["positive", "negative", "unknown"]
PROGRESSION = ["rapid", "slow", "unknown"]

# Printable text: what a teacher may put in a title or notes.
printable = st.characters(exclude_categories=("Cc", "Cs"))
title_text = st.text(printable, max_size=60)


@st.composite
def spelled(draw: st.DrawFn, finding: str) -> str:
    """One way of writing the finding: any of its phrases, in any case, maybe with filler."""
    phrase = draw(st.sampled_from(PHRASES[finding]))
    phrase = draw(st.sampled_from([phrase, phrase.upper(), phrase.lower(), phrase.title()]))
    prefix = draw(st.sampled_from(["", "", "I have ", "my ", "patient reports "]))
    return prefix + phrase


def _unit_spellings(unit: str) -> list[str]:
    return [unit, unit.lower(), unit.upper(), unit.replace("u", "µ", 1) if "umol" in unit else unit]


@st.composite
def lab_value(draw: st.DrawFn, lab_id: str) -> str:
    """A valid lab entry: any accepted unit, up to 3 decimals, from 0 to the plausible maximum,
    most of them near the reference range (where the limits are)."""
    lab = KB.lab(lab_id)
    unit = draw(st.sampled_from(list(lab.units)))
    factor = lab.factor(unit)
    top = Decimal(repr(lab.implausible_above)) / factor
    near = Decimal(repr(lab.upper_limit)) / factor * 2
    ceiling = draw(st.sampled_from([near, near, top]))
    places = draw(st.integers(0, 3))
    value = draw(st.decimals(min_value=0, max_value=ceiling, places=places))
    value = min(value, top.quantize(Decimal(1).scaleb(-places), rounding="ROUND_FLOOR"))
    space = draw(st.sampled_from([" ", "", "  "]))
    return f"{value}{space}{draw(st.sampled_from(_unit_spellings(unit)))}"


# The findings a lab value can decide (calcium: hypercalcemia, ALT: elevated liver enzymes...).
LAB_FINDINGS = {
    rule.then.partition(":")[2]
    for rule in KB.rules
    if rule.then.startswith("finding:") and any(c.kind == "lab" for c in rule.conditions)
}


@st.composite
def valid_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A valid case: a random combination of findings, absent findings, labs, receptors,
    history and progression, each written in any of the ways a user may write it."""
    labs = draw(st.lists(st.sampled_from(sorted(LAB_NAMES)), unique=True, max_size=4))
    # A finding a lab value decides is not also reported: that is a contradiction, an error
    decided = LAB_FINDINGS if labs else set()
    ids = [f for f in FINDING_IDS if f not in decided]
    chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=10))
    split = draw(st.integers(0, len(chosen)))
    case: dict[str, Any] = {"id": draw(st.from_regex(r"[A-Za-z0-9_-]{1,30}", fullmatch=True))}
    if chosen[:split] or draw(st.booleans()):
        case["findings"] = [draw(spelled(f)) for f in chosen[:split]]
    if chosen[split:]:
        case["absent"] = [draw(spelled(f)) for f in chosen[split:]]
    if labs:
        case["labs"] = {draw(st.sampled_from(LAB_NAMES[lab])): draw(lab_value(lab)) for lab in labs}
    receptors = {
        name: draw(st.sampled_from(RECEPTOR)) for name in ("er", "pr") if draw(st.booleans())
    }
    if receptors:
        case["receptors"] = receptors
    history = draw(st.lists(st.sampled_from(HISTORY), unique=True, max_size=4))
    if history:
        case["history"] = history
    if draw(st.booleans()):
        case["progression"] = draw(st.sampled_from(PROGRESSION))
    if draw(st.booleans()):
        case["title"] = draw(title_text)
    if draw(st.booleans()):
        case["notes"] = draw(st.text(printable, max_size=300))
    return case


def shuffled(case: dict[str, Any], seed: int) -> dict[str, Any]:
    """The same case with every list and mapping in another order."""
    rng = random.Random(seed)
    out: dict[str, Any] = {}
    keys = list(case)
    rng.shuffle(keys)
    for key in keys:
        value = case[key]
        if isinstance(value, list):
            value = rng.sample(value, len(value))
        elif isinstance(value, dict):
            items = list(value.items())
            rng.shuffle(items)
            value = dict(items)
        out[key] = value
    return out


# -- broken cases: each one a single thing wrong with a valid case ---------------------------

unknown_word = st.from_regex(r"zq[a-z]{3,12}", fullmatch=True).filter(
    lambda w: LEXICON.findings.lookup(w) is None
)
wrong_types = st.one_of(
    st.integers(), st.floats(), st.booleans(), st.dictionaries(st.text(max_size=3), st.integers())
)
controls = st.characters(categories=["Cc", "Cs"]).filter(lambda c: c not in "\t\n\r")


@st.composite
def broken_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A valid case with one thing wrong: every one of these must be refused."""
    case = draw(valid_cases())
    kind = draw(st.sampled_from(BREAKAGES))
    return kind(draw, case)


def _set(key: str, value: Any):
    def breakage(draw: st.DrawFn, case: dict[str, Any]) -> dict[str, Any]:
        return case | {key: value(draw) if callable(value) else value}

    return breakage


def _lab(text: Any):
    def breakage(draw: st.DrawFn, case: dict[str, Any]) -> dict[str, Any]:
        lab = draw(st.sampled_from(sorted(LAB_NAMES)))
        entry = text(draw, KB.lab(lab)) if callable(text) else text
        return {k: v for k, v in case.items() if k != "labs"} | {"labs": {lab: entry}}

    return breakage


def _both(draw: st.DrawFn, case: dict[str, Any]) -> dict[str, Any]:
    finding = draw(st.sampled_from(FINDING_IDS))
    present = [*case.get("findings", []), draw(spelled(finding))]
    return case | {"findings": present, "absent": [draw(spelled(finding))]}


def _lab_twice(draw: st.DrawFn, case: dict[str, Any]) -> dict[str, Any]:
    lab = draw(st.sampled_from(sorted(LAB_NAMES)))
    first, second = draw(st.lists(st.sampled_from(LAB_NAMES[lab]), min_size=2, max_size=2))
    if first == second:
        second = second.upper() if second.upper() != second else second.title()
    value = draw(lab_value(lab))
    return case | {"labs": {first: value, second: draw(lab_value(lab))}}


def _absurd(draw: st.DrawFn, lab) -> str:
    unit = draw(st.sampled_from(list(lab.units)))
    top = Decimal(repr(lab.implausible_above)) / lab.factor(unit)
    extra = draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10) ** 60, places=2))
    return f"{(top + extra):f} {unit}"


BREAKAGES = [
    _set("findings", lambda d: d(wrong_types)),
    _set("findings", lambda d: [d(st.integers())]),
    _set("absent", lambda d: d(st.lists(st.none() | st.integers(), min_size=1))),
    _set("labs", lambda d: d(st.lists(st.text(), min_size=1) | st.text(min_size=1))),
    _set("receptors", lambda d: {"er": d(st.text().filter(lambda s: s not in RECEPTOR))}),
    _set("receptors", lambda d: {d(st.sampled_from(["ER", "Er", "her2", "x"])): "positive"}),
    _set("progression", lambda d: d(st.text().filter(lambda s: s not in PROGRESSION))),
    _set("id", lambda d: d(st.text().filter(lambda s: not s or not set(s) <= ID_CHARS))),
    _set("title", lambda d: d(wrong_types | st.text(printable, min_size=MAX_PHRASE_CHARS + 1))),
    _set("notes", lambda d: d(st.lists(st.text(), min_size=1))),
    _set("title", lambda d: d(st.text(printable, max_size=5)) + d(controls)),
    _set("findings", lambda d: [d(unknown_word)]),
    _set("absent", lambda d: [d(spelled(d(st.sampled_from(FINDING_IDS)))), d(unknown_word)]),
    _set("history", lambda d: [d(unknown_word)]),
    _set("findings", lambda d: ["x" * d(st.integers(MAX_PHRASE_CHARS + 1, 9000))]),
    _set("findings", lambda d: ["jaundice"] * d(st.integers(MAX_LIST_ENTRIES + 1, 2000))),
    _set("tags", lambda d: [d(st.text(min_size=1).filter(lambda s: not TAG.fullmatch(s)))]),
    _set("expect", lambda d: {d(unknown_word): 1}),
    _set("symptoms", lambda d: ["jaundice"]),
    _both,
    _lab_twice,
    _lab(lambda d, lab: f"{d(st.decimals(min_value=0, max_value=100, places=1))} furlongs"),
    _lab(lambda d, lab: d(st.sampled_from(["high", "", "normal", "twelve mg/dL", "NaN mg/dL"]))),
    _lab(lambda d, lab: f"{d(st.decimals(min_value=0, max_value=100, places=2))}"),
    _lab(lambda d, lab: f"-{d(st.decimals(min_value='0.01', max_value=100, places=2))} U/L"),
    _lab(_absurd),
    _lab(lambda d, lab: d(st.booleans())),
    _lab(lambda d, lab: "1" * d(st.integers(MAX_PHRASE_CHARS + 1, 5000)) + " mg/dL"),
]
TAG = re.compile(r"[a-z0-9][a-z0-9_-]*")
ID_CHARS = set(string.ascii_letters + string.digits + "-_")


# -- raw files: anything a file can hold --------------------------------------------------

TAGS = [
    "!!python/object/apply:os.system ['echo hi']",
    "!!python/name:os.system",
    "!!python/object:builtins.dict {}",
    "!!binary aGVsbG8=",
    "!!binary /w==",
    "!!set {a, b}",
    "!!timestamp 2026-13-45",
    "!!float nan",
    "!!int 0x" + "f" * 200,
    "!!omap [a: 1]",
    "!custom x",
    "!!str 1",
    "!!null",
]


@st.composite
def yaml_bombs(draw: st.DrawFn) -> str:
    width = draw(st.integers(2, 12))
    levels = draw(st.integers(2, 14))
    merge = draw(st.booleans())
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        if merge:
            lines[0] = "a0: &a0 {k: v}"
            refs = ", ".join([f"*a{i - 1}"] * width)
            lines.append(f"a{i}: &a{i} {{<<: [{refs}], k{i}: v}}")
        else:
            lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + f"\nid: t\nfindings: *a{levels - 1}\n"


@st.composite
def deep_nesting(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 3000))
    style = draw(st.sampled_from(["flow", "map", "block"]))
    if style == "flow":
        inner = "[" * depth + "]" * depth
    elif style == "map":
        inner = "{a: " * depth + "1" + "}" * depth
    else:
        depth = min(depth, 200)
        inner = "\n" + "".join(" " * i + "- \n" for i in range(1, depth + 1))
    return f"id: t\nnotes: {inner}\n"


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.sampled_from([*sorted(FIELDS), "x", "er", "calcium"]), children)
    ),
    max_leaves=30,
)


@st.composite
def case_texts(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file name and its bytes, from every family of broken (and some valid) files."""
    family = draw(st.integers(0, 9))
    suffix = draw(st.sampled_from([".yaml", ".yml", ".json"]))
    if family == 0:
        return suffix, draw(st.binary(max_size=400))
    if family == 1:  # text that is almost a case
        data = draw(valid_cases() | broken_cases())
        text = json.dumps(data) if suffix == ".json" else yaml.safe_dump(data, allow_unicode=True)
        raw = text.encode()
        cut = draw(st.integers(0, len(raw)))
        return suffix, draw(st.sampled_from([raw, raw[:cut], raw[:cut] + b"\xff" + raw[cut:]]))
    if family == 2:
        return ".yaml", draw(yaml_bombs()).encode()
    if family == 3:
        return ".yaml", draw(deep_nesting()).encode()
    if family == 4:
        tag = draw(st.sampled_from(TAGS))
        key = draw(st.sampled_from(["id", "title", "findings", "labs", "notes", "x"]))
        return ".yaml", f"id: t\n{key}: {tag}\n".encode()
    if family == 5:  # a file over the size limit: refused before it is read
        size = draw(st.integers(MAX_FILE_BYTES + 1, MAX_FILE_BYTES * 40))
        return suffix, b"id: t\nnotes: " + b"x" * size
    if family == 6:
        data = draw(yaml_values)
        text = json.dumps(data) if suffix == ".json" else yaml.safe_dump(data, allow_unicode=True)
        return suffix, text.encode()
    if family == 7:  # numbers of every size, in YAML and JSON
        digits = draw(st.integers(1, 6000))
        number = draw(st.sampled_from(["9" * digits, "-" + "1" * digits, "0." + "0" * digits]))
        if suffix == ".json":
            return suffix, f'{{"id": "t", "labs": {{"calcium": {number}}}}}'.encode()
        return suffix, f"id: t\nlabs: {{calcium: {number}}}\n".encode()
    if family == 8:  # JSON with escapes YAML would not let through
        char = draw(st.characters(categories=["Cc", "Cs", "Co", "Cn"]))
        return ".json", json.dumps({"id": "t", "findings": [f"bone{char}pain"]}).encode()
    text = draw(st.text(max_size=300))  # any text at all
    return suffix, text.encode("utf-8", "surrogatepass")


# -- command lines ------------------------------------------------------------------------

any_text = st.text(max_size=40) | st.text(st.characters(categories=["Cs", "Cc"]), max_size=3)


def mostly(good: st.SearchStrategy) -> st.SearchStrategy:
    """Usually a valid value, sometimes anything at all."""
    return st.one_of(good, good, good, any_text)


@st.composite
def assess_args(draw: st.DrawFn) -> list[str]:
    """A command line for `triage assess`: known words and anything a student may type."""
    args: list[str] = []
    word = mostly(st.sampled_from(FINDING_IDS).flatmap(spelled))
    args += draw(st.lists(word, max_size=5))
    for _ in range(draw(st.integers(0, 4))):
        option = draw(st.sampled_from(["--absent", "--lab", "--er", "--pr", "--history"]))
        if option == "--lab":
            lab = draw(st.sampled_from(sorted(LAB_NAMES)))
            value = draw(mostly(lab_value(lab)))
            args += [option, draw(st.sampled_from([f"{lab}={value}", f"{lab}={value}", value]))]
        elif option in ("--er", "--pr"):
            args += [option, draw(mostly(st.sampled_from(RECEPTOR)))]
        elif option == "--history":
            args += [option, draw(mostly(st.sampled_from(HISTORY)))]
        else:
            args += [option, draw(word)]
    if draw(st.booleans()):
        args += ["--progression", draw(mostly(st.sampled_from(PROGRESSION)))]
    if draw(st.booleans()):
        args += ["--id", draw(mostly(st.from_regex(r"[a-z]{1,10}", fullmatch=True)))]
    if draw(st.integers(0, 4)) == 0:  # ask why (not) a site, test or treatment
        known = [c.id for c in [*KB.catalogue.sites, *KB.catalogue.tests, *KB.catalogue.treatments]]
        args += ["--why-not", draw(mostly(st.sampled_from(known)))]
    return [*args, "--format", draw(st.sampled_from(FORMATS))]


FORMATS = ["json", "text", "markdown", "mermaid", "dot"]


# -- the checks ---------------------------------------------------------------------------


def _note(text: str) -> None:
    """Count an outcome in hypothesis's statistics (when inside a hypothesis test)."""
    with contextlib.suppress(Exception):  # from the atheris fuzzer: no statistics to keep
        event(text)


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(main, args)


def no_traceback(result: Result) -> None:
    """The command ended by its own choice: no exception escaped, no traceback printed."""
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), repr(exc)
    assert "Traceback" not in result.output


def is_usage_error(result: Result) -> bool:
    """A command line click cannot parse: one `error:` line naming the command (or, for an
    option missing its value, the option)."""
    lines = result.stderr.strip().splitlines()
    usage = ("error: triage", "error: option '")
    return result.exit_code == 2 and len(lines) == 1 and lines[0].startswith(usage)


def check_bad_input(result: Result, where: str | None = None) -> str:
    """Exit 2 with exactly one `error:` line (naming the file, if given) and nothing else."""
    no_traceback(result)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    if where:
        assert lines[0].startswith(f"error: {where}: "), lines[0]
    assert result.stdout == ""
    return lines[0]


def _trace_is_a_proof(facts: set[str], trace: list[dict]) -> bool:
    known = set(facts)
    for step in trace:
        if not set(step["because"]) <= known or not (step.get("quote") or step.get("reference")):
            return False
        known.add(step["concludes"])
    return bool(trace)


def check_report(report: dict[str, Any]) -> None:
    """Every conclusion's trace is a proof from the report's facts; the ids are the contract's."""
    facts = set(report["facts"])
    concluded = [*report["sites"], *report["tests"], *report["treatments"]]
    graded = [report[key] for key in ("urgency", "extent", "prognosis")]
    for item in concluded + graded:
        assert _trace_is_a_proof(facts, item["trace"]), item
    certainties = [site["certainty"] for site in report["sites"]]
    assert all(0 < c <= 1 for c in certainties) and certainties == sorted(certainties)[::-1]
    assert [t["id"] for t in report["treatments"]] == [t.id for t in KB.catalogue.treatments]


def same_but_for_the_order_written(one: str, other: str) -> bool:
    """Two reports of one case written in two orders: the same but for `understood`, which
    lists what was read in the order it was written."""
    first, second = json.loads(one), json.loads(other)
    read_first, read_second = first.pop("understood", []), second.pop("understood", [])
    key = json.dumps
    return first == second and sorted(map(key, read_first)) == sorted(map(key, read_second))


def check_valid_case(case: dict[str, Any], seed: int) -> str:
    """A valid case gives a report whose traces are proofs, the same bytes whatever the order
    of its lists, and a text report; the report's JSON is returned."""
    report = EVALUATOR.evaluate(parse_case(case))
    text = report.to_json()
    check_report(json.loads(text))
    again = EVALUATOR.evaluate(parse_case(shuffled(case, seed)))
    assert same_but_for_the_order_written(again.to_json(), text)
    unread = {"understood": None}  # listed in the order written; the rest does not depend on it
    assert render_text(report.model_copy(update=unread), KB) == render_text(
        again.model_copy(update=unread), KB
    )
    return text


def check_case_as_validated(data: dict[str, Any]) -> None:
    """parse_case gives the case that checking its text and validating it give (the same
    fields, values, types and order; the same keys given), or the same error."""
    from triage.case import _validated_case

    def outcome(parse: Any) -> Any:
        try:
            return parse(data)
        except TriageError as exc:
            return str(exc)

    got, expected = outcome(parse_case), outcome(_validated_case)
    assert got == expected, data
    if isinstance(got, Case):
        assert list(got.__dict__) == list(expected.__dict__), data
        types = [type(value) for value in got.__dict__.values()]
        assert types == [type(value) for value in expected.__dict__.values()], data
        assert got.model_fields_set == expected.model_fields_set, data
        assert got.model_dump_json() == expected.model_dump_json(), data


def check_broken_case(case: dict[str, Any]) -> None:
    try:
        EVALUATOR.evaluate(parse_case(case))
    except TriageError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 600, str(exc)
    else:
        raise AssertionError(f"accepted a broken case: {case!r}")


def write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def check_file(path: Path) -> Result:
    """Any file: a report (exit 0) or one `error:` line naming it (exit 2)."""
    result = invoke(["run", str(path), "--format", "json"])
    no_traceback(result)
    _note(f"run: exit {result.exit_code}")
    if result.exit_code == 0:
        check_report(json.loads(result.stdout))
        assert result.stderr == ""
    else:
        check_bad_input(result, str(path))
    return result


def check_command_line(args: list[str]) -> None:
    """Any command line: a report, one `error:` line, click's usage message (exit 2) or its
    help (exit 0, when a word is -h or --help)."""
    result = invoke(["assess", *args])
    no_traceback(result)
    _note(f"assess: exit {result.exit_code}" + (" usage" if is_usage_error(result) else ""))
    assert result.exit_code in (0, 2), (result.exit_code, result.output)
    if result.exit_code == 0 and result.stdout.startswith("Usage:"):
        assert "-h" in args or "--help" in args  # help asked for, in among the words
    elif result.exit_code == 0:
        output_format = args[args.index("--format") + 1] if "--format" in args else "text"
        if output_format == "json" and "--why-not" not in args:
            check_report(json.loads(result.stdout))
        assert result.stdout.strip()
    elif not is_usage_error(result):
        check_bad_input(result)


def check_lookup(command: list[str], word: str) -> None:
    """`triage vocab WORD` and `triage rules show ID` with anything typed: an answer or one
    `error:` line, exit 0 or 2."""
    result = invoke([*command, word])
    no_traceback(result)
    assert result.exit_code in (0, 2), (result.exit_code, result.output)
    if result.exit_code == 2 and not is_usage_error(result):
        check_bad_input(result)


# -- the edges: batch cohorts, hostile text in every output, file names, a damaged cache -----

# Text a teacher should not type but a file can carry: line breaks, terminal sequences (refused
# in a case, but not in a file name), markup of every output kind, Unicode line separators.
HOSTILE = [
    "\rPASS  spoof",
    "x\n## heading\n| a | b |\n<script>alert(1)</script>",
    "![i](https://evil.example/p.png) [l](javascript:alert(1)) https://evil.example",
    "www.evil.example mail@evil.example <https://evil.example> &lt;b&gt; &#60;",
    "[bold]markup[/bold] \\[x] `code` **strong** _em_ ~~del~~ $x$",
    'quote " and \\N backslash #quot; #9829; -->|edge|',
    "line\u2028separator\u2029paragraph",
    "\u202eevil\u202c \ufeff \ufffe",
]
# What a case accepts in its text: anything but control characters (tab and newlines aside)
# and lone surrogates.
case_text = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n\r"), max_size=80
)
hostile_text = st.one_of(case_text, st.sampled_from(HOSTILE))


@st.composite
def hostile_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A valid case whose title and notes hold hostile text."""
    case = draw(valid_cases())
    case["title"] = draw(hostile_text)[:MAX_PHRASE_CHARS]
    if draw(st.booleans()):
        case["notes"] = draw(hostile_text)
    return case


def _json_values() -> st.SearchStrategy:
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
    return st.recursive(
        scalars, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=10
    )


def json_objects() -> st.SearchStrategy:
    """Any JSON object, its keys mostly a case's own."""
    keys = st.sampled_from(list(Case.model_fields)) | st.text(max_size=5)
    return st.dictionaries(keys, _json_values(), max_size=6)


@st.composite
def cohort_bytes(draw: st.DrawFn) -> bytes:
    """A JSON Lines cohort as bytes: valid cases, hostile ones, any JSON, lone surrogates,
    lines of any bytes, a line over the size limit, a BOM, CRLF line ends, blank lines."""
    from triage.batch import MAX_LINE_BYTES

    def valid() -> bytes:
        return json.dumps(draw(valid_cases()), ensure_ascii=draw(st.booleans())).encode()

    def hostile() -> bytes:
        return json.dumps(draw(hostile_cases()), ensure_ascii=draw(st.booleans())).encode()

    def any_json() -> bytes:
        return json.dumps(draw(_json_values())).encode()  # ensure_ascii: surrogates as \ud800

    def surrogate() -> bytes:
        half = draw(st.sampled_from(["\\ud800", "\\udfff", "\\udce9", "\\ud83d"]))
        key = draw(st.sampled_from(["id", "title", "findings"]))
        value = f'["{half}"]' if key == "findings" else f'"{half}"'
        return f'{{"id": "s", "{key}": {value}}}'.encode()

    def any_bytes() -> bytes:
        return draw(st.binary(max_size=120))

    def huge() -> bytes:
        size = MAX_LINE_BYTES + draw(st.sampled_from([-1, 0, 1, 2, 3, 1000]))
        return b'{"id": "h", "notes": "' + b"x" * max(0, size - 23) + b'"}'

    kinds = [valid, valid, hostile, any_json, surrogate, any_bytes, huge]
    lines = [draw(st.sampled_from(kinds))() for _ in range(draw(st.integers(1, 8)))]
    lines += [b""] * draw(st.integers(0, 1))
    end = draw(st.sampled_from([b"\n", b"\r\n"]))
    data = end.join(draw(st.permutations(lines))) + draw(st.sampled_from([b"", end]))
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + data


def cases_in_cohort(data: bytes) -> list[int]:
    """The line numbers of the cases in a cohort, by the contract: lines split at "\\n"; a BOM
    at the start and blank lines are not cases; a line over the limit is one (an error)."""
    from triage.batch import BOM, MAX_LINE_BYTES

    data = data.removeprefix(BOM)
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [
        number
        for number, line in enumerate(lines, start=1)
        if len(line.removesuffix(b"\r")) > MAX_LINE_BYTES or line.strip()
    ]


def shown_safely(line: str) -> bool:
    """Nothing in the line can act on a terminal or break it: no control character, line
    separator, bidirectional override or lone surrogate."""
    from triage.escape import visible

    return visible(line) == line


def check_json_lines(data: bytes) -> list[dict[str, Any]]:
    """Output in JSON Lines: UTF-8, one JSON value per "\\n", no U+2028/2029 or NEL raw (a
    reader splitting on Unicode line breaks gets the same lines)."""
    text = data.decode("utf-8")
    assert not set(text) & {"\u2028", "\u2029", "\x85"}, text
    lines = text.splitlines()
    assert text == "".join(line + "\n" for line in lines)
    return [json.loads(line) for line in lines]


def check_cohort(data: bytes) -> None:
    """Every case in gets exactly one line out, in order; never an internal error."""
    result = CliRunner().invoke(main, ["batch", "-", "--workers", "1"], input=data)
    no_traceback(result)
    expected = cases_in_cohort(data)
    if not expected:
        check_bad_input(result)
        return
    assert result.exit_code in (0, 2), result.output
    out = check_json_lines(result.stdout_bytes)
    assert len(out) == len(expected), (expected, out)
    for number, line in zip(expected, out, strict=True):
        if "error" in line:
            assert line["line"] == number
            event(f"cohort error: {line['error'][:30]}")
        else:
            check_report(line)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == sum("error" in line for line in out)
    assert all(shown_safely(line) for line in errors), errors


def check_markdown_from(case: dict[str, Any], handout: str, plain: str) -> None:
    """The handout of a case with hostile text has the same structure as without it: no
    heading, row, HTML, link or image from the case's text."""
    from markdown_it import MarkdownIt

    def structure(text: str) -> tuple[list[str], int, int]:
        tokens = []
        for token in MarkdownIt("gfm-like").parse(text):
            tokens += [token, *(token.children or [])]
        kinds = [t.type for t in tokens]
        added = sum(k in ("html_block", "html_inline", "link_open", "image") for k in kinds)
        return [t.tag for t in tokens if t.type == "heading_open"], kinds.count("tr_open"), added

    assert structure(handout) == structure(plain), case.get("title")


def check_hostile_case(case: dict[str, Any]) -> None:
    """Every output format of a case with hostile text parses as its format."""
    report = EVALUATOR.evaluate(parse_case(case))
    plain = EVALUATOR.evaluate(parse_case({k: v for k, v in case.items() if k != "title"}))
    from triage.batch import Item, evaluate_shard
    from triage.graph import to_dot, to_mermaid
    from triage.handout import render_markdown

    check_markdown_from(case, render_markdown(report, KB), render_markdown(plain, KB))
    (answer,) = evaluate_shard([Item(where="-:line 1", text=json.dumps(case), line=1)])
    (line,) = check_json_lines(answer.line + b"\n")
    assert line["title"] == case["title"]
    for graph in (to_dot(report), to_mermaid(report)):
        assert all(shown_safely(row) for row in graph.splitlines()), graph


def check_file_names(names: list[bytes], folder: Path) -> None:
    """Case files with names of any bytes: replay's JUnit parses, every line of batch and of
    replay's JSON is valid, and nothing printed holds a control character."""
    from xml.etree import ElementTree as ET

    for number, name in enumerate(names):
        case = {"id": f"c{number}", "findings": ["jaundice"], "expect": {"sites": ["liver"]}}
        if number % 2:
            case["findings"] = ["jaundise"]  # a bad case, so that its name is in an error
        with open(os.path.join(os.fsencode(folder), name), "wb") as stream:
            stream.write(json.dumps(case).encode())
    junit = folder.parent / "junit.xml"
    replay = CliRunner().invoke(main, ["replay", str(folder), "--junit", str(junit)])
    no_traceback(replay)
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == str(len(names))
    as_json = CliRunner().invoke(main, ["replay", str(folder), "--format", "json"])
    assert len(check_json_lines(as_json.stdout_bytes)) == len(names)
    batch = CliRunner().invoke(main, ["batch", str(folder), "--workers", "1"])
    no_traceback(batch)
    assert len(check_json_lines(batch.stdout_bytes)) == len(names)
    for result in (replay, as_json, batch):
        for line in (result.stdout + result.stderr).splitlines():
            assert shown_safely(line), line


file_names = st.lists(
    st.binary(min_size=1, max_size=30)
    .map(lambda raw: raw.replace(b"/", b"_").replace(b"\0", b"_").lstrip(b"."))
    .filter(lambda raw: raw not in (b"", b".", b".."))
    .map(lambda raw: raw + b".json"),
    min_size=1,
    max_size=4,
    unique_by=lambda raw: raw.lower(),
)


@st.composite
def damaged_caches(draw: st.DrawFn) -> tuple[str, Any]:
    """A way to damage a cache file: cut it, flip a byte, append, replace it with bytes."""
    how = draw(st.sampled_from(["cut", "flip", "append", "replace"]))
    if how == "replace":
        return how, draw(st.binary(max_size=200))
    if how == "append":
        return how, draw(st.binary(min_size=1, max_size=20))
    return how, draw(st.floats(0, 1, exclude_max=True))


def damage(data: bytes, how: str, value: Any) -> bytes:
    if how == "replace":
        return value
    if how == "append":
        return data + value
    place = int(value * len(data))
    if how == "cut":
        return data[:place]
    return data[:place] + bytes([data[place] ^ 0x01]) + data[place + 1 :]


_GOOD_CACHE: dict[str, bytes] = {}


def check_damaged_cache(how: str, value: Any) -> None:
    """Whatever is wrong with the cache file, the knowledge base is the one rules/ gives, and
    the cache is good again afterwards."""
    import tempfile

    from triage.knowledge import _cache_file, _load_cached, _read_cache, default_rules_dir

    rules = default_rules_dir().resolve()
    saved = os.environ.get("TRIAGE_CACHE_DIR")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["TRIAGE_CACHE_DIR"] = folder
        try:
            path = _cache_file(rules)
            if "good" not in _GOOD_CACHE:
                assert _load_cached.__wrapped__(rules) == KB
                _GOOD_CACHE["good"] = path.read_bytes()
            path.write_bytes(damage(_GOOD_CACHE["good"], how, value))
            assert _load_cached.__wrapped__(rules) == KB
            assert _read_cache(path) == KB
        finally:
            if saved is None:
                os.environ.pop("TRIAGE_CACHE_DIR", None)
            else:
                os.environ["TRIAGE_CACHE_DIR"] = saved
