"""The knowledge base: loading and validating the declarative files in `rules/`."""

import contextlib
import gc
import hashlib
import marshal
import os
import stat
import sys
import tempfile
import time
import types
import typing
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import VERSION as PYDANTIC_VERSION
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from triage import __version__
from triage.core.facts import RECEPTORS, Condition, Fact, Requirement, parse_condition
from triage.documents import read_document
from triage.errors import KnowledgeError
from triage.limits import MAX_RULES_NODES
from triage.models import unvalidated
from triage.reading.data import CLINICAL_FILE, READING_FILE, ClinicalList, ReadingData
from triage.reading.lexicon import compiled_words, interned

ARTICLE_FILE = "metastatic-breast-cancer.txt"
# The kinds a rule may conclude besides the graded ones, which `rules/concepts.yaml` lists.
DERIVED_KINDS = ("finding", "site", "confirmed", "suspect", "hormone_receptor", "test", "treatment")
TREATMENT_STATUSES = ("indicated", "contraindicated", "not_indicated")
RECEPTOR_VALUES = ("positive", "negative", "unknown")
PROGRESSIONS = ("rapid", "slow", "unknown")
# The three stages rules run in (see `triage.engine`).
EVIDENCE, DECISION, RESOLUTION = "evidence", "decision", "resolution"
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
RuleId = Annotated[str, Field(pattern=r"^[a-z0-9_-]+(\.[a-z0-9_-]+)+$")]


class Model(BaseModel):
    # defer_build: a model's validator is built when it first validates. A start reads the
    # knowledge base from the cache without validating it again (`_constructed`), so it never
    # builds them: a sixth of a cold start.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Sourced(Model):
    """Something the tool prints: it rests on a verbatim quote of the article or a reference."""

    quote: str | None = None
    reference: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _has_a_source(self) -> "Sourced":
        if not self.quote and not self.reference:
            raise ValueError("needs a 'quote' of the article or a 'reference'")
        return self


class Finding(Model):
    """A symptom, sign, imaging or lab finding a student can report present or absent."""

    id: Id
    name: str
    article: str | None = None  # the article's own wording, verbatim
    synonyms: list[str] = []


# A unit's conversion factor: a number, or "1/4.008" for "divide by 4.008" (exact in decimal).
Factor = float | Annotated[str, Field(pattern=r"^1/\d+(\.\d+)?$")]


class Lab(Model):
    """A laboratory value with its units, its adult reference range and the range's citation,
    and the value above which an entry cannot be a real measurement."""

    id: Id
    name: str
    aliases: list[str] = []
    unit: str  # the unit rules compare in
    units: dict[str, Factor]  # accepted unit -> factor converting a value to `unit`
    decimals: int = Field(ge=0, le=4)  # precision of a converted value
    lower_limit: float | None = None
    upper_limit: float
    reference: str
    implausible_above: float = Field(gt=0)  # in `unit`: above it, an entry is a mistake
    implausible_reference: str

    @model_validator(mode="after")
    def _limits_in_order(self) -> "Lab":
        if self.unit not in self.units:
            raise ValueError(f"'unit' {self.unit} must be one of 'units'")
        if any(self.factor(unit) <= 0 for unit in self.units):
            raise ValueError("every unit's factor must be above 0")
        if self.implausible_above <= self.upper_limit:
            raise ValueError("'implausible_above' must be above 'upper_limit'")
        return self

    def factor(self, unit: str) -> Decimal:
        """The exact factor converting a value in `unit` to the unit rules compare in."""
        factor = self.units[unit]
        if isinstance(factor, str):
            return Decimal(1) / Decimal(factor.split("/")[1])
        return Decimal(repr(factor))

    def range_text(self) -> str:
        low = f"{self.lower_limit:g}" if self.lower_limit is not None else "0"
        return f"{low}-{self.upper_limit:g} {self.unit}"


class Concept(Sourced):
    """A site, test, treatment or history flag, with the passage that defines it."""

    id: Id
    name: str
    passages: list[str] = []  # other verbatim passages of the article about it
    # The words by which the article names it (lowercase): `rules lint` checks that a rule
    # concluding it quotes a passage that names it.
    mentions: list[str] = []


class Detail(Sourced):
    """A method, agent or target of a treatment, shown beside it when it is indicated (only
    when `rule` concluded it, if given)."""

    name: str
    rule: RuleId | None = None


class Remark(Sourced):
    """Said beside a treatment's status, whatever it is, when the case gives the fact `when`."""

    when: str
    text: str


class Treatment(Concept):
    details: list[Detail] = []
    remarks: list[Remark] = []


class TreatmentAim(Sourced):
    """What the treatments aim at, for the one prognosis level where the article says so."""

    prognosis: Id


class Grade(Model):
    """One grade of how strongly a finding points to a site, and its certainty factor."""

    cf: float = Field(gt=0, lt=1)
    means: str


Topic = Literal["background", "sites", "symptoms", "tests", "treatments", "prognosis"]


class Section(Model):
    """Where a section of the article starts, and what its statements are about."""

    starts: str
    topic: Topic


class SetAside(Model):
    """A statement of the article that is not knowledge to encode, and why."""

    statement: str
    why: str


class ArticleMap(Model):
    """rules/article.yaml: where the article's sections start and what is set aside."""

    sections: list[Section]
    set_aside: list[SetAside] = []


class Settings(Model):
    site_threshold: float = Field(gt=0, le=1)
    test_threshold: float = Field(gt=0, le=1)
    absent_weight: float = Field(ge=0, le=1)
    absent_quote: str  # the article's reason an absent symptom weighs less


class Catalogue(Model):
    """rules/concepts.yaml: the ids the rules may name, each with its source."""

    settings: Settings
    grades: dict[Id, Grade]
    treatment_aim: TreatmentAim
    sites: list[Concept]
    tests: list[Concept]
    treatments: list[Treatment]
    history: list[Concept]
    graded: dict[Literal["urgency", "extent", "prognosis"], list[Id]]

    def concepts(self) -> list[tuple[str, Concept]]:
        """Each site, test and treatment with its kind of fact (`site`, `test`, `treatment`)."""
        kinds = (("site", self.sites), ("test", self.tests), ("treatment", self.treatments))
        return [(kind, concept) for kind, concepts in kinds for concept in concepts]


class Rule(Sourced):
    """One piece of knowledge: when every condition holds, it concludes one fact."""

    id: RuleId
    statement: str
    when: list[str] = []
    then: str
    cf: float | None = Field(default=None, gt=-1, le=1)  # 1: certain (a confirmed site)
    grade: Id | None = None  # how strongly it points to its site: its cf is the grade's
    absent_cf: float | None = Field(default=None, gt=-1, le=0)
    threshold: float | None = Field(default=None, gt=0, le=1)
    # A resolution rule: it decides a treatment's status or a graded level from the decision
    # stage's conclusions; among those that fire for one decision, the lowest priority takes it.
    priority: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _well_formed(self) -> "Rule":
        for text in self.when:
            parse_condition(text)
        kind = self.then.split(":", 1)[0]
        if ":" not in self.then:
            raise ValueError("'then' must conclude a fact written kind:name")
        if (kind == "site") != (self.cf is not None):
            raise ValueError("'cf' is required on a rule concluding a site, and only there")
        if self.cf == 1 and not all(text.startswith("confirmed:") for text in self.when):
            raise ValueError("'cf' 1 (certain) is only for a site that imaging or biopsy confirmed")
        return self

    @cached_property
    def conditions(self) -> list[Condition]:
        """The parsed `when`, parsed once (the engine and every explanation read it)."""
        return [parse_condition(text) for text in self.when]

    @property
    def is_default(self) -> bool:
        return not self.when

    @property
    def resolves(self) -> bool:
        """Whether it runs in the resolution stage: a default, or a rule with a priority."""
        return self.is_default or self.priority is not None


class FindingQuestion(Model):
    ask: str = Field(min_length=3, pattern=r"\?$")
    kind: Literal["symptom", "test"]  # a symptom or sign, or a test's or examination's result


class Questions(Model):
    """rules/questions.yaml: how the interview asks about each finding, receptor and flag."""

    findings: dict[str, FindingQuestion]
    receptors: dict[Literal["er", "pr"], Annotated[str, Field(pattern=r"\?$")]]
    history: dict[str, Annotated[str, Field(pattern=r"\?$")]]
    progression: Annotated[str, Field(pattern=r"\?$")]


class RulesFile(Model):
    rules: list[dict[str, Any]]


class KnowledgeBase(Model):
    """Everything in `rules/`, validated and cross-checked."""

    article: str
    digest: str
    catalogue: Catalogue
    findings: list[Finding]
    labs: list[Lab]
    rules: list[Rule]
    rule_files: dict[str, str]  # rule id -> the file it came from
    article_map: ArticleMap
    reading: ReadingData  # how people phrase, deny and date a finding (reading.yaml)
    # clinical words and abbreviations (clinical.yaml); made only when missing, so defining
    # the model does not validate one (and build its validators) at every start
    clinical: ClinicalList = Field(default_factory=ClinicalList)
    # Compiled with the vocabulary (and cached with it): each inflection of its words mapped to
    # the word's lemma, and the abbreviations that are everyday English words too ("SOB").
    lemmas: dict[str, str] = {}
    english_words: list[str] = []
    lexicon: dict[str, Any] = {}  # the reader's compiled lexicon (triage.reading.lexicon)
    questions: Questions | None = None

    @property
    def settings(self) -> Settings:
        return self.catalogue.settings

    @cached_property
    def rules_by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    @cached_property
    def rules_by_conclusion(self) -> dict[str, list[Rule]]:
        """The rules concluding each fact, in knowledge-base order, resolution rules apart
        (defaults, and the rules that decide between candidates)."""
        index: dict[str, list[Rule]] = {}
        for rule in self.rules:
            if not rule.resolves:
                index.setdefault(rule.then, []).append(rule)
        return index

    @cached_property
    def labs_by_id(self) -> dict[str, Lab]:
        return {lab.id: lab for lab in self.labs}

    @cached_property
    def stages(self) -> dict[str, str]:
        """The stage each rule runs in: the rules that build evidence for a site (and the rules
        those depend on) in the evidence stage; defaults and rules with a priority in the
        resolution stage; every other rule in the decision stage."""
        stage = {rule.id: RESOLUTION if rule.resolves else DECISION for rule in self.rules}
        undecided = [
            (rule, rule.then.partition(":")[0]) for rule in self.rules if not rule.resolves
        ]
        wanted = {"site"}
        changed = True
        while changed:
            changed = False
            for rule, kind in undecided:
                if stage[rule.id] != DECISION:
                    continue
                if kind in wanted or rule.then in wanted:
                    stage[rule.id] = EVIDENCE
                    wanted.update(c.key for c in rule.conditions)
                    changed = True
        return stage

    @cached_property
    def graded_kinds(self) -> tuple[str, ...]:
        """The graded conclusions (urgency, extent, prognosis), each with levels lowest first."""
        return tuple(self.catalogue.graded)

    def levels(self, kind: str) -> list[str]:
        return self.catalogue.graded[kind]  # type: ignore[index]

    @cached_property
    def decisions(self) -> tuple[str, ...]:
        """Everything the report decides, once per case: each treatment's status
        (`treatment:ID`) and each graded level (`urgency`, ...)."""
        treatments = tuple(f"treatment:{t.id}" for t in self.catalogue.treatments)
        return treatments + self.graded_kinds

    def decision_of(self, fact: str) -> str | None:
        """The decision a fact is a candidate for (`treatment:surgery=indicated` ->
        `treatment:surgery`, `urgency:urgent` -> `urgency`), or None."""
        index = self.decision_index
        if fact not in index:
            parsed = Fact.parse(fact)
            if parsed.kind == "treatment":
                index[fact] = f"treatment:{parsed.name}"
            else:
                index[fact] = parsed.kind if parsed.kind in self.catalogue.graded else None
        return index[fact]

    @cached_property
    def decision_index(self) -> dict[str, str | None]:
        """The decision of each fact asked about so far (`decision_of`, asked per case)."""
        return {}

    def default_of(self, decision: str) -> str:
        """The fact a decision takes when nothing else is concluded."""
        if decision.startswith("treatment:"):
            return f"{decision}=not_indicated"
        return f"{decision}:{self.levels(decision)[0]}"

    def rule(self, rule_id: str) -> Rule:
        return self.rules_by_id[rule_id]

    def lab(self, lab_id: str) -> Lab:
        return self.labs_by_id[lab_id]

    def threshold(self, rule: Rule) -> float:
        """The certainty a site must reach for this rule to use it."""
        if rule.threshold is not None:
            return rule.threshold
        if rule.then.startswith("test:"):
            return self.settings.test_threshold
        return self.settings.site_threshold

    def requirement(self, rule: Rule, condition: Condition) -> Requirement:
        """What one condition of this rule asks of a case's facts (see `triage.core.facts`)."""
        upper = self.lab(condition.name).upper_limit if condition.kind == "lab" else None
        return condition.requirement(self.threshold(rule), upper)

    @cached_property
    def requirements(self) -> dict[str, tuple[Requirement, ...]]:
        """What each condition of each rule asks, in order, by rule id."""
        return {
            rule.id: tuple(self.requirement(rule, c) for c in rule.conditions)
            for rule in self.rules
        }

    def absent_cf(self, rule: Rule) -> float | None:
        """How much a finding reported absent weighs against the site this rule supports."""
        conditions = rule.conditions
        if rule.cf is None or rule.cf <= 0 or len(conditions) != 1:
            return None
        if conditions[0].kind != "finding":
            return None
        if rule.absent_cf is not None:
            return rule.absent_cf or None
        weight = round(-rule.cf * self.settings.absent_weight, 2)
        return weight or None

    def ids(self, kind: str) -> list[str]:
        """The known ids of one kind of thing the rules may name."""
        catalogue = self.catalogue
        table: dict[str, list[str]] = {
            "finding": [f.id for f in self.findings],
            "lab": [lab.id for lab in self.labs],
            "site": [c.id for c in catalogue.sites],
            "test": [c.id for c in catalogue.tests],
            "treatment": [c.id for c in catalogue.treatments],
            "history": [c.id for c in catalogue.history],
        }
        table.update(catalogue.graded)
        return table.get(kind, [])


def _locate(error: ValidationError) -> str:
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "(top level)"
    return f"field {field}: {first['msg']}"


def _validated(model: type[Model], data: Any, where: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(_locate(exc), where=where) from None


def _load_rules(path: Path, name: str, grades: dict[str, Grade]) -> list[Rule]:
    data = _validated(RulesFile, _read_rules(path), name)
    rules = []
    for index, raw in enumerate(data.rules):
        rule_id = raw.get("id", f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
        where = f"{name}: rule {rule_id}"
        rules.append(_validated(Rule, _with_cf_of_grade(raw, grades, where), where))
    return rules


def _with_cf_of_grade(raw: Any, grades: dict[str, Grade], where: str) -> Any:
    """The rule with `grade: strong` giving its certainty factor (rules/concepts.yaml)."""
    if not isinstance(raw, dict) or "grade" not in raw:
        return raw
    grade = grades.get(raw["grade"])
    if grade is None:
        known = ", ".join(grades)
        raise KnowledgeError(f"field grade: unknown grade {raw['grade']!r} ({known})", where=where)
    return {"cf": grade.cf, **raw}  # a cf written out must still equal its grade's


CATALOGUE_FILE = "concepts.yaml"
VOCABULARY_FILE = "vocabulary.yaml"
LABS_FILE = "labs.yaml"
ARTICLE_MAP_FILE = "article.yaml"
QUESTIONS_FILE = "questions.yaml"
# The files of rules/ that hold no rules.
NOT_RULES_FILES = (
    CATALOGUE_FILE,
    VOCABULARY_FILE,
    LABS_FILE,
    ARTICLE_MAP_FILE,
    READING_FILE,
    CLINICAL_FILE,
    QUESTIONS_FILE,
)


# The knowledge base every load uses by default: set by `triage --rules DIR`, and read from the
# environment so that the processes a command starts (batch workers) use the same one.
RULES_ENV = "TRIAGE_RULES_DIR"


def use_rules(rules_dir: Path | None) -> None:
    """Make `rules_dir` (None: the shipped rules) the knowledge base loaded by default."""
    if rules_dir is None:
        os.environ.pop(RULES_ENV, None)
    else:
        os.environ[RULES_ENV] = str(rules_dir.resolve())


def default_rules_dir() -> Path:
    """The rules chosen with `triage --rules DIR`, else those shipped with the package, or the
    source tree's `rules/` when not installed."""
    chosen = os.environ.get(RULES_ENV)
    if chosen:
        return Path(chosen)
    # Installed, the rules are the package's `triage/rules/` folder (its package-dir in
    # pyproject.toml), found beside this file without importlib.resources (~0.6 ms of a
    # start); an editable install or a source tree has them beside the package.
    here = Path(__file__).resolve().parent
    for folder in (here / "rules", here.parent / "rules"):
        if (folder / CATALOGUE_FILE).is_file():
            return folder
    from importlib import resources  # the package's rules elsewhere (another installer's layout)

    try:
        packaged = Path(str(resources.files("triage.rules")))
        if (packaged / CATALOGUE_FILE).is_file():
            return packaged
    except ModuleNotFoundError:
        pass
    return here.parent / "rules"  # not found: loading says so


def _read_rules(path: Path) -> Any:
    """A file of the knowledge base: read as a case file is, with a larger bound on its values
    (a case holds a few dozen; rules/reading.yaml, thousands)."""
    return read_document(path, MAX_RULES_NODES)


def load(rules_dir: Path | None = None) -> KnowledgeBase:
    """The knowledge base in `rules_dir` (default: the shipped one), validated; the first
    problem found raises KnowledgeError."""
    folder = rules_dir or default_rules_dir()
    return _load_cached(folder.resolve())


@cache
def _load_cached(folder: Path) -> KnowledgeBase:
    cache_file = _cache_file(folder)
    kb = _read_cache(cache_file)
    if kb is None:
        kb, problems = inspect(folder)
        if problems:
            raise problems[0]
        _write_cache(cache_file, kb)
    return kb


def inspect(rules_dir: Path | None = None) -> tuple[KnowledgeBase, list[KnowledgeError]]:
    """The knowledge base and every cross-reference problem in it (for `triage rules lint`).

    A file that does not fit its model still raises at once: nothing can be checked past it.
    """
    folder = (rules_dir or default_rules_dir()).resolve()
    files, digest, article = _sources(folder)
    return _parse(folder, files, digest.hexdigest()[:12], article)


def _sources(folder: Path) -> tuple[list[Path], Any, str]:
    """The knowledge base's YAML files, a digest of them, and the article."""
    if not (folder / CATALOGUE_FILE).is_file():
        raise KnowledgeError(f"no {CATALOGUE_FILE} here: not a knowledge base", where=str(folder))
    digest = hashlib.sha256()
    files = sorted(folder.glob("*.yaml"))
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    article_path = folder / "source" / ARTICLE_FILE
    try:
        article = article_path.read_text(encoding="utf-8")
    except OSError:
        raise KnowledgeError("the source article is missing", where=str(article_path)) from None
    return files, digest, article


def _parse(
    folder: Path, files: list[Path], digest: str, article: str
) -> tuple[KnowledgeBase, list[KnowledgeError]]:
    """The knowledge base read from its YAML files, validated, and its cross-check problems."""
    catalogue = _validated(Catalogue, _read_rules(folder / CATALOGUE_FILE), CATALOGUE_FILE)
    vocabulary = _read_rules(folder / VOCABULARY_FILE)
    labs = _read_rules(folder / LABS_FILE)
    findings = [
        _validated(Finding, raw, f"{VOCABULARY_FILE}: finding {i + 1}")
        for i, raw in enumerate((vocabulary or {}).get("findings", []))
    ]
    lab_models = [
        _validated(Lab, raw, f"{LABS_FILE}: lab {i + 1}")
        for i, raw in enumerate((labs or {}).get("labs", []))
    ]
    rules: list[Rule] = []
    rule_files: dict[str, str] = {}
    problems: list[KnowledgeError] = []
    for path in files:
        if path.name in NOT_RULES_FILES:
            continue
        for rule in _load_rules(path, path.name, catalogue.grades):
            if rule.id in rule_files:
                problems.append(
                    KnowledgeError(
                        f"rule id {rule.id} is already used in {rule_files[rule.id]}",
                        where=f"{path.name}: rule {rule.id}",
                        code="duplicate-id",
                    )
                )
                continue
            rule_files[rule.id] = path.name
            rules.append(rule)
    reading = _validated(ReadingData, _read_rules(folder / READING_FILE), READING_FILE)
    clinical = ClinicalList()
    if (folder / CLINICAL_FILE).is_file():
        clinical = _validated(ClinicalList, _read_rules(folder / CLINICAL_FILE), CLINICAL_FILE)
    kb = KnowledgeBase(
        article=article,
        digest=digest,
        catalogue=catalogue,
        findings=findings,
        labs=lab_models,
        rules=rules,
        rule_files=rule_files,
        article_map=_validated(
            ArticleMap, _read_rules(folder / ARTICLE_MAP_FILE), ARTICLE_MAP_FILE
        ),
        reading=reading,
        clinical=clinical,
        **compiled_words(findings, reading, clinical),
        questions=_validated(Questions, _read_rules(folder / QUESTIONS_FILE), QUESTIONS_FILE)
        if (folder / QUESTIONS_FILE).is_file()
        else None,
    )
    return kb, problems + cross_check(kb)


# Reading the YAML files is most of the cost of a cold start (~65 ms), so the validated knowledge
# base, with everything compiled from it (the reader's lexicon and its index), is kept in the
# user's cache, keyed by everything it was built from. It is written with `marshal` (Python's
# plain values: str, numbers, lists, tuples, dicts, frozensets), read twice as fast as JSON,
# with tuples and frozensets as they were and the lexicon's words interned as they were; not
# pickle: reading marshal data calls no code (reading pickle data can call any).
#
# The cache is an optimisation that can never change an answer or stop the tool: only a
# regular file of bounded size, owned by this user, is opened (never through a link, never a
# FIFO or a device); its first line is a digest of its key and content, checked before it is
# used; anything in doubt is rebuilt from rules/. It is written to a private temporary file,
# created exclusively, then renamed into place; a failed write (a full disk) leaves nothing.
CACHE_ENV = "TRIAGE_CACHE_DIR"  # set it empty to switch the cache off
CACHE_MAX_BYTES = 16 * 1024 * 1024  # the knowledge base is about 0.5 MB
# Each edition of rules/ (a teacher's edit, `--rules DIR`, a new version) has a file of its
# own: when one is written, all but the most recently used CACHE_KEEP are removed. A file in
# use is marked used (its time set) at most once a day.
CACHE_KEEP = 16
CACHE_USED = 24 * 60 * 60
CACHE_HEADER = b"triage knowledge cache, sha256 "


def _cache_dir() -> Path | None:
    """The folder of the cache; None (no cache) when there is no home directory to hold it."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(base):  # the XDG rule: a relative setting is ignored
        return Path(base) / "triage"
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):  # HOME unset and no passwd entry (a container)
        return None
    return home / ".cache" / "triage" if home.is_absolute() else None


def _cache_file(rules_dir: Path) -> Path | None:
    """Where the validated knowledge base of these files is cached (None: no cache)."""
    folder = _cache_dir()
    if folder is None:
        return None
    _, digest, article = _sources(rules_dir)
    # The models' own source too: an edited model with an unchanged version (a development
    # install) must not read a cache written by the old one.
    models = Path(__file__).read_bytes()
    for compiler in ("data.py", "lexicon.py", "words.py"):  # the reader's compiled words
        models += (Path(__file__).parent / "reading" / compiler).read_bytes()
    for part in (article, __version__, PYDANTIC_VERSION, sys.version):
        digest.update(part.encode() + b"\0")
    digest.update(models)
    return folder / f"knowledge-{digest.hexdigest()[:32]}.marshal"


def _cache_header(path: Path, payload: bytes | memoryview) -> bytes:
    """The cache file's first line: a digest of its name (the key) and its content."""
    digest = hashlib.sha256(path.name.encode() + b"\0")
    digest.update(payload)
    return CACHE_HEADER + digest.hexdigest().encode()


def _read_cache(path: Path | None) -> KnowledgeBase | None:
    """The cached knowledge base, or None when there is none or any doubt about it."""
    if path is None:
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None  # absent, a link, unreadable
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > CACHE_MAX_BYTES:
            return None  # a FIFO, a device, or too big to be ours
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return None  # another user's file in a shared folder
        with os.fdopen(os.dup(fd), "rb") as stream:
            data = stream.read(info.st_size + 1)  # a byte more: grown while read is in doubt
    except OSError:
        return None
    finally:
        os.close(fd)
    end = data.find(b"\n")
    payload = memoryview(data)[end + 1 :]  # not copied
    if len(data) != info.st_size or end < 0 or data[:end] != _cache_header(path, payload):
        return None  # changed while read, cut short, damaged or changed: rebuilt from rules/
    if time.time() - info.st_mtime > CACHE_USED:
        with contextlib.suppress(OSError):
            os.utime(path, follow_symlinks=False)  # used: kept when old files are removed
    try:
        # Written from a validated knowledge base by these very models (the cache's key holds
        # their source) and checked by its digest: built as it is, not validated again.
        collecting = gc.isenabled()
        gc.disable()  # a hundred thousand new objects at once: nothing to collect among them
        try:
            return _constructed(KnowledgeBase, marshal.loads(payload))
        finally:
            if collecting:
                gc.enable()
    except (ValueError, TypeError, KeyError, AttributeError, EOFError):
        return None


def _constructed(model: type[BaseModel], data: dict[str, Any]) -> Any:
    """The model of data that `model_dump` wrote from a valid model, built without validating
    it (`model_construct`, down through nested models, lists, tuples and dicts)."""
    fields = _construction_plan(model)
    values = {name: convert(data[name]) for name, convert in fields}
    return unvalidated(model, values, set(values))


def _same(value: Any) -> Any:
    return value


@cache
def _construction_plan(model: type[BaseModel]) -> tuple[tuple[str, Any], ...]:
    """Each field of the model with the function that rebuilds its value from JSON data."""
    return tuple((name, _converter(field.annotation)) for name, field in model.model_fields.items())


def _converter(annotation: Any) -> Any:
    """The function rebuilding a value of this type from JSON data: nested models, tuples
    (JSON has only lists), and containers of those; anything else is taken as it is."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Annotated:
        return _converter(args[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return lambda value: _constructed(annotation, value)
    if origin in (typing.Union, types.UnionType):
        inner = [_converter(arg) for arg in args if arg is not type(None)]
        if all(convert is _same for convert in inner):
            return _same
        if len(inner) != 1:
            raise TypeError(f"no plan for {annotation!r}")
        (convert,) = inner
        return lambda value: None if value is None else convert(value)
    if origin is list:
        item = _converter(args[0]) if args else _same
        return _same if item is _same else (lambda value: [item(v) for v in value])
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _converter(args[0])
            return lambda value: tuple(item(v) for v in value)
        items = [_converter(arg) for arg in args]
        return lambda value: tuple(c(v) for c, v in zip(items, value, strict=True))
    if origin is dict:
        item = _converter(args[1]) if args else _same
        return _same if item is _same else (lambda value: {k: item(v) for k, v in value.items()})
    if origin in (set, frozenset) or annotation in (set, frozenset, tuple):
        raise TypeError(f"no plan for {annotation!r}")
    return _same


def _write_cache(path: Path | None, kb: KnowledgeBase) -> None:
    """Keep the knowledge base in the cache; on any failure, keep nothing."""
    if path is None:
        return
    # The lexicon as it is (plain values already: `model_dump` would copy its words, which are
    # interned); every string and tuple of strings written once (see `interned`).
    data = interned({**kb.model_dump(exclude={"lexicon"}), "lexicon": kb.lexicon})
    try:
        payload = marshal.dumps(data)
    except ValueError:  # a value marshal cannot write (a field of a new type): no cache
        return
    temporary: str | None = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkstemp: a new file with a random name, created exclusively (O_EXCL), mode 0600; a
        # link planted in a shared folder is never followed.
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as stream:
            stream.write(_cache_header(path, payload) + b"\n" + payload)
        os.replace(temporary, path)  # atomic: a concurrent reader sees all of it or nothing
        temporary = None
    except OSError:
        return  # a read-only home, a full disk: every start reads the YAML files
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    _prune_cache(path.parent)


def _prune_cache(folder: Path) -> None:
    """Remove this user's cache files of the knowledge base but the CACHE_KEEP most recently
    used (regular files only, never through a link)."""
    try:
        with os.scandir(folder) as entries:
            files = [
                (entry.stat(follow_symlinks=False), entry.path)
                for entry in entries
                if entry.name.startswith("knowledge-") and entry.is_file(follow_symlinks=False)
            ]
    except OSError:
        return
    uid = os.getuid() if hasattr(os, "getuid") else None
    ours = [(info.st_mtime, name) for info, name in files if uid is None or info.st_uid == uid]
    for _, name in sorted(ours, reverse=True)[CACHE_KEEP:]:
        with contextlib.suppress(OSError):
            os.unlink(name)


def cross_check(kb: KnowledgeBase) -> list[KnowledgeError]:
    """Every id a rule names exists, and every quote is verbatim in the article."""
    problems: list[KnowledgeError] = []

    def fail(where: str, message: str, code: str = "unknown-id") -> None:
        problems.append(KnowledgeError(message, where=where, code=code))

    for kind in ("finding", "lab", "site", "test", "treatment", "history"):
        ids = kb.ids(kind)
        if len(ids) != len(set(ids)):
            fail(kind, f"a {kind} id is defined twice", "duplicate-id")

    # Verbatim but for line breaks: a list's lead-in and one of its items may be quoted together.
    article_words = " ".join(kb.article.split())

    def check_quote(item: Sourced | Finding, where: str) -> None:
        quote = item.article if isinstance(item, Finding) else item.quote
        if quote and " ".join(quote.split()) not in article_words:
            fail(where, f"quote is not verbatim in the article: {quote!r}", "quote-not-verbatim")

    for finding in kb.findings:
        check_quote(finding, f"{VOCABULARY_FILE}: finding {finding.id}: field article")
    catalogue = kb.catalogue
    for concept in [*catalogue.sites, *catalogue.tests, *catalogue.treatments, *catalogue.history]:
        check_quote(concept, f"{CATALOGUE_FILE}: {concept.id}: field quote")
    for treatment in catalogue.treatments:
        for detail in treatment.details:
            check_quote(detail, f"{CATALOGUE_FILE}: {treatment.id}: {detail.name}: field quote")
        for remark in treatment.remarks:
            check_quote(remark, f"{CATALOGUE_FILE}: {treatment.id}: remark: field quote")
    check_quote(catalogue.treatment_aim, f"{CATALOGUE_FILE}: treatment_aim: field quote")
    _check_treatment_texts(kb, fail)
    passages = [
        (f"{CATALOGUE_FILE}: {c.id}: field passages", text)
        for c in [*catalogue.sites, *catalogue.tests, *catalogue.treatments, *catalogue.history]
        for text in c.passages
    ]
    passages.append((f"{CATALOGUE_FILE}: settings: field absent_quote", kb.settings.absent_quote))
    for where, text in passages:
        if text not in kb.article:
            fail(where, f"quote is not verbatim in the article: {text!r}", "quote-not-verbatim")

    article_map = kb.article_map
    for text in [s.starts for s in article_map.sections] + [
        s.statement for s in article_map.set_aside
    ]:
        if text not in kb.article:
            fail(ARTICLE_MAP_FILE, f"not verbatim in the article: {text!r}", "quote-not-verbatim")

    if kb.questions is not None:  # the interview can ask about every finding and flag
        for kind, asked in (("finding", kb.questions.findings), ("history", kb.questions.history)):
            known = kb.ids(kind)
            for name in sorted(set(known) - set(asked)):
                fail(QUESTIONS_FILE, f"no question for the {kind} {name!r}", "missing-question")
            for name in sorted(set(asked) - set(known)):
                fail(QUESTIONS_FILE, f"a question for an unknown {kind} {name!r}")

    for rule in kb.rules:
        where = f"{kb.rule_files[rule.id]}: rule {rule.id}"
        check_quote(rule, f"{where}: field quote")
        _check_grade(kb, rule, where, fail)
        for condition in [*rule.conditions, parse_condition(rule.then)]:
            _check_names(kb, condition, where, fail)
        if rule.is_default and not _is_default_conclusion(kb, rule.then):
            fail(
                where,
                f"field when: only a default conclusion may have no condition: {rule.then}",
                "bad-default",
            )
    _check_shape(kb, fail)
    return problems


def _check_grade(kb: KnowledgeBase, rule: Rule, where: str, fail) -> None:
    """A rule that points to a site takes its certainty factor from a grade of the scheme
    (a site confirmed by imaging or biopsy is certain, cf 1, not graded)."""
    if rule.cf is not None and rule.cf < 0:
        _check_weakened_to_weak(kb, rule, where, fail)
    if rule.cf is None or rule.cf <= 0 or rule.cf >= 1:
        return
    grades = kb.catalogue.grades
    if rule.grade is None:
        fail(
            where,
            f"field grade: missing; a rule pointing to a site has one of: {', '.join(grades)}",
            "no-grade",
        )
    elif rule.cf != grades[rule.grade].cf:
        fail(
            where,
            f"field cf: {rule.cf:g} is not its grade's ({rule.grade}: {grades[rule.grade].cf:g})",
            "cf-not-grade",
        )


def _check_weakened_to_weak(kb: KnowledgeBase, rule: Rule, where: str, fail) -> None:
    """A rule against a site on a bare complaint (`unqualified:ID`) leaves the finding's own
    rule at the weak grade: MYCIN's sum of the two certainty factors is the weak cf."""
    weak = kb.catalogue.grades.get("weak")
    if weak is None or len(rule.conditions) != 1 or rule.conditions[0].kind != "unqualified":
        return
    finding = f"finding:{rule.conditions[0].name}"
    for own in kb.rules:
        if own.then == rule.then and own.when == [finding] and own.cf and rule.cf:
            left = (own.cf + rule.cf) / (1 - min(abs(own.cf), abs(rule.cf)))
            if round(left, 2) != weak.cf:
                fail(
                    where,
                    f"field cf: with {own.id} ({own.cf:g}) it leaves {left:.2f}, not the weak"
                    f" grade's {weak.cf:g}",
                    "cf-not-grade",
                )


def _check_treatment_texts(kb: KnowledgeBase, fail) -> None:
    """Treatment details and remarks name known rules and facts; the aim a known prognosis."""
    catalogue = kb.catalogue
    for treatment in catalogue.treatments:
        for detail in treatment.details:
            if detail.rule is not None and detail.rule not in kb.rules_by_id:
                fail(
                    f"{CATALOGUE_FILE}: {treatment.id}: {detail.name}",
                    f"unknown rule {detail.rule}",
                )
        for remark in treatment.remarks:
            where = f"{CATALOGUE_FILE}: {treatment.id}: remark"
            _check_names(kb, parse_condition(remark.when), where, fail)
    if catalogue.treatment_aim.prognosis not in catalogue.graded["prognosis"]:
        fail(
            f"{CATALOGUE_FILE}: treatment_aim",
            f"unknown prognosis {catalogue.treatment_aim.prognosis}",
        )


def _check_shape(kb: KnowledgeBase, fail) -> None:
    """What the engine needs of the rules' shape: no site as evidence for a site, every
    decision with its default rule, every candidate decided by a rule with a priority."""
    stages = kb.stages
    for rule in kb.rules:
        where = f"{kb.rule_files[rule.id]}: rule {rule.id}"
        kind = Fact.parse(rule.then).kind
        if kind not in DERIVED_KINDS and kind not in kb.catalogue.graded:
            fail(where, f"field then: a rule cannot conclude a {kind} fact", "bad-shape")
        if stages[rule.id] == EVIDENCE and any(c.is_site for c in rule.conditions):
            fail(where, "a site cannot be evidence for a site", "bad-shape")
        if not rule.resolves:
            continue
        decision = kb.decision_of(rule.then)
        if rule.is_default:
            if rule.priority is not None:
                fail(where, "field priority: a default rule (no 'when') has none", "bad-shape")
        elif decision is None:
            fail(
                where,
                "field priority: only a rule deciding a treatment's status or a graded level"
                " has a priority",
                "bad-shape",
            )
        elif any(
            kb.decision_of(c.key) not in (decision, *kb.graded_kinds) for c in rule.conditions
        ):
            fail(
                where,
                f"field when: a rule with a priority decides {decision} from its candidates"
                f" ({decision} facts) and the graded levels' only",
                "bad-shape",
            )

    defaults = {rule.then for rule in kb.rules if rule.is_default}
    for decision in kb.decisions:
        fact = kb.default_of(decision)
        if fact not in defaults:
            fail(
                "rules",
                f"no default rule for {decision}: add a rule with no 'when' concluding {fact}",
                "missing-default",
            )
    # A candidate is decided by a rule with a priority that needs it alone and decides its
    # own decision (a surgery rule on a prognosis level does not decide the prognosis).
    deciders = {
        rule.conditions[0].key
        for rule in kb.rules
        if rule.priority is not None
        and len(rule.conditions) == 1
        and kb.decision_of(rule.conditions[0].key) == kb.decision_of(rule.then)
    }
    priorities: dict[tuple[str, int], str] = {}
    for rule in kb.rules:
        where = f"{kb.rule_files[rule.id]}: rule {rule.id}"
        decision = kb.decision_of(rule.then)
        if decision is None:
            continue
        if not rule.resolves and rule.then not in deciders:
            fail(
                where,
                f"nothing decides {rule.then}: add a rule with a priority and when: [{rule.then}]",
                "undecided",
            )
        if rule.priority is not None:
            other = priorities.setdefault((decision, rule.priority), rule.id)
            if other != rule.id:
                fail(where, f"the same priority as {other} for {decision}", "bad-shape")


def _is_default_conclusion(kb: KnowledgeBase, fact: str) -> bool:
    kind, _, name = fact.partition(":")
    if kind == "treatment":
        return name.endswith("=not_indicated")
    levels = kb.catalogue.graded.get(kind)  # type: ignore[call-overload]
    return bool(levels) and name == levels[0]


def _check_names(kb: KnowledgeBase, condition: Condition, where: str, fail) -> None:
    kind, name, value = condition.kind, condition.name, condition.value
    if kind in ("finding", "unqualified", "absent"):
        known = kb.ids("finding")
    elif kind == "confirmed":
        known = kb.ids("site")
    elif kind == "site" and name == "any":
        return
    elif kind == "receptor":
        if name not in RECEPTORS or value not in RECEPTOR_VALUES:
            fail(where, f"field when: unknown receptor condition {condition.text!r}")
        return
    elif kind == "progression":
        known = list(PROGRESSIONS)
    elif kind == "treatment":
        if value not in TREATMENT_STATUSES:
            fail(where, f"unknown treatment status in {condition.text!r}")
        known = kb.ids("treatment")
    elif kind in ("suspect", "hormone_receptor"):
        return
    else:
        known = kb.ids(kind)
        if not known:
            fail(where, f"unknown kind of fact {kind!r} in {condition.text!r}")
    if name not in known:
        fail(where, f"unknown {kind} {name!r} in {condition.text!r}")
