"""The reader's word lists, as models: `rules/reading.yaml` (how people phrase, deny and date
a finding) and `rules/clinical.yaml` (clinical words, abbreviations, spellings), both optional
parts of a knowledge base."""

from pydantic import BaseModel, ConfigDict, Field

READING_FILE = "reading.yaml"
CLINICAL_FILE = "clinical.yaml"


class Model(BaseModel):
    # defer_build: see triage.knowledge.Model (the knowledge cache is read without validating)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(Model):
    key: str
    title: str
    publisher: str = ""
    url: str = ""
    version: str = ""


class WordList(Model):
    source: str
    words: list[str]


class Negation(Model):
    source: str
    before: list[str]  # a trigger that denies what follows it
    after: list[str] = []  # a trigger that denies what comes before it
    prefix: list[str] = []  # denies the one word after it ("non-tender")
    suffix: list[str] = []  # denies the one word before it ("seizure-free")
    after_list: list[str] = []  # denies the list said before it ("neither of which I had")
    pseudo: list[str] = []  # holds a trigger word but denies nothing
    terminators: list[str] = []  # ends a trigger's scope
    contrasts: list[str] = []  # a turn of the sentence ("but"): ends a scope and a phrase


class Time(Model):
    source: str
    over: list[str]  # the complaint has gone away
    over_before: list[str] = []  # ... said before the complaint only ("I used to get X")
    before: list[str]  # the complaint is placed in the past
    still: list[str]  # ... but it goes on
    pseudo: list[str] = []  # holds a time word but dates nothing ("than I used to")
    hypothetical: list[str] = []  # the complaint is a possibility, not had ("if", "in case")
    again: list[str] = []  # a complaint that was over is current again ("it came back")
    # a thing taken away ("she had a lump removed"): over only for these findings, the things
    # a surgeon can take out, not a pain ("back pain. They removed the tumour.")
    removed: list[str] = []
    removable: list[str] = []


class Experiencer(Model):
    """ConText's experiencer: whose complaint it is."""

    source: str
    history: list[str] = []  # always someone else's: "family history of"
    relatives: list[str] = []  # the subject is someone else: "my sister found a lump"
    never_the_patient: list[str] = []  # the subject is never the patient: "my dog", "my toddler"
    narrator: list[str] = []  # the teller's own words: "I", "my"
    # a complaint found while touching one of these ("a lump while petting my dog") is its own
    touching: list[str] = []


class FeelingIll(Model):
    """How a person says she feels ill: a verb of feeling said by a person, and a word of
    feeling ill after it ("she felt awful")."""

    source: str
    finding: str
    verbs: list[str]  # "feel", "felt"
    subjects: list[str]  # "I", "she": a person, not a thing ("my back feels bad")
    words: list[str]  # "awful", "rough"
    not_after: list[str] = []  # "I feel bad about it": sorry, not ill
    well: list[str] = []  # "she feels well": no malaise
    well_until: list[str] = []  # "I felt fine until ...": well no longer


class Clauses(Model):
    sentence_ends: list[str]
    shortened_forms: list[str] = []  # "e.g.": their full stops end no sentence
    separators: list[str]
    place_words: list[str] = []  # not counted between a complaint and its place
    elsewhere: list[str] = []  # "under my ribs": a place of its own, not the ribs
    same_places: list[list[str]] = []  # words that say the same place ("under", "beneath")
    descriptors: list[str] = []  # nor are these: how a lump is described, and found
    circumstances: list[str] = []  # "worse when I cough": a finding word after them is not one
    aggravations: list[str] = []  # ... nor after these ("made worse by coughing")
    likeness: list[str] = []  # "feels like": what another complaint is like, not one of its own
    other_senses: list[str] = []  # "fit looser": the first word in another sense, not read
    described: list[str] = []  # "a sore lump": a complaint word before these describes them
    # words of a general finding that, said of a body place, are that place's ("tired eyes",
    # "my legs were tired"), as a generic complaint is (`_Sentence._elsewhere`)
    said_of_a_part: list[str] = []
    parts: list[str] = []  # ... the parts of the body they are said of
    titles: list[str] = []  # "Dr", "Mrs": the capitalised word after one is a name
    interjections: list[str] = []  # "See, ...": said first with a comma after, no word of sense
    other_senses_after: list[str] = []  # "is fit": the second word, as typed, in another sense
    other_senses_before: list[str] = []  # "back of": the first word, as typed, in another sense
    against: list[str] = []  # "anti": the word after it is what a thing acts against
    # "worse when I cough", "worse at night": a comparative said right before one of these
    # says when the complaint is worse, not that it is getting worse
    comparatives: list[str] = []
    circumstance_after: list[str] = []
    subjects: list[str] = []  # a clause opening with one says a thing of its own
    verbs: list[str] = []  # ... and so does one opening with one of these
    references: list[str] = []  # "it", "they": the complaint said just before
    definites: list[str] = []  # "the", "this": with a complaint word, the one said before


class Composition(Model):
    """Complaint words that, said of a body place, name the place's finding(s)."""

    name: str
    complaints: list[str]
    places: dict[str, list[str]]
    # the places are measures or functions (appetite, weight, vision): said to be normal or
    # unchanged (`states`), a place denies its finding
    measure: bool = False
    # the places are examined, as measures are ("the axillae were normal" denies a lump
    # there), but a complaint word alone still suggests their findings ("nodes": which?)
    examined: bool = False
    # the complaint and the places are told in statements of their own ("my back hurts and I
    # can't control my bladder"): read across them, before a reading of either part alone
    across: bool = False


class States(Model):
    """Words that say a measure or function is as it should be ("appetite is stable")."""

    source: str
    normal: list[str]  # the state words
    links: list[str] = []  # words allowed between a measure and its state ("remains")
    # words that, said after a measure that a denial comes before, say it has not changed
    # ("no weight change": a change alone, "weight change", says neither way)
    changes: list[str] = []
    # phrases that hold a state word and say no state ("as well": also)
    idioms: list[str] = []
    # state words said of a measure only after it ("appetite the same"): before one, they
    # pick it out ("the same liver enzymes are still out of range")
    after_only: list[str] = []


class Cause(Model):
    """Words that explain a finding away when said with it: a change the person meant to make
    (weight lost by dieting, `intended`), or one the body makes as it should (breasts fuller
    before a period, `explained`)."""

    source: str
    findings: list[str]  # the findings they explain
    phrases: list[str]  # the words ("on purpose", "dieting"; "before my period")


class Answers(Model):
    """The words that answer a question: "Any headache? No." denies the headache."""

    yes: list[str]
    no: list[str]


class ReadingData(Model):
    sources: list[Source] = []
    function_words: WordList
    # adjectives kept as typed, not made their verb's lemma, where that lemma is a noun of
    # another meaning ("winded", not "wind": "the wind was cold" is no breathlessness)
    own_forms: list[str] = []
    # adjectives of a complaint whose comparative and superlative ("clumsier", "dizziest") are
    # read as the adjective itself (`_lemmas`)
    graded: list[str] = []
    negation: Negation
    time: Time
    clauses: Clauses
    other_body_places: WordList
    other_causes: WordList | None = None  # everyday causes: "swelling after an insect bite"
    not_findings: list[str] = []  # phrases holding a finding's word that name no finding
    states: States | None = None
    answers: Answers | None = None
    experiencer: Experiencer | None = None
    feeling_ill: FeelingIll | None = None
    intended: Cause | None = None
    explained: list[Cause] = []
    # words that make a cause said after them only supposed ("I thought I'd pulled a muscle")
    supposed: list[str] = []
    compositions: list[Composition] = []
    # finding id -> qualifier (as the article says it) -> the words that say it
    qualifiers: dict[str, dict[str, list[str]]] = {}
    # a finding of no given place -> the findings that give its place ("swollen lymph nodes":
    # "... in the axilla"): a complaint word read as both is the placed one only
    unplaced: dict[str, list[str]] = {}


class Term(Model):
    term: str
    means: str
    source: str


class Abbreviation(Model):
    abbr: str
    means: list[str] = Field(min_length=1)
    source: str


class ClinicalList(Model):
    """Clinical words and abbreviations with what they mean, from cited lists."""

    sources: list[Source] = []
    spellings: list[tuple[str, str]] = []  # British and American spellings, read alike
    terms: list[Term] = []
    abbreviations: list[Abbreviation] = []
    out_of_scope: list[str] = []  # meanings outside the article: known, never a finding
