"""A case: the contract's case file as a model, and its normalised input facts."""

from __future__ import annotations

import re
import typing
import unicodedata
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from triage.core.facts import RECEPTORS
from triage.documents import read_document
from triage.errors import TriageError
from triage.expect import Expectation
from triage.knowledge import KnowledgeBase, Lab
from triage.limits import MAX_LABS, MAX_LIST_ENTRIES, MAX_PHRASE_CHARS, MAX_TEXT_CHARS
from triage.models import unvalidated
from triage.reading import NOT_COUNTED, AmbiguousText, Reading
from triage.report import Understood
from triage.vocabulary import Lexicon, unknown

Receptor = Literal["positive", "negative", "unknown"]
Progression = Literal["rapid", "slow", "unknown"]
CASE_ID = r"^[A-Za-z0-9_-]+$"
TAG = r"^[a-z0-9][a-z0-9_-]*$"
PATTERN_MEANING = {
    CASE_ID: "must use only letters, digits, '-' and '_'",
    TAG: "must use only lowercase letters, digits, '-' and '_'",
}


Phrase = Annotated[str, Field(max_length=MAX_PHRASE_CHARS)]
Words = Annotated[list[Phrase], Field(max_length=MAX_LIST_ENTRIES)]


class Receptors(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    er: Receptor = "unknown"
    pr: Receptor = "unknown"


def _new_list() -> list[Any]:
    """A list field's default, made new for each case (not a deep copy of a shared one). A
    function of ours, not `list`: pydantic reads a default factory's signature, and a builtin's
    is parsed from its text by the tokenize module, ~2 ms of every start."""
    return []


def _new_dict() -> dict[str, Any]:
    """The labs' default, made new for each case (see `_new_list`)."""
    return {}


class Case(BaseModel):
    """One case file, as the contract defines it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=CASE_ID, max_length=MAX_PHRASE_CHARS)]
    title: Phrase | None = None
    notes: Annotated[str, Field(max_length=MAX_TEXT_CHARS)] | None = None
    tags: Annotated[  # e.g. bone, hypercalcemia, intro
        list[Annotated[str, Field(pattern=TAG, max_length=MAX_PHRASE_CHARS)]],
        Field(max_length=MAX_LIST_ENTRIES),
    ] = Field(default_factory=_new_list)
    findings: Words = Field(default_factory=_new_list)
    absent: Words = Field(default_factory=_new_list)
    labs: Annotated[dict[Phrase, str | float | int], Field(max_length=MAX_LABS)] = Field(
        default_factory=_new_dict
    )
    receptors: Receptors = Field(default_factory=Receptors)
    history: Words = Field(default_factory=_new_list)
    progression: Progression = "unknown"
    # Free text as a student writes it: every finding it mentions is read, a denied one as
    # absent; each reading is listed in the report's `understood`.
    narrative: Annotated[str, Field(max_length=MAX_TEXT_CHARS)] | None = None
    confirmed_sites: Words = Field(default_factory=_new_list)  # confirmed by imaging or biopsy
    expect: Expectation | None = None

    @field_validator("findings", "absent", "history", "tags", "confirmed_sites", mode="before")
    @classmethod
    def _list_of_words(cls, value: Any) -> Any:
        if value is None:
            return []
        if not isinstance(value, list | str):  # e.g. a YAML !!set, whose order is not kept
            raise ValueError("must be a list of words or phrases")
        if isinstance(value, list) and any(not isinstance(item, str) for item in value):
            raise ValueError("each entry must be a word or phrase, as text")
        return value


@dataclass(frozen=True)
class CaseFacts:
    """A case's input facts, normalised: the report's `facts` and what the engine is told,
    and what each piece of typed text was read as."""

    case: Case
    engine_facts: tuple[dict[str, Any], ...]
    understood: tuple[Understood, ...] = ()

    @property
    def labels(self) -> list[str]:
        return [fact["label"] for fact in self.engine_facts]


def shown(value: Any, limit: int = 60) -> str:
    """A value as an error message shows it: quoted, escaped, cut short if long."""
    if not isinstance(value, str | int | float | bool):
        return type(value).__name__
    text = repr(value)
    if len(text) <= limit:
        return text
    size = f"{len(value)} characters" if isinstance(value, str) else "a long number"
    return f"{text[:limit]}... ({size})"


class CaseKeyError(TriageError):
    """A case file's key at fault: `read_case` adds the line it is on."""

    def __init__(self, message: str, key: tuple[str, ...] = (), **where: str | None) -> None:
        super().__init__(message, **where)
        self.key = key


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where an unknown key stands: the case's, or a nested block's."""
    model: Any = Case
    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        inner = [
            kind
            for kind in (typing.get_args(field.annotation) or (field.annotation,) if field else ())
            if isinstance(kind, type) and issubclass(kind, BaseModel)
        ]
        if not inner:
            return []
        model = inner[0]
    return list(model.model_fields)


def describe_validation_error(exc: ValidationError) -> str:
    """One line naming the key, the value and what is wrong with it; for an unknown key, the
    closest known ones."""
    first = exc.errors(include_url=False)[0]
    key = ".".join(str(part) for part in first["loc"]) or "(top level)"
    if first["type"] == "extra_forbidden":
        from triage.vocabulary import closest

        typed = str(first["loc"][-1])
        close = closest(typed.rstrip(":").strip(), _known_keys(first["loc"]))
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        return f"unknown key {shown(key)}{hint}"
    if first["type"] == "missing":
        return f"missing required key {key!r}"
    value = first.get("input")
    ctx = first.get("ctx", {})
    if first["type"] == "too_long":
        count = ctx.get("actual_length") or (len(value) if isinstance(value, list | dict) else "?")
        return f"key {key!r}: {count} entries; the limit is {ctx['max_length']}"
    if first["type"] == "string_too_long":
        size = len(value) if isinstance(value, str) else "?"
        limit = ctx["max_length"]
        return f"key {key!r}: {shown(value)} is {size} characters; the limit is {limit}"
    message = first["msg"].replace("String should match pattern", "must match")
    message = message.removeprefix("Value error, ")
    if first["type"] == "string_pattern_mismatch":
        pattern = first.get("ctx", {}).get("pattern")
        message = PATTERN_MEANING.get(pattern, message)
    return f"key {key!r}: {shown(value)}: {message}"


# Unicode's control (Cc) and surrogate (Cs) characters, tab and newlines aside: a quick test
# before the character-by-character description below.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _unprintable(text: str) -> str | None:
    """The first character of the text that cannot be shown, described: a control character
    (other than tab and newline), half of a surrogate pair, or a byte that was not UTF-8 (a
    command line in another encoding)."""
    if _UNPRINTABLE.search(text) is None:
        return None
    for char in text:
        if char in "\t\n\r":
            continue
        if 0xDC80 <= ord(char) <= 0xDCFF:
            return f"the byte 0x{ord(char) - 0xDC00:02X}, which is not UTF-8 text"
        if unicodedata.category(char) in ("Cc", "Cs"):
            return f"the character U+{ord(char):04X}"
    return None


def _plainly_printable(data: Any) -> bool:
    """Every key and text is printable and nothing is bytes: the usual case, checked without
    working out where each value is (only a problem needs its place). A text that Python finds
    printable holds no control character nor surrogate: only the others are searched."""
    search = _UNPRINTABLE.search
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if not value.isprintable() and search(value) is not None:
                return False
        elif isinstance(value, dict):
            for name in value:
                if isinstance(name, str) and not name.isprintable() and search(name) is not None:
                    return False
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, bytes):
            return False
    return True


def _check_text(data: Any) -> None:
    """Every key and text in the case can be printed: no terminal escape sequence, no NUL, no
    lone surrogate (which a JSON escape or a command line in the wrong encoding can carry)."""
    if _plainly_printable(data):
        return
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for name, item in value.items():
                where = f"{path}.{name}" if path else str(name)
                if isinstance(name, str) and (bad := _unprintable(name)):
                    raise TriageError(f"key {shown(where)} contains {bad}")
                stack.append((where, item))
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}", item) for i, item in enumerate(value))
        elif isinstance(value, bytes):  # a YAML !!binary: bytes are not words
            raise TriageError(f"key {path!r}: binary data (!!binary) where text is expected")
        elif isinstance(value, str) and (bad := _unprintable(value)):
            raise TriageError(f"key {path!r}: {shown(value)} contains {bad}")


def parse_case(data: Any) -> Case:
    """The case in a parsed document; errors name the key and value at fault."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise TriageError(f"a case file must be a mapping of keys (this one is {kind})")
    plain = _plain_case(data)
    return plain if plain is not None else _validated_case(data)


def _validated_case(data: dict[str, Any]) -> Case:
    """The case as `Case` validates it, once its text is checked; errors name the key."""
    _check_text(data)
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        loc = tuple(str(part) for part in exc.errors(include_url=False)[0]["loc"])
        raise CaseKeyError(describe_validation_error(exc), loc) from None


_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]+")  # CASE_ID, matched whole
# The receptors a case can give, each combination made once (frozen: shared by the cases).
_RECEPTORS = {
    (er, pr): Receptors(er=er, pr=pr)
    for er in typing.get_args(Receptor)
    for pr in typing.get_args(Receptor)
}
_PROGRESSIONS = frozenset(typing.get_args(Progression))


def _phrases(value: Any) -> bool:
    """A list of printable phrases within the limits, as `Words` takes them unchanged."""
    if type(value) is not list or len(value) > MAX_LIST_ENTRIES:
        return False
    for item in value:
        if type(item) is not str or len(item) > MAX_PHRASE_CHARS or not item.isprintable():
            return False
    return True


def _plain_case(data: dict[str, Any]) -> Case | None:
    """The case, when each of its keys has the shape most cases give it (findings, absent and
    history as lists of phrases, receptors, progression, labs with plain values, a title or a
    narrative; printable text within the limits): built as `Case` would validate it, without
    running its validator. None for any other case, which is validated with its errors."""
    if "id" not in data:
        return None
    fields: dict[str, Any] = {  # each field in order, with its default
        "id": None,
        "title": None,
        "notes": None,
        "tags": [],
        "findings": [],
        "absent": [],
        "labs": {},
        "receptors": _RECEPTORS["unknown", "unknown"],
        "history": [],
        "progression": "unknown",
        "narrative": None,
        "confirmed_sites": [],
        "expect": None,
    }
    for key, value in data.items():
        if key in ("findings", "absent", "history"):
            if not _phrases(value):
                return None
            fields[key] = list(value)
        elif key == "id" or key == "title":
            if type(value) is not str or len(value) > MAX_PHRASE_CHARS or not value.isprintable():
                return None
            if key == "id" and _PLAIN_ID.fullmatch(value) is None:
                return None
            fields[key] = value
        elif key == "receptors":
            if type(value) is not dict or not value.keys() <= {"er", "pr"}:
                return None
            er, pr = value.get("er", "unknown"), value.get("pr", "unknown")
            if type(er) is not str or type(pr) is not str or (er, pr) not in _RECEPTORS:
                return None
            fields[key] = _RECEPTORS[er, pr]
        elif key == "progression":
            if type(value) is not str or value not in _PROGRESSIONS:
                return None
            fields[key] = value
        elif key == "labs":
            if type(value) is not dict or len(value) > MAX_LABS:
                return None
            for name, raw in value.items():
                if type(name) is not str or len(name) > MAX_PHRASE_CHARS or not name.isprintable():
                    return None
                if type(raw) is str:
                    if not raw.isprintable():
                        return None
                elif type(raw) is not float and type(raw) is not int:
                    return None
            fields[key] = dict(value)
        elif key == "narrative":
            if type(value) is not str or len(value) > MAX_TEXT_CHARS or not value.isprintable():
                return None
            fields[key] = value
        else:
            return None  # notes, tags, confirmed sites, an expectation, an unknown key
    return unvalidated(Case, fields, set(data))


def _line_of(path: Path, key: tuple[str, ...]) -> int | None:
    """The line of a file where a (nested) key is written, found by its name."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    start = 0
    for part in (p for p in key if not p.isdigit()):
        pattern = re.compile(rf"""^\s*(?:-\s*)?["']?{re.escape(part)}["']?\s*:""")
        found = next((i for i in range(start, len(lines)) if pattern.match(lines[i])), None)
        if found is None:
            return None
        start = found
    return start + 1


def read_case(path: Path) -> Case:
    """The case in a file; errors name the file and, for a key at fault, its line."""
    try:
        return parse_case(read_document(path))
    except CaseKeyError as exc:
        line = _line_of(path, exc.key)
        raise (exc.located(f"line {line}") if line else exc).located(str(path)) from None
    except TriageError as exc:
        raise exc.located(str(path)) from None


_DECIMAL_COMMA = re.compile(r"^\s*(\d+),(\d+)(\s*\D.*)?$")
_NUMBER = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*(.*?)\s*$")


def _unit_spellings(unit: str) -> set[str]:
    simple = unit.lower().replace("µ", "u").replace("μ", "u").replace(" ", "")
    found = {simple, simple.replace("iu/", "u/"), simple.replace("u/", "iu/")}
    if simple.startswith("u") and not simple.startswith("u/"):
        # the SI prefix written as its name: "Micro is the SI unit prefix denoting 10^-6"
        # (Wolfram Units Package), its symbol µ, typed u ("micromole ... umol", the R package
        # lolcat's unit conversions): "micromol/L"
        found.add("micro" + simple[1:])
    return found


_LAB_UNIT_SPELLINGS: dict[str, set[str]] = {}  # a unit of rules/labs.yaml -> its spellings


def _lab_unit_spellings(unit: str) -> set[str]:
    """The spellings of a lab's unit, worked out once per unit."""
    found = _LAB_UNIT_SPELLINGS.get(unit)
    if found is None:
        found = _LAB_UNIT_SPELLINGS[unit] = _unit_spellings(unit)
    return found


def _parse_lab(lab: Lab, raw: str | float | int, key: str) -> tuple[Decimal, str]:
    """The value and the lab's own spelling of its unit, from text like '12.1 mg/dL'."""
    if isinstance(raw, bool):
        raise TriageError(f"labs.{key}: {raw!r} is not a value with a unit, e.g. '12.1 mg/dL'")
    if isinstance(raw, str) and len(raw) > MAX_PHRASE_CHARS:
        raise TriageError(
            f"labs.{key}: {shown(raw)} is {len(raw)} characters; the limit is {MAX_PHRASE_CHARS}"
        )
    comma = _DECIMAL_COMMA.match(str(raw))
    if comma:
        unit = comma[3] or ""
        if len(comma[2]) == 3:  # 1,000: a thousands separator or a decimal comma
            raise TriageError(
                f"labs.{key}: {shown(raw)} has a comma in its number; write "
                f"{comma[1]}{comma[2]}{unit!s} or {comma[1]}.{comma[2]}{unit!s}, as you mean"
            )
        pointed = f"{comma[1]}.{comma[2]}{unit}"
        raise TriageError(
            f"labs.{key}: {shown(raw)} has a decimal comma; write a decimal point: {pointed!r}"
        )
    match = _NUMBER.match(str(raw))
    if not match:
        raise TriageError(f"labs.{key}: {shown(raw)} is not a value with a unit, e.g. '12.1 mg/dL'")
    try:
        value = Decimal(match[1])
    except InvalidOperation:
        raise TriageError(f"labs.{key}: {shown(match[1])} is not a number") from None
    if value < 0:
        raise TriageError(f"labs.{key}: {shown(raw)}: a measured value cannot be negative")
    typed = match[2]
    units = ", ".join(lab.units)
    if not typed:
        raise TriageError(f"labs.{key}: {shown(raw)} has no unit; give one of {units}")
    spellings = _unit_spellings(typed)
    for unit in lab.units:
        if not spellings.isdisjoint(_lab_unit_spellings(unit)):
            return value, unit
    raise TriageError(f"labs.{key}: unknown unit {shown(typed)} for {lab.id}; use one of {units}")


def converted_value(lab: Lab, value: Decimal, unit: str) -> Decimal:
    """The value in the unit the rules compare in, exactly, rounded half up to the lab's
    documented precision: what every comparison with a limit sees."""
    exact = value * lab.factor(unit)
    return exact.quantize(Decimal(1).scaleb(-lab.decimals), rounding=ROUND_HALF_UP)


def _check_possible(lab: Lab, value: Decimal, unit: str, raw: Any, key: str) -> None:
    """A value above the lab's plausible maximum is a typing mistake, not a measurement."""
    exact = value * lab.factor(unit)
    if exact <= Decimal(repr(lab.implausible_above)):
        return
    as_rules_see_it = "" if unit == lab.unit else f" ({exact:.{lab.decimals}f} {lab.unit})"
    raise TriageError(
        f"labs.{key}: {shown(raw)}{as_rules_see_it} is not a possible {lab.id} value: "
        f"the limit is {lab.implausible_above:g} {lab.unit} (rules/labs.yaml)"
    )


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


# Each reading as a report shows it, by the reading's identity, and whether its finding was
# reported absent: the reader remembers the readings of the phrases it has read, which a cohort
# repeats, and each is shown by the same Understood. The reading is kept with it, so that its
# identity is not another's. Bounded: emptied when full.
_SHOWN_READINGS: dict[tuple[int, bool], tuple[Reading, Understood]] = {}
SHOWN_READINGS_KEPT = 4096
_ID_READINGS: dict[str, tuple[Reading, ...]] = {}  # a finding's id as typed -> its reading


def _understood(reading: Reading, absent: bool) -> Understood:
    kept = _SHOWN_READINGS.get((id(reading), absent))
    if kept is not None:
        return kept[1]
    understood = Understood.of(
        text=reading.text,
        finding=reading.finding,
        present=reading.present and not absent if reading.finding else False,
        how=reading.how,
        not_said=list(reading.not_said) or None if reading.present and not absent else None,
        via=list(reading.via) or None,
        past_finding=reading.past_finding,
        choices=list(reading.choices) or None,
    )
    if len(_SHOWN_READINGS) >= SHOWN_READINGS_KEPT:
        _SHOWN_READINGS.clear()
    _SHOWN_READINGS[id(reading), absent] = (reading, understood)
    return understood


def _choices(lexicon: Lexicon, choices: tuple[str, ...]) -> str:
    names = [repr(lexicon.reader.name(c)) for c in choices]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" or {names[-1]}"


def _read(lexicon: Lexicon, text: str, key: str, one_phrase: bool) -> tuple[Reading, ...]:
    """The readings of one piece of text; ambiguity, or (for one phrase) nothing read, raises."""
    if "_" in text and text.strip() in lexicon.reader.lexicon.names:  # an id: the finding
        found = _ID_READINGS.get(text)  # one reading per text, as the reader keeps its own
        if found is None:
            if len(_ID_READINGS) >= SHOWN_READINGS_KEPT:
                _ID_READINGS.clear()
            found = _ID_READINGS[text] = (Reading(text, text.strip()),)
        return found  # the finding as the knowledge base defines it
    readings = lexicon.reader.read(text)
    where = f"{key}: " if key else ""
    for reading in readings:
        if reading.how == "asked":
            raise AmbiguousText(
                f"{where}{shown(reading.text)} could mean {_choices(lexicon, reading.choices)};"
                " write the one you mean",
                reading.choices,
            )
    if not one_phrase:
        return readings
    # A phrase must name a finding, had now or not (a plain loop: most phrases have one
    # reading, for which a generator costs more than the test).
    for reading in readings:
        if reading.finding or reading.past_finding:
            return readings
    bare = [r for r in readings if r.choices]
    if bare:
        raise AmbiguousText(
            f"{where}{shown(bare[0].text)} could be {_choices(lexicon, bare[0].choices)};"
            " say where",
            bare[0].choices,
        )
    lexicon.findings.resolve(text, key)  # raises, with close matches
    return readings


def _lab_holds(kb: KnowledgeBase, condition, value: float) -> bool:
    if condition.above_range:
        return value > kb.lab(condition.key.partition(":")[2]).upper_limit
    if condition.op == ">":
        return value > condition.number
    return value >= condition.number


_LAB_RULES: dict[str, list[tuple[str, list]]] = {}  # knowledge digest -> findings, lab rules


def _lab_rules(kb: KnowledgeBase) -> list[tuple[str, list]]:
    """Each finding a lab value decides, with the rules that conclude it from labs alone."""
    found = _LAB_RULES.get(kb.digest)
    if found is None:
        deciding: dict[str, list] = {}
        for rule in kb.rules:
            conditions = rule.conditions
            if (
                rule.then.startswith("finding:")
                and conditions
                and all(c.kind == "lab" for c in conditions)
            ):
                deciding.setdefault(rule.then.partition(":")[2], []).append(rule)
        found = _LAB_RULES[kb.digest] = sorted(deciding.items())
    return found


def _check_agreement(
    kb: KnowledgeBase, labs: dict[str, dict[str, Any]], present: dict, absent: set[str]
) -> None:
    """A lab value that decides a finding, and the same finding reported the other way, is a
    contradiction to name, never two opposite pieces of evidence combined."""
    if not labs or not (present or absent):
        return
    for finding, rules in _lab_rules(kb):
        if finding not in present and finding not in absent:
            continue  # nothing to contradict
        name = next(f.name for f in kb.findings if f.id == finding)
        needed = {c.key.partition(":")[2] for rule in rules for c in rule.conditions}
        given = {lab: labs[lab] for lab in sorted(needed) if lab in labs}
        holding = [
            rule
            for rule in rules
            if all(
                c.key.partition(":")[2] in given
                and _lab_holds(kb, c, given[c.key.partition(":")[2]]["value"])
                for c in rule.conditions
            )
        ]
        values = " and ".join(given[lab]["label"].partition(":")[2] for lab in given)
        if finding in absent and holding:
            raise TriageError(
                f"{name!r} is reported absent, but {values} is above the reference range;"
                " remove one of the two"
            )
        if finding in present and given and needed <= set(given) and not holding:
            raise TriageError(
                f"{name!r} is reported, but {values} {'is' if len(given) == 1 else 'are'}"
                " within the reference range; remove one of the two"
            )


@dataclass(frozen=True)
class _LabInText:
    """A lab value written in a sentence ("serum adjusted calcium >3.0 mmol/L")."""

    start: int
    end: int
    lab: Lab
    comparator: str  # "" for a measured value; ">", ">=", "<", "<=" for a bound; "-" a range
    value: Decimal
    unit: str  # the lab's own spelling
    relative: bool = False  # a multiple of the upper limit ("5x ULN"): a finding, no value


_LAB_PATTERNS: dict[str, re.Pattern[str]] = {}  # knowledge digest -> pattern
_DIGIT = re.compile(r"\d")  # as the pattern's number needs
# another measure of the same substance, with other limits: never read as the lab
_OTHER_MEASURES = {"ionised", "ionized", "ionic", "free", "urine", "urinary", "24-hour"}
_COMPARATORS = {  # as typed -> as compared; words too: "corrected calcium above 2.60 mmol/L"
    ">": ">",
    "≥": ">=",
    ">=": ">=",
    "<": "<",
    "≤": "<=",
    "<=": "<=",
    "above": ">",
    "over": ">",
    "greater than": ">",
    "more than": ">",
    "higher than": ">",
    "exceeding": ">",
    "below": "<",
    "under": "<",
    "less than": "<",
    "lower than": "<",
}


# ... or a range ("3.0 to 3.5 mmol/L"), its unit said once, after it
_RANGE = r"(?:\s*(?:to|-|\u2013)\s*(?P<high>\d+(?:\.\d+)?))?"
# ... or a multiple of the upper limit of normal, the lab's own ("ALT 5x ULN", "ALT that is 1.5
# times the upper limit of normal"): "ULN stands for Upper Limit of Normal ... if a lab's normal
# range for ALT is 0-40 U/L, then 1.5 times ULN would be 60 U/L" (Dr. Oracle, "What does Upper
# Limit of Normal (ULN) refer to"); "ALT >3-5 ULN", a moderate liver injury (Front Med
# 2020;7:347, Table 1) is a table's shorthand, not read
_ULN = r"(?:x|\u00d7|times)\s*(?:the\s+)?(?:uln|upper\s+limit\s+of\s+(?:the\s+)?normal)\b"


def _lab_pattern(kb: KnowledgeBase) -> re.Pattern[str]:
    """A lab's name (id or alias, with an optional serum/adjusted... before it), then an
    optional verb or sign, an optional comparator, a number and a unit."""
    found = _LAB_PATTERNS.get(kb.digest)
    if found is None:
        found = _LAB_PATTERNS[kb.digest] = re.compile(
            _lab_named(kb)
            + r"(?P<number>\d+(?:\.\d+)?)"
            + _RANGE
            + rf"\s*(?:(?P<unit>[a-zµμ]+/[a-z]+)(?![\w/])|(?P<uln>{_ULN}))",
            re.IGNORECASE,
        )
    return found


# ... or said past its upper limit with no value: "A corrected plasma calcium concentration
# above the upper limit of normal" (a clinical definition of hypercalcaemia)
_LIMIT = r"(?:the\s+)?(?:upper\s+limit(?:\s+of\s+(?:the\s+)?normal(?:\s+range)?)?|uln)\b"
_LIMIT_PATTERNS: dict[str, re.Pattern[str]] = {}  # knowledge digest -> pattern
_LIMIT_WORDS = re.compile(r"upper\s+limit|\buln\b", re.IGNORECASE)  # as the pattern needs


def _limit_pattern(kb: KnowledgeBase) -> re.Pattern[str]:
    """A lab's name, then a comparator and its upper limit of normal ("ALT above the ULN")."""
    found = _LIMIT_PATTERNS.get(kb.digest)
    if found is None:
        found = _LIMIT_PATTERNS[kb.digest] = re.compile(
            _lab_named(kb) + rf"(?P<limit>{_LIMIT})", re.IGNORECASE
        )
    return found


def _limits_in(kb: KnowledgeBase, text: str) -> list[re.Match[str]]:
    """The labs said past their upper limit, each looked for only in the few words before the
    limit's own words (a long text is not searched from every place)."""
    found: list[re.Match[str]] = []
    pattern = _limit_pattern(kb)
    for words in _LIMIT_WORDS.finditer(text):
        start = max(0, words.start() - _LIMIT_REACH)
        match = pattern.search(text, start, words.end() + _LIMIT_REACH)
        if match and (not found or match.start() >= found[-1].end()):
            found.append(match)
    return found


_LIMIT_REACH = 80  # characters: a lab's name, its serum/plasma..., a verb and a comparator


def _lab_named(kb: KnowledgeBase) -> str:
    """The start of a lab value in a sentence: a lab's name (id or alias, with an optional
    serum/adjusted... before it), then an optional verb or sign and an optional comparator."""
    names = {lab.id.replace("_", " ") for lab in kb.labs if "_" not in lab.id}
    names |= {alias.lower() for lab in kb.labs for alias in lab.aliases}
    spelled = sorted(names, key=lambda n: (-len(n), n))
    longest_first = sorted(_COMPARATORS, key=lambda c: (-len(c), c))  # ">=" before ">"
    comparators = "|".join(map(re.escape, longest_first))
    alternatives = "|".join(
        r"[\s-]*".join(re.escape(part) for part in re.split(r"[\s-]+", name)) for name in spelled
    )
    return (
        r"(?<![\w])(?:(?:serum|plasma|blood|total|adjusted|adj|corrected|corr)\.?\s+)*"
        rf"(?P<name>{alternatives})"
        r"(?:\s*\([a-z]{2,5}\))?"  # its abbreviation after it: "alanine aminotransferase (ALT)"
        r"(?:\s+(?:level|levels|concentration|value))?"
        r"(?:(?:\s*(?:was|is|were|of|at|that|:|=)\s*){1,2}|\s+|(?=[<>≤≥]))"
        rf"(?P<cmp>{comparators})?\s*"
    )


def _of_another_measure(text: str, start: int) -> bool:
    """Whether the lab named at `start` is said of another measure of its substance
    (`_OTHER_MEASURES`: "ionised", "urine"), by the word right before it."""
    before = text[:start].split()
    return bool(before) and before[-1].lower().strip("(,;:") in _OTHER_MEASURES


def _labs_in_text(kb: KnowledgeBase, lexicon: Lexicon, text: str, key: str) -> list[_LabInText]:
    """The lab values written in the text, read as the case file's `labs:` reads them (the
    lab's aliases and units, rules/labs.yaml); a name without a known unit is not one. Asked
    only of a text with a digit or the words of an upper limit (most findings have neither:
    the patterns are not even compiled)."""
    found: list[_LabInText] = []
    for match in _lab_pattern(kb).finditer(text) if _DIGIT.search(text) else ():
        if _of_another_measure(text, match.start()):
            continue  # "ionised calcium 1.6 mmol/L" is not the total calcium rules/ compare
        if match["high"] and match["cmp"]:
            continue  # "> 3.0 to 3.5": no one reading
        numbers = [match["number"], match["high"]] if match["high"] else [match["number"]]
        try:
            lab = kb.lab(lexicon.labs.resolve(" ".join(match["name"].split())))
            if match["uln"]:  # so many times the upper limit, in the lab's own unit
                upper = Decimal(str(lab.upper_limit))
                values = [(Decimal(n) * upper, lab.unit) for n in numbers]
            else:
                values = [_parse_lab(lab, f"{n} {match['unit']}", lab.id) for n in numbers]
        except TriageError:
            continue
        if not match["cmp"] and not match["uln"]:
            try:
                for value, unit in values:
                    _check_possible(lab, value, unit, match[0], key)
            except TriageError as exc:  # "labs.narrative: ..." -> "narrative: ..."
                raise TriageError(str(exc).removeprefix("labs.")) from None
        typed = " ".join((match["cmp"] or "").lower().split())
        comparator = _COMPARATORS.get(typed, "")
        ordered = sorted(values)  # "3.5 to 2.4 mmol/L" is the same range
        (value, unit), (high, _) = ordered[0], ordered[-1]
        if match["high"]:  # a range: as a bound when all of it is above or within the limit
            if float(converted_value(lab, value, unit)) > lab.upper_limit:
                comparator = ">="
            elif float(converted_value(lab, high, unit)) <= lab.upper_limit:
                comparator, value = "<=", high
            else:
                comparator = "-"  # across the limit: not read either way
        relative = bool(match["uln"])
        found.append(_LabInText(match.start(), match.end(), lab, comparator, value, unit, relative))
    for match in _limits_in(kb, text):
        if _of_another_measure(text, match.start()):
            continue  # "urine calcium above the upper limit": not the blood's
        typed = " ".join((match["cmp"] or "").lower().split())
        if _COMPARATORS.get(typed) not in (">", ">=") or any(
            given.start <= match.start() < given.end for given in found
        ):
            continue  # past its upper limit only: "ALT above the upper limit of normal"
        try:
            lab = kb.lab(lexicon.labs.resolve(" ".join(match["name"].split())))
        except TriageError:
            continue
        upper = Decimal(str(lab.upper_limit))
        found.append(_LabInText(match.start(), match.end(), lab, ">", upper, lab.unit, True))
    return found


def _lab_reading(kb: KnowledgeBase, text: str, given: _LabInText) -> Reading:
    """What a lab value in the text says of the finding it decides (rules/lab-findings.yaml):
    above the reference range, the finding; within it, its absence when that lab alone
    decides it; a bound ("> 3.0") only when it settles the question."""
    lab, typed = given.lab, text[given.start : given.end]
    value = float(converted_value(lab, given.value, given.unit))
    upper = lab.upper_limit
    above = {"": value > upper, ">": value >= upper, ">=": value > upper}.get(given.comparator)
    within = {"": value <= upper, "<": value <= upper, "<=": value <= upper}.get(given.comparator)
    limits = f"{lab.lower_limit:g}-{upper:g}" if lab.lower_limit is not None else f"<={upper:g}"
    above_range, within_range = "above the reference range", "within the reference range"
    if given.relative:  # "5x ULN": the lab's own limit, not ours
        above_range, within_range, limits = "above", "within", "the upper limit of normal"
    for finding, rules in _lab_rules(kb):
        needed = {c.key.partition(":")[2] for rule in rules for c in rule.conditions}
        if lab.id not in needed:
            continue
        if above:
            via = f"{typed}: {above_range} {limits}" + ("" if given.relative else f" {lab.unit}")
            return Reading(typed, finding, True, "variant", via=(via,), start=given.start)
        if within and needed == {lab.id}:
            via = f"{typed}: {within_range} {limits}" + ("" if given.relative else f" {lab.unit}")
            return Reading(typed, finding, False, "variant", via=(via,), start=given.start)
    via = f"{typed}: lab:{lab.id}"
    return Reading(typed, None, how="not_read", via=(via,), start=given.start)


def _blanked(text: str, labs: list[_LabInText]) -> str:
    """The text with its lab values blanked out (same length: offsets are kept)."""
    for given in labs:
        text = text[: given.start] + " " * (given.end - given.start) + text[given.end :]
    return text


def _unblanked(reading: Reading, text: str, labs: list[_LabInText]) -> Reading:
    """A reading of the blanked text (`_blanked`) with its piece shown as typed, a lab value
    inside it shown as an ellipsis ("A ... is moderate"): read and shown on its own line."""
    start, end = reading.start, reading.start + len(reading.text)
    inside = [given for given in labs if start <= given.start and given.end <= end]
    if not inside:
        return reading
    shown, at = [], start
    for given in inside:
        shown += [text[at : given.start], "..."]
        at = given.end
    shown.append(text[at:end])
    return replace(reading, text="".join(shown))


def _lab_fact(lab: Lab, value: Decimal, unit: str) -> dict[str, Any]:
    """A lab value as the engine's fact: its label as given, its value in the lab's unit."""
    return {
        "fact": f"lab:{lab.id}",
        "label": f"lab:{lab.id}={_plain(value)} {unit}",
        "value": float(converted_value(lab, value, unit)),
    }


def _unitless_lab(kb: KnowledgeBase, lexicon: Lexicon, text: str) -> str:
    """A lab value written without its unit ("ALT 250"), said in the error: a lab value is read
    with its unit, as a case file's `labs:` are."""
    if not _DIGIT.search(text):
        return ""
    pattern = _lab_pattern(kb).pattern.rsplit(_RANGE, 1)[0]  # all but the range and unit
    # not a numbered test's name ("CA 15-3", "CA 19-9": no calcium of 15)
    for match in re.finditer(
        # (nor a range with its unit after it: "calcium 3.0 to 3.5 mmol/L" has one)
        pattern
        + r"(?![\d.]*\s*[a-zµμ%]+/)"
        + rf"(?![\d.]*\s*{_ULN})"  # nor a multiple of the upper limit ("ALT 5x ULN")
        + r"(?!\d|\.\d|-\d|\s*(?:to|\u2013)\s*\d+(?:\.\d+)?\s*[a-zµμ%]+/)",
        text,
        re.IGNORECASE,
    ):
        try:
            lab = kb.lab(lexicon.labs.resolve(" ".join(match["name"].split())))
        except TriageError:
            continue
        typed = " ".join(match[0].split())
        units = " or ".join(sorted(lab.units, key=lambda u: (u != lab.unit, u)))
        return f"; {shown(typed)} has no unit: write it with one ({units})"
    return ""


def _not_counted(lexicon: Lexicon, understood: list[Understood]) -> str:
    """What a text named that is not counted ("' (Chronic cough: past and over)'"), if any."""
    named = [
        f"{lexicon.reader.name(u.past_finding)}: {NOT_COUNTED[u.how]}"
        for u in understood
        if u.past_finding and u.how in NOT_COUNTED
    ]
    return f" that the patient has now ({'; '.join(dict.fromkeys(named))})" if named else ""


def _mistyped(lexicon: Lexicon, text: str) -> str:
    """For a text of which nothing could be read: its words that no finding's words are, nor
    English words, with the finding phrases closest in spelling to each ("; 'hedake': did you
    mean 'headache'?"), as for a mistyped phrase but only the closer ones: a word of a story
    may be one no finding has ("fridge" is 62 alike to "fatigue"); up to three words."""
    hints = []
    for word in lexicon.reader.unknown_words(text)[:3]:
        close = lexicon.findings.suggestions(word, cutoff=70)
        if close:
            hints.append(f"{shown(word)}: did you mean {', '.join(repr(c) for c in close)}?")
    return "; " + "; ".join(hints) if hints else ""


def read_text(lexicon: Lexicon, text: str, key: str) -> tuple[Reading, ...]:
    """What one phrase or sentence typed by a student reads as; an ambiguous word, or a text
    of which nothing can be read, raises (naming `key`)."""
    return _read(lexicon, text, key, one_phrase=True)


@dataclass(frozen=True, slots=True)
class _Said:
    """What one piece of typed text says, as the case's facts take it: its entries in the
    report's `understood`, the findings it reports absent, and those it reports present, each
    with whether the article's qualifiers were said."""

    understood: tuple[Understood, ...]
    absent: tuple[str, ...]
    present: tuple[tuple[str, bool], ...]


# What each phrase of a `findings` or `absent` list says, by knowledge base, phrase and list:
# cohorts repeat their phrases. Only a phrase that holds no lab value is kept (one that does
# adds the value to the case's labs). Bounded: emptied when full.
_SAID: dict[tuple[str, str, bool], _Said] = {}


def _said_in(
    kb: KnowledgeBase,
    lexicon: Lexicon,
    text: str,
    key: str,
    denied: bool,
    one_phrase: bool,
    text_labs: dict[str, tuple[_LabInText, str]],
) -> _Said:
    """What the text says (a phrase, or a narrative when not `one_phrase`); a lab value
    written in it is added to `text_labs`."""
    # A text with no digit and no upper limit holds no lab value (most findings): it is read.
    written = (
        _labs_in_text(kb, lexicon, text, key)
        if (_DIGIT.search(text) or _LIMIT_WORDS.search(text)) and not denied
        else []
    )
    if not written:
        readings = _read(lexicon, text, key, one_phrase)
    else:
        readings = tuple([_lab_reading(kb, text, given) for given in written])
        for given in written:
            if given.comparator == "" and not given.relative:
                text_labs.setdefault(given.lab.id, (given, text[given.start : given.end]))
        rest = _blanked(text, written)
        if rest.strip(" ,;:.()-"):
            readings += tuple(
                _unblanked(r, text, written) for r in _read(lexicon, rest, key, one_phrase)
            )
    if len(readings) > 1:
        readings = tuple(sorted(readings, key=lambda r: r.start))
    absent: list[str] = []
    present: list[tuple[str, bool]] = []
    for reading in readings:
        if reading.finding is None:
            continue
        if denied or not reading.present:
            absent.append(reading.finding)
        else:
            present.append((reading.finding, not reading.not_said))
    understood = tuple([_understood(reading, denied) for reading in readings])
    said = _Said(understood, tuple(absent), tuple(present))
    if one_phrase and not written:
        if len(_SAID) >= SHOWN_READINGS_KEPT:
            _SAID.clear()
        _SAID[kb.digest, text, denied] = said
    return said


def case_facts(case: Case, kb: KnowledgeBase, lexicon: Lexicon) -> CaseFacts:
    """The case's input facts, normalised and ordered as the contract says."""
    understood: list[Understood] = []
    present: dict[str, bool] = {}  # finding -> said with the article's qualifiers
    absent: set[str] = set()
    pieces = [(text, "findings", False, True) for text in case.findings]
    pieces += [(text, "absent", True, True) for text in case.absent]
    if case.narrative is not None:
        pieces.append((case.narrative, "narrative", False, False))
    text_labs: dict[str, tuple[_LabInText, str]] = {}  # lab id -> value written in a text
    for text, key, denied, one_phrase in pieces:
        said = _SAID.get((kb.digest, text, denied)) if one_phrase else None
        if said is None:
            said = _said_in(kb, lexicon, text, key, denied, one_phrase, text_labs)
        understood += said.understood
        absent.update(said.absent)
        for finding, qualified in said.present:
            present[finding] = present.get(finding, False) or qualified
    if case.narrative is not None and not (present or absent or case.labs or text_labs):
        raise TriageError(
            f"narrative: nothing in {shown(case.narrative)} could be read as a finding"
            + _not_counted(lexicon, understood)
            + _unitless_lab(kb, lexicon, case.narrative)
            + _mistyped(lexicon, case.narrative)
        )
    both = sorted(set(present) & absent)
    if both:
        raise TriageError(f"finding {both[0]!r} is reported both present and absent")

    labs: dict[str, dict[str, Any]] = {}
    names: dict[str, str] = {}  # lab id -> the name it was first given as
    for name, raw in case.labs.items():
        lab_id = lexicon.labs.resolve(name, "labs")
        if lab_id in labs:
            raise TriageError(
                f"labs: {lab_id} is given twice (as {shown(names[lab_id])} and {shown(name)})"
            )
        names[lab_id] = name
        lab = kb.lab(lab_id)
        value, unit = _parse_lab(lab, raw, name)
        _check_possible(lab, value, unit, raw, name)
        labs[lab_id] = _lab_fact(lab, value, unit)
    for lab_id, (given, typed) in sorted(text_labs.items()):
        fact = _lab_fact(kb.lab(lab_id), given.value, given.unit)
        if lab_id in labs:
            if labs[lab_id]["value"] != fact["value"]:
                raise TriageError(
                    f"labs: {lab_id} is given twice (as {shown(names[lab_id])} and"
                    f" {shown(typed)} in the text)"
                )
            continue
        labs[lab_id] = fact

    _check_agreement(kb, labs, present, absent)
    history = [lexicon.history.resolve(flag, "history") for flag in case.history]
    facts: list[dict[str, Any]] = []

    def add(labels: list[str]) -> None:
        if labels:
            facts.extend([{"fact": label, "label": label} for label in sorted(set(labels))])

    add([f"finding:{f}" for f in present])
    add([f"unqualified:{f}" for f, qualified in present.items() if not qualified])
    add([f"absent:{f}" for f in absent])
    facts.extend(labs[lab_id] for lab_id in sorted(labs))
    add(
        [
            f"receptor:{name}={value}"
            for name in RECEPTORS
            if (value := getattr(case.receptors, name)) != "unknown"
        ]
    )
    add([f"history:{flag}" for flag in history])
    if case.progression != "unknown":
        add([f"progression:{case.progression}"])
    if case.confirmed_sites:
        sites = kb.ids("site")
        for site in case.confirmed_sites:
            if site not in sites:
                raise unknown("site", site, sites).located("confirmed_sites")
        add([f"confirmed:{site}" for site in case.confirmed_sites])
    return CaseFacts(case=case, engine_facts=tuple(facts), understood=tuple(understood))
