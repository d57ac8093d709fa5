"""The reader of symptom text: what students type is read as the article's findings, denials
as absent, the past as past, bare complaints without the article's qualifier, and nothing is
guessed."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml
from click.testing import CliRunner

from triage.case import parse_case
from triage.cli import main
from triage.errors import KnowledgeError, TriageError
from triage.evaluation import Evaluator
from triage.knowledge import inspect, load
from triage.reading import AmbiguousText

from .conftest import ROOT

KB = load()
EVALUATOR = Evaluator(KB)
READER = EVALUATOR.lexicon.reader


def read(text: str) -> list[tuple[str | None, bool, str]]:
    """(finding, present, how) of each piece of the text that names a finding."""
    return [(r.finding, r.present, r.how) for r in READER.read(text) if r.finding]


def read_as(text: str) -> list[tuple[str | None, bool]]:
    """(finding, present) of each piece of the text that names a finding."""
    return [(finding, present) for finding, present, _ in read(text)]


def report(**case) -> dict:
    return json.loads(EVALUATOR.evaluate(parse_case({"id": "t", **case})).to_json())


# The article's bullets, and each alternative in them, with the finding each must read as.
# "thickening in the axilla" is the axillary alternative of the breast bullet: a lump in the
# armpit, whose own rule counts it for a local recurrence too, quoting that bullet.
ARTICLE_BULLETS = [
    ("weakness", "weakness"),
    ("fatigue", "fatigue"),
    ("malaise", "malaise"),
    ("loss of appetite", "loss_of_appetite"),
    ("loss of weight", "weight_loss"),
    ("Change in the size and shape of the breast", "breast_size_shape_change"),
    ("Change in the size of the breast", "breast_size_shape_change"),
    ("Change in the shape of the breast", "breast_size_shape_change"),
    ("A lump or thickening in the breast or axilla that persists", "breast_lump"),
    ("A lump in the breast that persists", "breast_lump"),
    ("A thickening in the breast that persists", "breast_lump"),
    ("A lump in the axilla that persists", "axillary_lump"),
    (
        "A dimpled, scaly, puckered, or inflamed reddish skin over the breast or nipple",
        "breast_skin_changes",
    ),
    ("A dimpled skin over the breast", "breast_skin_changes"),
    ("scaly skin over the nipple", "breast_skin_changes"),
    ("puckered skin over the breast", "breast_skin_changes"),
    ("inflamed reddish skin over the nipple", "breast_skin_changes"),
    ("Clear or blood-tinged discharge from the nipple", "nipple_discharge"),
    ("Clear discharge from the nipple", "nipple_discharge"),
    ("Blood-tinged discharge from the nipple", "nipple_discharge"),
    ("Severe and increasing bone pain", "bone_pain"),
    ("Pathological fracture", "pathological_fracture"),
    ("Erythema over the affected bone (redness of the skin)", "bone_erythema"),
    ("Swelling", "bone_swelling"),
    ("Hypercalcemia ( increased blood calcium levels)", "hypercalcemia"),
    ("increased blood calcium levels", "hypercalcemia"),
    (
        "Spinal cord compression, when there is breast cancer metastasis to the spine.",
        "spinal_cord_compression",
    ),
    ("Persistent and progressive headache", "headache"),
    ("Changes in vision", "vision_changes"),
    ("Convulsions", "convulsions"),
    ("Nausea or vomiting", "nausea_vomiting"),
    ("Nausea", "nausea_vomiting"),
    ("Vomiting", "nausea_vomiting"),
    ("Behavioral changes", "behavioral_changes"),
    ("Vertigo", "vertigo"),
    ("Increased intracranial pressure", "increased_intracranial_pressure"),
    ("Ataxia or lack of coordinated muscle movements", "ataxia"),
    ("Ataxia", "ataxia"),
    ("lack of coordinated muscle movements", "ataxia"),
    ("Jaundice", "jaundice"),
    ("Pain in the abdomen", "abdominal_pain"),
    ("Nausea and vomiting", "nausea_vomiting"),
    (
        "Blood pathology will show elevated levels of liver enzymes SGOT and SGPT.",
        "elevated_liver_enzymes",
    ),
    ("elevated SGOT", "elevated_liver_enzymes"),
    ("elevated SGPT", "elevated_liver_enzymes"),
    ("Chest pain", "chest_pain"),
    ("Shortness of breath", "shortness_of_breath"),
    ("Chronic cough", "chronic_cough"),
    ("Blood in the sputum", "hemoptysis"),
    ("Chest X-ray will show the metastasis", "chest_xray_shows_metastasis"),
]


@pytest.mark.parametrize(("text", "finding"), ARTICLE_BULLETS)
def test_every_article_bullet_and_each_alternative_reads_as_its_finding(text, finding):
    readings = [r for r in READER.read(text) if r.finding]
    assert [(r.finding, r.present) for r in readings] == [(finding, True)], readings


def test_the_article_bullets_are_read_with_their_qualifiers():
    for text in [
        "Severe and increasing bone pain",
        "Persistent and progressive headache",
        "Chronic cough",
        "Pathological fracture",
        "Clear or blood-tinged discharge from the nipple",
    ]:
        (reading,) = [r for r in READER.read(text) if r.finding]
        assert reading.not_said == (), text


def test_every_synonym_reads_back_as_its_own_finding():
    wrong = []
    for finding in KB.findings:
        for phrase in [finding.name, finding.article, *finding.synonyms]:
            if phrase and [r.finding for r in READER.read(phrase) if r.finding] != [finding.id]:
                wrong.append((phrase, finding.id, READER.read(phrase)))
    assert wrong == []


def test_no_two_findings_share_a_phrase(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    vocabulary = yaml.safe_load((rules / "vocabulary.yaml").read_text())
    vocabulary["findings"][0]["synonyms"].append("tired all the time")  # fatigue's
    (rules / "vocabulary.yaml").write_text(yaml.safe_dump(vocabulary))
    with pytest.raises(KnowledgeError, match="names both"):
        inspect(rules)


def test_a_place_of_only_filler_words_is_an_error_of_the_rules(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    reading = yaml.safe_load((rules / "reading.yaml").read_text())
    reading["compositions"][0]["places"]["a lot"] = ["breast_lump"]  # it would match alone
    (rules / "reading.yaml").write_text(yaml.safe_dump(reading))
    with pytest.raises(KnowledgeError, match="place 'a lot' has no meaningful word"):
        inspect(rules)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my bones ache at night", [("bone_pain", True, "variant")]),
        (
            "I keep coughing and I'm out of breath",
            [("chronic_cough", True, "variant"), ("shortness_of_breath", True, "exact")],
        ),
        (
            "tired all the time and lost a stone in weight",
            [("fatigue", True, "exact"), ("weight_loss", True, "variant")],
        ),
        ("the scar on my chest has a new lump", [("breast_lump", True, "composed")]),
        ("lump in my armpit", [("axillary_lump", True, "exact")]),
        ("a swelling under my arm", [("axillary_lump", True, "composed")]),
        (
            "pain in my chest and back",
            [("chest_pain", True, "variant"), ("bone_pain", True, "variant")],
        ),
        ("whites of my eyes have gone yellow", [("jaundice", True, "exact")]),
        ("my skin has turned a yellowish colour", [("jaundice", True, "variant")]),
        ("a hard lump below my collarbone", [("infraclavicular_lump", True, "composed")]),
    ],
)
def test_everyday_phrasings_are_read_by_lemma_and_composition(text, expected):
    assert sorted(read(text)) == sorted(expected)
    assert {how for _, _, how in read(text)} <= {"exact", "variant", "composed"}


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("no headache", "headache"),
        ("she denies any bone pain", "bone_pain"),
        ("hasn't lost any weight", "weight_loss"),
        ("without any cough", "chronic_cough"),
        ("no nausea or vomiting", "nausea_vomiting"),
        ("never had a seizure", "convulsions"),
    ],
)
def test_a_denial_reads_the_finding_as_absent(text, finding):
    assert read(text) == [(finding, False, read(text)[0][2])]


def test_a_denial_ends_at_but():
    story = "No headaches, but a cough that won't clear up."
    assert sorted((f, p) for f, p, _ in read(story)) == [
        ("chronic_cough", True),
        ("headache", False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "a lump in the breast that was tender but not associated with any nipple discharge",
        "a lump in the breast, not associated with discharge from the nipple",
    ],
)
def test_a_negex_trigger_that_starts_with_not_reaches_past_its_own_words(text):
    # a bare "not" of a word that is no finding ends with its clause; "not associated with"
    # is one trigger, which reaches to the end of the sentence (NegEx)
    assert sorted((f, p) for f, p, _ in read(text)) == [
        ("breast_lump", True),
        ("nipple_discharge", False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "my back aches and I can't feel my legs",  # "not feel": NegEx's "not felt" after it
        "Now my back aches constantly and I can't feel my legs properly.",
        "pain in my back, not in my legs",  # a place after the denial, not the complaint
    ],
)
def test_a_denial_in_another_clause_leaves_a_complaint_present(text):
    assert read_as(text) == [("bone_pain", True)]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I couldn't sleep because of the pain in my hips.", "bone_pain"),  # a cause ends it
        ("No one knows why my back hurts so much.", "bone_pain"),  # not knowing why
        ("it doesn't make sense to me why my back hurts", "bone_pain"),
        ("I don't understand why I have a cough", "chronic_cough"),
        ("I have no idea what's causing the lump in my armpit.", "axillary_lump"),
        ("The scan didn't show anything but my back still hurts.", "bone_pain"),
        ("pain which is in my back", "bone_pain"),  # only a turn of the sentence ends a phrase
        ("a lump that is still in my armpit", "axillary_lump"),
        ("no lumps, no pain, no discharge, just feeling a bit tired", "fatigue"),
    ],
)
def test_a_complaint_said_beside_a_denial_of_something_else_is_present(text, finding):
    assert [(f, p) for f, p, _ in read(text) if p] == [(finding, True)]


def test_a_function_word_is_not_lemmatised_into_another_word():
    # "a bit" was read as "a bite", a place no finding owns, and hid the skin's colour
    assert read("her skin looks a bit yellow") == [("jaundice", True, "variant")]
    assert ("breast_lump", False) in read_as("no lumps, just a bit tired")


def test_a_coughing_fit_is_a_cough_not_a_convulsion():
    assert [f for f, _, _ in read("the pain in my ribs started after a coughing fit")] == [
        "bone_pain",
        "chronic_cough",
    ]
    assert [f for f, _, _ in read("I had a fit")] == ["convulsions"]


def test_a_sentence_opening_with_it_does_not_take_a_place_already_said():
    text = "I noticed a lump under my arm. It has not gone away."
    assert [f for f, _, _ in read(text)] == ["axillary_lump"]


def test_words_that_hold_a_denial_but_deny_nothing():
    (cough,) = [r for r in READER.read("a cough that won't clear up") if r.finding]
    assert cough.present and cough.not_said == ()  # "won't clear up": chronic, not denied
    (fracture,) = [r for r in READER.read("broke a rib without any fall") if r.finding]
    assert fracture.finding == "pathological_fracture" and fracture.present
    assert fracture.not_said == ()
    assert read("I can't breathe") == [("shortness_of_breath", True, "exact")]
    assert read("no appetite") == [("loss_of_appetite", True, "exact")]


@pytest.mark.parametrize(
    "text",
    [
        "I broke my arm just turning over in bed.",
        "She fractured her hip bending over to pick up a cup.",
        "My rib cracked out of nowhere.",
    ],
)
def test_a_bone_broken_by_an_everyday_movement_is_the_pathological_fracture(text):
    (fracture,) = [r for r in READER.read(text) if r.finding]
    assert (fracture.finding, fracture.present, fracture.not_said) == (
        "pathological_fracture",
        True,
        (),
    )
    (bare,) = [r for r in READER.read("I broke my arm.") if r.finding]
    assert bare.not_said == ("pathological",)


def test_a_complaint_in_the_past_and_over_is_not_current():
    (reading,) = READER.read("a cough last winter that went away")
    assert (reading.finding, reading.how, reading.past_finding) == (None, "past", "chronic_cough")
    current = READER.read("she still has the cough she had last winter")
    assert [(r.finding, r.present) for r in current if r.finding] == [("chronic_cough", True)]


@pytest.mark.parametrize(
    ("text", "present"),
    [
        ("no pain, my back aches", ["bone_pain"]),
        ("no lumps, my breast is red and dimpled", ["breast_skin_changes"]),
        ("she denies headache, her vision is blurred", ["vision_changes"]),
        ("no pain in my back, my hips are sore", ["bone_pain"]),
    ],
)
def test_a_denial_does_not_reach_into_a_clause_with_a_subject_of_its_own(text, present):
    assert [f for f, p, _ in read(text) if p] == present


def test_a_list_of_places_after_a_complaint_stays_one_reading():
    assert read_as("pain in my back, my hips and my ribs") == [("bone_pain", True)]
    assert read_as("no lumps in my breast, my armpit or my nipple") == [
        ("axillary_lump", False),
        ("breast_lump", False),
    ]


@pytest.mark.parametrize(
    ("text", "finding", "shown"),
    [
        ("I found a hard lump. It is above my collarbone.", "supraclavicular_lump", "lump. It"),
        ("I found a lump. It is in my armpit.", "axillary_lump", "lump. It is in my armpit"),
    ],
)
def test_a_sentence_opening_with_it_says_where_the_complaint_before_is(text, finding, shown):
    (reading,) = [r for r in READER.read(text) if r.finding]
    assert (reading.finding, reading.present) == (finding, True)
    assert reading.text.startswith(shown)  # the complaint and what was said of it, together


def test_a_sentence_opening_with_it_dates_or_places_but_never_denies_the_complaint_before():
    (past,) = READER.read("I had a cough last month. It went away.")[:1]
    assert (past.how, past.past_finding) == ("past", "chronic_cough")
    assert read("I found a lump. It is not in my breast.") == [("breast_lump", True, "exact")]
    assert read("My back hurts. It is worse at night.")[0][:2] == ("bone_pain", True)


@pytest.mark.parametrize(
    "text",
    [
        "I had a cough but it went away",
        "I had headaches, but they went away after a week",
        "I had a headache and it's gone",
    ],
)
def test_an_ending_said_of_it_dates_the_complaint_before(text):
    (reading,) = READER.read(text)
    assert reading.how == "past" and reading.past_finding in ("chronic_cough", "headache")
    assert text.endswith(reading.text) and reading.text.startswith(("cough", "headache"))


@pytest.mark.parametrize(
    "text",
    [
        "the pain in her back didn't really want to go away",
        "the headache just wouldn't seem to go away",
        "I had a cough but it never really went away",
    ],
)
def test_an_ending_that_is_denied_is_no_ending(text):
    assert read_as(text) in (
        [("bone_pain", True)],
        [("headache", True)],
        [("chronic_cough", True)],
    )


def test_a_bare_complaint_keeps_its_finding_and_names_what_was_not_said():
    (pain,) = READER.read("back pain")
    assert (pain.finding, pain.not_said) == ("bone_pain", ("severe", "increasing"))
    (headache,) = READER.read("persistent headache")
    assert headache.not_said == ("progressive",)  # "persistent" is not "progressive"
    (cough,) = READER.read("a cough for weeks")
    assert cough.not_said == ("chronic",)  # weeks are not yet chronic
    facts = report(findings=["back pain"])["facts"]
    assert facts == ["finding:bone_pain", "unqualified:bone_pain"]


def test_a_bare_complaint_weighs_less_than_the_article_finding():
    bare = report(findings=["back pain"])["sites"][0]["certainty"]
    full = report(findings=["severe back pain that keeps getting worse"])["sites"][0]["certainty"]
    assert bare < 0.5 <= full


def test_a_bare_complaint_never_lowers_a_red_flag_urgency():
    flagged = report(findings=["back pain", "spinal cord compression"])
    assert flagged["urgency"]["level"] == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "swollen fingers",
        "pain in my knee",
        "a stubbed toe",
        "sore throat",
        "red skin on my face",
        "chickenpox",
        "swollen ankles",
        "my knee is swollen",
        "a lump on my gum",
        "swollen eyes",  # the eyes are jaundice's place, not a swelling's
        "swelling in my tummy",
        "yellow phlegm",
        "a lump on my back",
        "puffy face",
        "a broken wrist",
        "swollen and painful big toe",  # the bare "swollen" is said of the toe
        "Swelling, redness and pain in my knee",
        "swelling after an insect bite",  # an everyday cause
        "a lump from a bee sting",
        "a lump in my thyroid",  # an organ, and the throat's parts
        "pale or swollen pharynx",
    ],
)
def test_a_complaint_of_a_place_no_finding_owns_is_not_read(text):
    assert read(text) == []


def test_a_mistyped_word_is_corrected_and_shown():
    (reading,) = READER.read("bone pian")
    assert (reading.finding, reading.how, reading.via) == (
        "bone_pain",
        "corrected",
        ("pian -> pain",),
    )
    assert read("hedache") == [("headache", True, "corrected")]


def test_an_ambiguous_place_is_asked_not_guessed():
    with pytest.raises(AmbiguousText) as caught:
        report(findings=["lump near my collarbone"])
    assert set(caught.value.choices) == {"supraclavicular_lump", "infraclavicular_lump"}


def test_an_abbreviation_with_several_meanings_is_asked_not_guessed():
    with pytest.raises(AmbiguousText) as caught:
        report(findings=["SCC"])
    assert "spinal cord compression" in caught.value.choices


def test_a_whole_story_is_read_clause_by_clause():
    story = (
        "She has had a cough for weeks and gets breathless on the stairs, but no "
        "headaches. Six years ago she had a mastectomy."
    )
    answer = report(narrative=story)
    assert answer["facts"] == [
        "finding:chronic_cough",
        "finding:shortness_of_breath",
        "unqualified:chronic_cough",
        "absent:headache",
    ]
    hows = [(u["text"], u["finding"], u["how"]) for u in answer["understood"]]
    assert hows[-1] == ("Six years ago she had a mastectomy", None, "not_read")


def test_a_story_of_which_nothing_can_be_read_is_an_error():
    with pytest.raises(TriageError, match="nothing in"):
        report(narrative="six years ago she had a mastectomy")


def test_assess_reads_a_denial_as_absent_and_the_report_says_so():
    result = CliRunner().invoke(main, ["assess", "no headache", "seizures", "--format", "json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert "absent:headache" in answer["facts"]
    assert {"text": "no headache", "finding": "headache", "present": False, "how": "exact"} in (
        answer["understood"]
    )


def test_assess_text_reads_a_story():
    result = CliRunner().invoke(
        main,
        [
            "assess",
            "--text",
            "Yellow eyes and pain under my ribs on the right.",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["sites"][0]["id"] == "liver"


def test_text_that_names_no_finding_is_listed_with_a_null_finding():
    answer = json.loads(
        CliRunner()
        .invoke(main, ["assess", "--text", "Jaundice. She plays golf.", "--format", "json"])
        .output
    )
    assert {"text": "She plays golf", "finding": None, "present": False, "how": "not_read"} in (
        answer["understood"]
    )


def test_the_same_text_is_read_the_same_way_every_time():
    story = "Back pain for months, no fits, and she has gone yellow; LFTs up."
    assert READER._read(story) == READER._read(story)


def test_a_lab_value_and_a_finding_reported_the_other_way_is_a_contradiction():
    with pytest.raises(TriageError, match=r"absent, but calcium=11\.2 mg/dL is above"):
        report(absent=["hypercalcemia"], labs={"calcium": "11.2 mg/dL"})
    with pytest.raises(TriageError, match="are within the reference range"):
        report(findings=["raised liver enzymes"], labs={"alt": "30 U/L", "ast": "25 U/L"})
    # one enzyme in range says nothing of the other: no contradiction
    assert report(findings=["raised liver enzymes"], labs={"alt": "30 U/L"})["sites"]


def test_the_interview_reads_a_sentence_and_a_denial_as_a_case_file_does(evaluator):
    from triage.interview import Session

    session = Session(evaluator)
    assert session.entry_for("no fits") == ("absent", "Convulsions")
    assert session.entry_for("she has been coughing for months") == (
        "finding",
        "she has been coughing for months",
    )
    with pytest.raises(AmbiguousText):
        session.entry_for("lump near my collarbone")


def test_replay_warns_and_lint_lists_a_case_that_relied_on_a_correction(tmp_path):
    case = tmp_path / "typo.yaml"
    case.write_text("id: typo\nfindings: [hedache]\nexpect: {sites: [brain]}\n")
    replayed = CliRunner().invoke(main, ["replay", str(case)])
    assert replayed.exit_code == 0, replayed.output  # a warning, not a failure
    assert "warning: relied on a spelling correction: hedache -> headache" in replayed.output
    linted = CliRunner().invoke(main, ["rules", "lint", "--cases", str(tmp_path)])
    assert "relied on a spelling correction (hedache -> headache)" in " ".join(
        linted.output.split()
    )


def test_words_that_say_where_do_not_keep_a_complaint_from_its_place():
    assert [f for f, _, _ in read("redness and a rash over the mastectomy scar")] == [
        "breast_skin_changes"
    ]


def test_a_comparison_with_the_past_does_not_place_the_complaint_in_the_past():
    # ConText's pseudo-triggers: "than I used to" compares, the complaint is now
    assert read("I feel less hungry than I used to") == [("loss_of_appetite", True, "composed")]
    assert read("I get tired more easily than I used to") == [("fatigue", True, "exact")]
    (past,) = READER.read("I used to have headaches")
    assert (past.how, past.past_finding) == ("past", "headache")


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Appetite and weight are stable.", {"loss_of_appetite", "weight_loss"}),
        ("Mental status, memory, and cognition are intact.", {"behavioral_changes"}),
        ("calcium normal", {"hypercalcemia"}),
        ("normal LFTs", {"elevated_liver_enzymes"}),
        ("LFTs within normal limits", {"elevated_liver_enzymes"}),
        ("her weight has remained stable", {"weight_loss"}),
        ("good appetite and energy", {"loss_of_appetite", "fatigue"}),
        ("balance and coordination intact", {"ataxia"}),
        # the state said before a list reaches a measure past an item that is none
        (
            "Blood tests revealed a normal hemogram and liver function tests.",
            {"elevated_liver_enzymes"},
        ),
        ("normal alkaline phosphatase and bilirubin", {"elevated_bilirubin"}),
        # ... and said after a list whose items are of several words
        (
            "The remainder of her complete blood count, electrolytes, liver enzymes, lactate"
            " dehydrogenase and urinalysis were within normal limits.",
            {"elevated_liver_enzymes"},
        ),
        ("My tumor markers were always in the normal range", {"elevated_tumor_markers"}),
        # ... and past items of four words ("right upper quadrant ultrasound")
        (
            "CEA, liver function tests, calcium, prostatic specific antigen, right upper"
            " quadrant ultrasound and chest x-ray were reported as normal",
            {
                "elevated_tumor_markers",
                "elevated_liver_enzymes",
                "hypercalcemia",
                "chest_xray_shows_metastasis",
            },
        ),
        ("Patient is oriented to time, place and person.", {"behavioral_changes"}),
        # ... and past an item whose complaint word names a test ("blood count": no blood)
        (
            "liver function tests, full blood count and calcium were normal",
            {"elevated_liver_enzymes", "hypercalcemia"},
        ),
        # a test's result said negative is normal; a receptor status is no test's result
        (
            "liver function tests, CBC and calcium were negative",
            {"elevated_liver_enzymes", "hypercalcemia"},
        ),
    ],
)
def test_a_measure_said_to_be_normal_denies_its_change(text, absent):
    readings = read(text)
    assert {f for f, present, _ in readings if not present} == absent
    assert all(not present for _, present, _ in readings)
    assert len(readings) == len(absent)  # one denial per finding, however many words said it


def test_no_change_denies_a_finding_that_is_a_change_and_keeps_a_complaint():
    assert read_as("There are no changes to the skin of the breast") == [
        ("breast_skin_changes", False)
    ]
    assert read_as("there was no change in the lump of my breast") == [("breast_lump", True)]


def test_a_place_or_cause_said_as_an_alternative_does_not_place_a_complaint():
    assert read_as("She reported no rash, itching, or peripheral lymphadenopathy.") == [
        ("swollen_lymph_nodes", False)
    ]
    assert read_as("my knee hurts and there is swelling") == []  # the knee's swelling


def test_a_change_of_coordination_balance_or_gait_is_ataxia_a_bank_balance_none():
    assert read_as("changes in coordination") == [("ataxia", True)]
    assert read_as("Denies: dizziness, changes in coordination or gait")[0] == ("ataxia", False)
    assert read("my bank balance changed") == []


def test_a_complaint_adjective_said_more_so_is_the_complaint_a_size_is_not():
    assert read_as("he was clumsier than usual") == [("ataxia", True)]
    assert read_as("my skin is yellower") == [("jaundice", True)]
    assert read_as("one breast is smaller") == [("breast_size_shape_change", True)]


@pytest.mark.parametrize(
    "text",
    [
        "my back hurts and I cannot control my bladder",
        "piercing pain in the upper and lower back, and I'm unable to control urination",
        "the pain in my back worsened and my bladder control began to deteriorate",
        "I lost feeling in my buttocks",
    ],
)
def test_back_pain_told_with_a_loss_of_bladder_control_is_the_cords(text):
    assert read_as(text) == [("spinal_cord_compression", True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no back pain, and I can control my bladder", [("bone_pain", False)]),
        ("back pain and a bladder infection", [("bone_pain", True)]),
        ("back pain and my bladder is fine", [("bone_pain", True)]),
    ],
)
def test_back_pain_with_a_bladder_denied_or_unaffected_is_not_the_cords(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Never did I think that my breast bone pain was cancer", [("bone_pain", True)]),
        ("I thought nothing of a sore hip", [("bone_pain", True)]),
        ("There is a chance that the tumour is pressing on my spinal cord", []),
        ("high calcium can cause confusion", [("hypercalcemia", True)]),
    ],
)
def test_a_thought_denied_or_a_chance_neither_denies_nor_reports(text, expected):
    assert [(f, p) for f, p, how in read(text) if how != "hypothetical"] == expected


@pytest.mark.parametrize(
    "text", ["tunnel vision", "half of my vision is missing", "my sight seems to be failing"]
)
def test_a_narrowed_missing_or_failing_sight_is_a_change_in_vision(text):
    assert read_as(text) == [("vision_changes", True)]


def test_behaviour_said_out_of_character_is_a_change_of_behaviour():
    assert read_as("abnormal and uncharacteristic behaviour") == [("behavioral_changes", True)]
    assert read_as("no unusual behaviour") == [("behavioral_changes", False)]


def test_unable_to_is_read_as_cannot():
    assert read_as("unable to catch my breath") == read_as("I can't catch my breath")
    assert read_as("unable to catch my breath") == [("shortness_of_breath", True)]


def test_an_abbreviation_naming_a_numbered_test_is_not_asked_about():
    assert read_as("raised tumour marker levels (CA 15-3, CEA)") == [
        ("elevated_tumor_markers", True)
    ]
    with pytest.raises(TriageError) as refused:
        report(narrative="CA 19-9 raised")
    assert "has no unit" not in str(refused.value)  # no calcium of 19


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("photopsia", "vision_changes"),
        ("dysdiadochokinesis", "ataxia"),
        ("past-pointing", "ataxia"),
    ],
)
def test_clinical_signs_from_a_cited_list_read_as_their_finding(text, finding):
    assert read_as(text) == [(finding, True)]


@pytest.mark.parametrize(
    "text",
    ["crustiness or scaliness, particularly around the nipple", "My nipple is changing color"],
)
def test_a_nipple_crusty_scaly_or_changing_colour_is_a_change_of_its_skin(text):
    assert read_as(text) == [("breast_skin_changes", True)]


def test_a_complaint_that_soon_passed_is_over_a_person_passing_out_is_not():
    (said,) = READER.read("I had nausea. It soon passed.")
    assert (said.how, said.past_finding) == ("past", "nausea_vomiting")
    assert read_as("I had a headache and passed out") == [("headache", True)]


def test_a_complaint_of_a_list_item_of_its_own_is_not_the_place_before_it():
    assert read_as("a well-healed mastectomy scar and a palpable supraclavicular node") == [
        ("supraclavicular_lump", True)
    ]
    assert read_as("my scar and the skin around it are red") == [("breast_skin_changes", True)]


@pytest.mark.parametrize("text", ["my bike tires keep going flat", "my kids are throwing a fit"])
def test_a_tyre_spelled_tire_and_a_fit_thrown_name_no_finding(text):
    assert read(text) == []


def test_tiring_easily_and_having_a_fit_are_still_read():
    assert read_as("I tire easily") == [("fatigue", True)]
    assert read_as("she had a fit") == [("convulsions", True)]


def test_a_lack_of_a_complaint_denies_it_a_lack_of_a_measure_is_the_complaint():
    assert read_as("the lack of diffuse lymphadenopathy") == [("swollen_lymph_nodes", False)]
    assert read_as("lack of appetite") == [("loss_of_appetite", True)]


def test_calling_in_sick_is_no_nausea():
    assert read("A factory worker didn't want to call in sick") == []
    assert read_as("I called in sick today with a bad back") == [("bone_pain", True)]


def test_a_lump_where_the_breast_was_removed_is_not_removed():
    text = "she found a further lump on her left chest wall, where her breast had been removed"
    assert read_as(text) == [("breast_lump", True)]
    (said,) = READER.read("she had a lump removed from her breast in 2015")
    assert (said.how, said.past_finding) == ("past", "breast_lump")


def test_a_denial_of_a_word_that_is_no_finding_ends_at_a_dash():
    assert read_as("I couldn't feel my legs - back pain") == [("bone_pain", True)]
    assert read_as("denies headache - nausea") == [
        ("headache", False),
        ("nausea_vomiting", False),
    ]


def test_a_phrase_is_not_read_across_a_comma_and_just_unless_just_says_how_near():
    assert read_as("no pain, just some discomfort in his belly") == [("abdominal_pain", True)]
    assert read_as("a lump in my neck, just above the collarbone") == [
        ("supraclavicular_lump", True)
    ]


def test_feeling_great_denies_feeling_ill_though_great_is_no_state_word():
    assert read_as("In fact I felt great.") == [("malaise", False)]
    assert read_as("a great deal of pain in my back") == [("bone_pain", True)]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("why won't my headache stop?", "headache"),
        ("nothing stops the pain in my back", "bone_pain"),
    ],
)
def test_a_complaint_that_does_not_stop_is_had_not_denied_nor_over(text, finding):
    assert read_as(text) == [(finding, True)]


def test_a_denial_before_a_stop_said_after_a_comma_still_denies():
    assert read_as("I do not have a headache, stop asking") == [("headache", False)]


def test_a_phrase_of_no_finding_is_not_read_across_a_comma():
    assert read_as("She denied fever, weight loss, abdominal pain, medication use") == [
        ("abdominal_pain", False),
        ("weight_loss", False),
    ]
    assert read("I take pain medication") == []


def test_a_place_said_after_a_join_before_its_own_complaint_is_that_complaints():
    text = "There is symmetry of the breasts with no puckering or nipple discharge."
    assert sorted(read_as(text)) == [("breast_skin_changes", False), ("nipple_discharge", False)]
    assert ("vision_changes", True) in read_as(
        "headaches, slight balance issues, and vision difficulties"
    )


def test_a_receptor_status_said_negative_denies_nothing():
    assert read_as("I had triple negative breast cancer and a lump in my breast") == [
        ("breast_lump", True)
    ]


def test_the_back_of_a_thing_is_no_back_and_fitting_into_clothes_no_fit():
    for text in (
        "the back of the shoe hurts my heels",
        "I suddenly fit into my skinny jeans",
        "the arm of my glasses simply broke off",
    ):
        assert read(text) == []
    assert read_as("pain in the back of my head") == [("headache", True)]


def test_the_same_before_a_measure_picks_it_out_and_says_no_state():
    text = "the same liver enzymes (ALT and AST) are still just a little out of range"
    assert read_as(text) == [("elevated_liver_enzymes", True)]
    assert read_as("my appetite is the same") == [("loss_of_appetite", False)]


def test_a_normal_state_denies_a_measure_never_a_complaint():
    assert read("back pain stable") == [("bone_pain", True, "exact")]  # not changed, present
    assert sorted(read("decreased appetite, weight stable")) == [
        ("loss_of_appetite", True, "composed"),
        ("weight_loss", False, "composed"),
    ]
    assert read("appetite not good") == [("loss_of_appetite", True, "variant")]
    assert read("vision is not normal") == []  # "not normal" denies nothing
    answer = report(narrative="Appetite and weight are stable. Back pain.")
    assert "absent:weight_loss" in answer["facts"] and "finding:bone_pain" in answer["facts"]


def test_a_measure_with_its_own_complaint_word_is_that_complaint_not_part_of_a_normal_run():
    # "lost my appetite": the complaint is said of the appetite past "my"; the run of measures
    # read back from "ok" stops there, so "ok" denies only the mood
    assert sorted(read_as("lost my appetite and my mood is ok")) == [
        ("behavioral_changes", False),
        ("loss_of_appetite", True),
    ]
    # ... but not past a separator or a comma: there the complaint word is another measure's
    assert sorted(read_as("weight loss, and my appetite is good")) == [
        ("loss_of_appetite", False),
        ("weight_loss", True),
    ]
    assert sorted(read_as("weight loss but appetite is good")) == [
        ("loss_of_appetite", False),
        ("weight_loss", True),
    ]


@pytest.mark.parametrize("text", ["I'm losing my memory", "I've lost my memory"])
def test_losing_ones_memory_is_a_change_of_mind(text):
    assert read_as(text) == [("behavioral_changes", True)]


def test_a_generic_complaint_keeps_its_own_places():
    assert read("swelling") == [("bone_swelling", True, "exact")]
    assert read("lump near my nipple") == [("breast_lump", True, "composed")]
    assert read("swelling in my hip") == [("bone_swelling", True, "composed")]
    assert read("yellow eyes") == [("jaundice", True, "exact")]
    with pytest.raises(TriageError) as caught:  # not "could be a lump in the armpit..."
        report(findings=["swollen eyes"])
    assert not isinstance(caught.value, AmbiguousText)


def test_a_bare_complaint_of_one_place_is_asked_where_with_its_one_finding():
    with pytest.raises(AmbiguousText) as caught:
        report(findings=["crusting"])
    message = str(caught.value)
    assert message.startswith("findings: 'crusting' could be 'Dimpled, scaly")
    assert " or " not in message.partition("could be")[2].partition("'")[0]  # no empty choice
    assert message.endswith("; say where")


def test_a_bone_named_with_a_generic_complaint_keeps_its_finding():
    assert read("fractured collarbone") == [("pathological_fracture", True, "composed")]
    assert read("erythema of the breast") == [("breast_skin_changes", True, "composed")]
    assert read("yellow skin caused by liver problems") == [("jaundice", True, "exact")]


def test_an_abbreviation_whose_meanings_are_parts_of_findings_is_asked_when_it_matters():
    # "Ca": calcium or cancer; neither is a finding alone, "raised calcium" is
    for text in ("Ca", "raised Ca", "↑Ca", "axillary LN"):
        (asked,) = [r for r in READER.read(text) if r.how == "asked"]
        assert len(asked.choices) > 1
    assert [r.how for r in READER.read("h/o breast Ca")] == ["not_read"]  # no meaning reads
    with pytest.raises(AmbiguousText) as caught:
        report(narrative="Ca raised")
    assert "calcium" in caught.value.choices
    assert read("Ca 15-3 raised") == [("elevated_tumor_markers", True, "variant")]


def test_clinical_words_of_breathing_and_redness():
    assert read("orthopnoea") == [("shortness_of_breath", True, "variant")]
    assert read("erythematous skin over rib") == [("bone_erythema", True, "composed")]


def test_an_adjective_of_a_clinical_finding_is_read_as_written_not_corrected():
    assert read("ataxic gait") == [("ataxia", True, "variant")]
    assert read("she is atactic") == [("ataxia", True, "variant")]


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("calcium 3.2 mmol/L", ["finding:hypercalcemia", "lab:calcium=3.2 mmol/L"]),
        ("serum adjusted calcium >3.0 mmol/L", ["finding:hypercalcemia"]),  # a bound: no lab
        ("ALT 120 U/L", ["finding:elevated_liver_enzymes", "lab:alt=120 U/L"]),
        ("calcium 2.4 mmol/L", ["absent:hypercalcemia", "lab:calcium=2.4 mmol/L"]),
        ("ALT 30 U/L", ["lab:alt=30 U/L"]),  # AST unknown: the enzymes are not decided
        ("CA 15-3 of 85 U/mL", ["finding:elevated_tumor_markers", "lab:ca15_3=85 U/mL"]),
        (
            "Bilirubin level is at 30 mg/dL",
            ["finding:elevated_bilirubin", "lab:bilirubin=30 mg/dL"],
        ),
        # a range, as a bound: all of it above the limit, or all within it (no one value)
        ("corrected calcium of 3.0 to 3.5 mmol/L", ["finding:hypercalcemia"]),
        ("calcium 2.2-2.4 mmol/L", ["absent:hypercalcemia"]),
    ],
)
def test_a_lab_value_in_a_sentence_is_read_as_the_case_file_reads_labs(text, facts):
    assert report(narrative=text)["facts"] == facts


def test_the_words_around_a_lab_value_are_shown_as_typed_the_value_as_an_ellipsis():
    understood = report(narrative="A calcium of 3.2 mmol/L is moderate")["understood"]
    assert [u["text"] for u in understood] == ["A ... is moderate", "calcium of 3.2 mmol/L"]


def test_a_lab_value_in_a_sentence_is_checked_like_a_case_files():
    answer = report(narrative="Her calcium was 11.8 mg/dL and she has back pain.")
    assert "lab:calcium=11.8 mg/dL" in answer["facts"]
    assert "finding:hypercalcemia" in answer["facts"] and "finding:bone_pain" in answer["facts"]
    with pytest.raises(TriageError, match="not a possible calcium value"):
        report(narrative="calcium 32 mmol/L")
    with pytest.raises(TriageError, match=r"nothing in 'calcium 2\.4 to 2\.9 mmol/L'") as caught:
        report(narrative="calcium 2.4 to 2.9 mmol/L")  # across the limit: neither reading
    assert "no unit" not in str(caught.value)
    with pytest.raises(TriageError, match="both present and absent"):
        report(narrative="calcium 3.2 mmol/L, no hypercalcaemia")
    with pytest.raises(TriageError, match="given twice"):
        report(narrative="calcium 3.2 mmol/L", labs={"calcium": "2.4 mmol/L"})
    assert report(findings=["ALT 120 U/L"])["facts"][0] == "finding:elevated_liver_enzymes"


def test_a_lump_described_on_examination_keeps_its_place():
    story = "Palpation of the right breast detected a hard round 2 x 3 cm nodule."
    assert read(story) == [("breast_lump", True, "composed")]
    assert read("a 2cm hard lump in the upper outer quadrant of the left breast") == [
        ("breast_lump", True, "composed")
    ]
    assert read("pain in my right knee") == []


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Not short of breath.", "shortness_of_breath"),  # "not" denies, not "can't breathe"
        ("No breathing problems.", "shortness_of_breath"),
        ("No issues with balance or coordination.", "ataxia"),
        ("Breasts: no lumps.", "breast_lump"),
        ("Non-tender abdomen.", "abdominal_pain"),
        ("Lump not felt.", "breast_lump"),
        ("Nobody has noticed any yellowing.", "jaundice"),
        ("Her cough has not come back.", "chronic_cough"),
        # a denial inside a phrase denies what is said after it, not a place said after it
        ("Lymph nodes not palpable.", "swollen_lymph_nodes"),
        ("Her lymph nodes should not be palpable.", "swollen_lymph_nodes"),
        # a measure's state is its finding: the state denied, the finding is absent
        ("Liver enzymes not elevated.", "elevated_liver_enzymes"),
        ("Her liver enzymes were not raised.", "elevated_liver_enzymes"),
    ],
)
def test_a_denial_is_never_read_as_present(text, absent):
    assert read(text) == [(absent, False, read(text)[0][2])]


@pytest.mark.parametrize(
    "text",
    [
        "I was born with inverted nipples, they have always been like that",
        "I've had inverted nipples as long as I can remember",
        "my breasts have always been different sizes, since puberty",
    ],
)
def test_a_breast_that_has_always_been_so_is_explained_not_a_change(text):
    assert {r.how for r in READER.read(text) if r.past_finding} == {"explained"}
    assert read_as("I was born with a birthmark, but now I found a lump in my breast") == [
        ("breast_lump", True)
    ]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I inevitably feel sick in a car", "nausea_vomiting"),
        ("intense throbbing headache on waking after a night of binge drinking", "headache"),
        ("a runny nose, a cough and a sore throat", "chronic_cough"),
        ("nausea and stomach cramps from food poisoning", "abdominal_pain"),
        ("bruised rib after an injury, tender and swollen", "bone_pain"),
        ("I spent a few hours gardening and got back pain later that day", "bone_pain"),
        ("ingrown armpit hair, red bump that looks like a pimple", "axillary_lump"),
        ("yellowish skin from eating foods with lots of beta-carotene", "jaundice"),
        ("green discharge from both nipples, only when squeezed", "nipple_discharge"),
        ("sudden wave of dizziness after abruptly standing up", "vertigo"),
    ],
)
def test_a_complaint_said_with_its_everyday_cause_is_explained(text, finding):
    assert ("explained", finding) in {(r.how, r.past_finding) for r in READER.read(text)}


@pytest.mark.parametrize(
    "text",
    [
        "went to my first spinning class this morning",
        "how many teaspoons is a lump of sugar?",
    ],
)
def test_everyday_words_that_hold_a_finding_word_name_no_finding(text):
    assert read_as(text) == []


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I couldn't do much of anything without being out of breath", "shortness_of_breath"),
        ("I lay in a dark room trying not to vomit", "nausea_vomiting"),
    ],
)
def test_a_double_negative_or_an_effort_not_to_denies_nothing(text, finding):
    assert (finding, True) in read_as(text)


@pytest.mark.parametrize(
    "text", ["caring for my sick wife", "I've been on sick leave for a month", "a sick note"]
)
def test_sick_before_what_it_describes_is_ill_not_vomiting(text):
    assert read_as(text) == []


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("people that size suffer crippling headaches or blackouts, but I didn't", "headache"),
        ("the Dilantin seems to be doing a good job keeping the seizures at bay", "convulsions"),
        ("my eyesight was perfect", "vision_changes"),
    ],
)
def test_words_that_say_the_teller_has_none_of_it_deny_it(text, finding):
    assert read_as(text) == [(finding, False)]
    assert read_as("I have a headache but I didn't take anything") == [("headache", True)]


def test_a_dash_typed_as_a_pause_ends_a_clause_as_a_comma_does():
    text = "I don't really have any symptoms - my energy levels are increasing"
    assert read_as(text) == []  # the "don't" is no "no energy"
    text = "without appetite - the sight or odors of food nauseating"
    assert read_as(text) == [("nausea_vomiting", True)]  # not denied by "without"
    assert read_as("a non-tender lump in the breast") == [("breast_lump", True)]


def test_feeling_nothing_below_the_waist_is_the_cords_sensory_loss():
    text = "when I went to get out of bed I couldn't feel anything below the waist"
    assert read_as(text) == [("spinal_cord_compression", True)]
    assert read_as("I couldn't feel the cold") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4/5 strength bilaterally in her lower extremities", [("weakness", True)]),
        (
            "MUSCULOSKELETAL: Full ROM all extremities, strength 5/5 throughout",
            [("weakness", False)],
        ),
        ("I run 4/5 days a week", []),
    ],
)
def test_muscle_power_graded_out_of_five_is_reduced_below_five(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "finding"),
    [("collapse of L2", "pathological_fracture"), ("tender over L3", "bone_pain")],
)
def test_a_vertebra_named_by_its_level_is_a_bones_place(text, finding):
    assert read_as(text) == [(finding, True)]
    assert read_as("T2 hyperintense lesion") == []


@pytest.mark.parametrize(
    "text",
    ["GENERAL: Well-appearing, alert and oriented x3", "My pt is AAOX3", "Pt AOx3, well"],
)
def test_alert_and_oriented_denies_the_change_of_mind(text):
    assert read_as(text) == [("behavioral_changes", False)]


def test_a_complaint_named_again_after_a_supposition_keeps_its_reading():
    story = (
        "My right breast had become hot, red and swollen. "
        "I shrugged off the changes as being a strange part of pregnancy."
    )
    assert {f for f, present in read_as(story) if present} == {
        "breast_size_shape_change",
        "breast_skin_changes",
    }


def test_a_lump_found_while_petting_an_animal_is_the_animals():
    assert [r.how for r in READER.read("I found a lump while petting my dog")] == ["other"]
    assert read_as("I found a lump in my breast while petting my dog") == [("breast_lump", True)]


def test_a_bone_broken_falling_off_a_bike_is_explained():
    text = "swerved to miss a groundhog on my bike and ended up with a broken clavicle"
    assert [(r.how, r.past_finding) for r in READER.read(text) if r.past_finding] == [
        ("explained", "pathological_fracture")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "my back started hurting; I thought I'd pulled a muscle picking up my children",
        "persistent lower back pain, which I put down to muscle strain from lifting at work",
    ],
)
def test_a_cause_only_supposed_explains_nothing(text):
    assert ("bone_pain", True) in read_as(text)


def test_bruising_said_as_a_complaint_explains_nothing():
    assert read_as("unexplained bruising and bone pain") == [("bone_pain", True)]
    assert read_as("I have bone pain and I bruise easily") == [("bone_pain", True)]


def test_a_cause_something_is_likened_to_explains_nothing():
    text = "dizzy and tired, it feels kind of like being hungover all the time"
    assert read_as(text) == [("vertigo", True), ("fatigue", True)]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("my eyes are blurry", "vision_changes"),
        ("I feel like I am going blind", "vision_changes"),
        ("the unsteadiness on my feet continues", "ataxia"),
    ],
)
def test_a_complaint_said_of_the_part_it_is_felt_in(text, finding):
    assert read_as(text) == [(finding, True)]


@pytest.mark.parametrize("text", ["Gait is normal.", "gait steady", "her gait was fine"])
def test_a_gait_said_normal_denies_the_ataxia(text):
    assert read_as(text) == [("ataxia", False)]


@pytest.mark.parametrize("text", ["abdomen soft, non-tender", "abdomen soft and nontender"])
def test_a_prefix_denies_its_word_written_with_a_hyphen_or_solid(text):
    assert read_as(text) == [("abdominal_pain", False)]


def test_a_complaint_word_before_a_place_and_its_nodes_describes_the_nodes():
    text = "Palpation of the neck reveals multiple firm, nontender supraclavicular nodes."
    assert read_as(text) == [("supraclavicular_lump", True)]  # no bone pain of the neck denied
    assert ("bone_pain", True) in read_as("pain in the bone with swelling")


def test_a_denying_word_of_a_phrase_and_a_prefix_deny_only_what_they_say():
    assert read("I just don't want to eat") == [("loss_of_appetite", True, "variant")]
    assert read("a hard non-tender lump in the breast") == [("breast_lump", True, "composed")]
    assert read_as("a non smoker with a cough") == [("chronic_cough", True)]
    # a terminator ends a statement; "nausea or vomiting" with one of them denied is present
    for text in ("No vomiting but some nausea.", "nausea without vomiting"):
        assert read_as(text) == [("nausea_vomiting", True)]
    assert report(narrative="She had nausea but no vomiting.")["facts"] == [
        "finding:nausea_vomiting"
    ]
    assert sorted(
        (f, p) for f, p, _ in read("No masses, no skin changes, no nipple discharge.")
    ) == [("nipple_discharge", False)]


def test_a_lump_and_a_denied_lump_in_one_sentence_are_two_readings():
    story = (
        "Examination revealed a 1 cm mobile lump in the left breast with no palpable axillary"
        " lumps."
    )
    assert sorted((f, p) for f, p, _ in read(story)) == [
        ("axillary_lump", False),
        ("breast_lump", True),
    ]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I found a lump in my breast two months ago.", "breast_lump"),  # onset, not over
        ("A few months ago I started having headaches.", "headache"),
        ("I couldn't stop coughing", "chronic_cough"),  # "stop" that cannot is no end
        ("it hurt to breathe", "chest_pain"),
        ("my back was killing me", "bone_pain"),
        ("I was in agony with my ribs", "bone_pain"),
        ("pain in my shoulder blade", "bone_pain"),
    ],
)
def test_story_phrasings_of_onset_and_pain(text, finding):
    assert read_as(text) == [(finding, True)]


def test_a_complaint_that_is_over_is_still_past():
    for text in ("I had a cough last winter that went away.", "Two years ago she had back pain."):
        (past,) = [r for r in READER.read(text) if r.past_finding]
        assert past.how == "past"


def test_clinical_families_plurals_and_collapsed_vertebrae():
    assert [r.how for r in READER.read("palpable axillary LNs")] == ["asked"]  # plural of LN
    assert read("vertebral collapse") == [("pathological_fracture", True, "composed")]
    assert read("disorientated") == [("behavioral_changes", True, "variant")]
    assert read("cachectic") == [("weight_loss", True, "variant")]
    assert report(narrative="adj Ca 3.0 mmol/L")["facts"][0] == "finding:hypercalcemia"


@pytest.mark.parametrize(
    "text",
    ["Headache: nil", "nil bone pain", "neg for jaundice", "Weight loss: none", "cough: no"],
)
def test_clinical_note_denials(text):
    ((_, present, _),) = read(text)
    assert not present


def test_no_visual_changes_is_a_denial_of_changes_in_vision():
    assert read("No visual changes.") == [("vision_changes", False, "composed")]


def test_the_thoracic_spine_is_a_spine_not_the_chest():
    assert read("Examination revealed tenderness over the thoracic spine.") == [
        ("bone_pain", True, "composed")
    ]
    assert read("thoracic pain") == [("chest_pain", True, "variant")]


def test_a_denial_inside_a_composition_denies_it():
    story = "Her breast examination revealed no masses, skin changes or nipple discharge."
    assert all(not present for _, present, _ in read(story))
    assert ("nipple_discharge", False) in read_as(story)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("↑ICP", "increased_intracranial_pressure"),
        ("elevated intracranial pressure", "increased_intracranial_pressure"),
        ("↓ vision", "vision_changes"),
        ("pleuritic pain", "chest_pain"),
        ("epigastric pain", "abdominal_pain"),
    ],
)
def test_clinical_families_of_raised_pressure_reduced_sight_and_pain(text, finding):
    assert read_as(text) == [(finding, True)]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I don't have much of an appetite", "loss_of_appetite"),
        ("eating less than usual", "loss_of_appetite"),
        ("a change in the outline of my breast", "breast_size_shape_change"),
        ("a rash around my nipple", "breast_skin_changes"),
    ],
)
def test_everyday_families_of_appetite_and_the_breast(text, finding):
    assert read_as(text) == [(finding, True)]


def test_a_bare_not_of_a_word_that_is_no_finding_ends_with_its_clause():
    story = "I couldn't sleep, and then my legs felt weak"
    assert read_as(story) == [("weakness", True)]
    # a denial of a finding, and a list after "no", reach to the end of the sentence
    assert read_as("She does not have headaches, nausea or vomiting") == [
        ("headache", False),
        ("nausea_vomiting", False),
    ]
    assert all(not p for _, p, _ in read("She didn't report any headaches, nausea or vomiting"))
    assert sorted((f, p) for f, p, _ in read("not eating and losing weight")) == [
        ("loss_of_appetite", True),
        ("weight_loss", True),
    ]


@pytest.mark.parametrize(
    ("text", "present"),
    [
        ("pain in my back that is worse when I cough, sneeze or go to the toilet", ["bone_pain"]),
        # ... and a list's later items after the circumstance: the cough is when it is worse
        ("headaches worse in the morning or when bending over or coughing", ["headache"]),
        ("a dull ache in my chest that gets worse when I laugh, cough or breathe", ["chest_pain"]),
        # ... not a complaint of its own after the list ("and I have a cough")
        ("my back hurts when I walk and I have a cough", ["bone_pain", "chronic_cough"]),
        ("back pain that stops me from sleeping", ["bone_pain"]),
        ("vertical double vision for the previous 3 weeks", ["vision_changes"]),
        ("What I do not expect to find is my very own lump.", ["breast_lump"]),
        ("swollen, thickening skin near my lumpectomy scar", ["breast_lump"]),
        ("a boil, an inflamed lump under the skin with a white centre", []),
        ("transaminitis", ["elevated_liver_enzymes"]),
        ("Virchow's node", ["supraclavicular_lump"]),
        ("ostealgia", ["bone_pain"]),
        ("elevated intra-cranial pressure", ["increased_intracranial_pressure"]),
        ("pain on inspiration", ["chest_pain"]),
    ],
)
def test_circumstances_durations_and_clinical_terms(text, present):
    assert sorted(f for f, p, _ in read(text) if p) == present


def test_a_story_that_denies_then_reports_a_finding_reads_it_present():
    answer = report(narrative="At first there was no headache. Now I have a constant headache.")
    assert "finding:headache" in answer["facts"] and "absent:headache" not in answer["facts"]
    assert report(narrative="corrected serum calcium above 2.60 mmol/L")["facts"] == [
        "finding:hypercalcemia"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "She had headaches for 2 months prior to admission.",
        "Last year she had a headache which has persisted.",
        "In the past month she has had headaches.",
    ],
)
def test_a_duration_up_to_the_presentation_is_current(text):
    assert read_as(text) == [("headache", True)]
    (past,) = [r for r in READER.read("In the past she had headaches.") if r.past_finding]
    assert past.past_finding == "headache"


def test_a_ct_of_the_chest_is_no_lump_in_the_breast():
    assert read_as("CT chest demonstrated multiple lung nodules.") == [
        ("chest_xray_shows_metastasis", True)
    ]
    assert read("skin tethering of the breast") == [("breast_skin_changes", True, "composed")]


def test_a_denying_phrase_says_its_not_first():
    assert read_as("I'm sleeping well and not tired.") == [("fatigue", False)]
    assert read("not feeling well") == [("malaise", True, "exact")]
    assert read_as("appetite not good") == [("loss_of_appetite", True)]


def test_another_measure_of_a_lab_is_not_read_as_it():
    answer = report(narrative="ionised calcium 1.6 mmol/L and back pain")
    assert not any(
        fact.startswith(("lab:", "absent:", "finding:hyper")) for fact in answer["facts"]
    )
    assert read("deranged liver function") == [("elevated_liver_enzymes", True, "composed")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("breathing normally", [("shortness_of_breath", False)]),
        ("her breathing is fine", [("shortness_of_breath", False)]),
        ("I can't breathe normally", [("shortness_of_breath", True)]),
        ("the tumour is pressing on her spinal cord", [("spinal_cord_compression", True)]),
        ("no pressure on the spinal cord", [("spinal_cord_compression", False)]),
        ("some puckering near the scar", [("breast_skin_changes", True)]),
        ("dimples when I smile", []),  # a bare dimple could be anyone's: not read
    ],
)
def test_breathing_said_normal_pressure_on_the_cord_and_bare_skin_changes(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize("text", ["dimples in her cheeks", "swollen calves", "pain in my thighs"])
def test_a_place_no_finding_owns_is_known_in_the_plural_too(text):
    assert read(text) == []


@pytest.mark.parametrize("text", ["confused and forgetful", "she is very forgetful"])
def test_forgetfulness_is_a_change_of_mind(text):
    assert {f for f, _, _ in read(text)} == {"behavioral_changes"}
    assert read("I forgot my keys") == []


def test_a_clause_opening_with_it_is_read_with_what_it_stands_for():
    # "it" is the complaint before: its place is said, the bare reading goes
    assert read("I found a lump and it is in my armpit") == [("axillary_lump", True, "exact")]
    # "it" is the lump, not its place: a growing lump is no change in the breast's size
    text = "I have a lump in my breast and it is getting bigger."
    assert [f for f, _, _ in read(text)] == ["breast_lump"]
    # another finding said of it is added beside it
    text = "I have a cough. It brings up blood."
    assert [f for f, _, _ in read(text)] == ["chronic_cough", "hemoptysis"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She is eating well.", [("loss_of_appetite", False)]),
        ("she is not eating well", [("loss_of_appetite", True)]),
        ("There's nothing wrong with her memory.", [("behavioral_changes", False)]),
        ("a well defined lump in the breast", [("breast_lump", True)]),
    ],
)
def test_eating_well_and_nothing_wrong_deny_a_measure(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    "text", ["metastases on chest x-ray", "CXR: mets", "CXR: multiple nodules both lungs"]
)
def test_what_a_chest_x_ray_shows_is_its_finding_and_no_lump_of_the_chest(text):
    assert read(text) == [("chest_xray_shows_metastasis", True, read(text)[0][2])]


def test_not_seeing_well_is_a_change_of_sight_not_malaise():
    assert [f for f, _, _ in read("my back hurts and I can't see well")] == [
        "bone_pain",
        "vision_changes",
    ]
    assert read("I don't feel well") == [("malaise", True, "exact")]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("If you get a headache, call us.", "headache"),
        ("Call the team if she develops jaundice.", "jaundice"),
        ("I was told to watch out for headaches.", "headache"),
        ("I was worried it might be a lump but it wasn't.", "breast_lump"),
    ],
)
def test_a_complaint_said_as_a_possibility_is_listed_not_counted(text, named):
    readings = [r for r in READER.read(text) if r.finding or r.past_finding]
    assert [(r.how, r.past_finding) for r in readings] == [("hypothetical", named)]


@pytest.mark.parametrize(
    "text",
    [
        "I don't know if it's related, but my back hurts",  # the scope ends at the turn
        "if so, she has back pain",  # ConText's pseudo-trigger
        "I have back pain if I stand up",  # said after the complaint: when, not whether
    ],
)
def test_an_if_that_says_no_possibility_of_the_complaint_leaves_it_present(text):
    assert read_as(text) == [("bone_pain", True)]


def test_a_story_of_possibilities_only_is_an_error_that_names_them():
    result = CliRunner().invoke(main, ["assess", "--text", "If you get a headache, call us."])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and "said as a possibility" in result.output
    assert "headache" in result.output.lower()


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("red skin over my thigh bone", "bone_erythema"),
        ("redness over the vertebrae", "bone_erythema"),
        ("a swollen shin bone", "bone_swelling"),
        ("swelling over the femur", "bone_swelling"),
    ],
)
def test_redness_and_swelling_are_read_over_any_bone_that_pain_is(text, finding):
    assert read_as(text) == [(finding, True)]


def test_the_text_report_shows_what_each_sentence_of_a_story_was_read_as():
    story = "my mum has had a bad cough for two months and she gets out of breath going upstairs"
    result = CliRunner().invoke(main, ["assess", "--text", story], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert '"she gets out of breath going upstairs": Shortness of breath' in result.output
    synonym = CliRunner().invoke(main, ["assess", "seizures"], env={"COLUMNS": "100"})
    assert 'Entered: Convulsions ("seizures")' in synonym.output  # the article's word for it
    plain = CliRunner().invoke(main, ["assess", "convulsions"], env={"COLUMNS": "100"})
    assert "Read as:" not in plain.output  # a finding's own name: "Entered:" names it


@pytest.mark.parametrize(
    "text",
    [
        "She has been losing weight without trying, going off her food and is so tired.",
        "I've lost weight for no reason and I'm tired",
    ],
)
def test_a_denied_reason_or_effort_denies_no_finding(text):
    assert all(p for _, p, _ in read(text)) and len(read(text)) >= 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("she walks without help and has back pain", [("bone_pain", True)]),
        ("she has no children and has a cough", [("chronic_cough", True)]),
        ("no lumps and is otherwise well", [("breast_lump", False)]),
        ("no fever, cough or weight loss", [("chronic_cough", False), ("weight_loss", False)]),
    ],
)
def test_a_clause_with_a_verb_of_its_own_is_out_of_an_earlier_denials_reach(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("No known allergies, takes tamoxifen, tender over the lumbar spine", "bone_pain"),
        ("never smoked, drinks rarely, now coughing up blood", "hemoptysis"),
        ("nothing helps the pain in my hip", "bone_pain"),
        ("no painkillers help my back pain", "bone_pain"),
    ],
)
def test_a_denial_of_something_else_leaves_a_later_complaint_present(text, finding):
    assert read_as(text) == [(finding, True)]


def test_a_kind_of_cough_keeps_its_word_beside_the_blood_in_the_sputum():
    text = "cough productive of blood-flecked white sputum"
    assert sorted(f for f, _, _ in read(text)) == ["chronic_cough", "hemoptysis"]
    assert [f for f, _, _ in read("coughing up blood")] == ["hemoptysis"]
    assert read("a non-productive cough") == [("chronic_cough", True, "exact")]  # not denied


def test_the_common_misspelling_spinal_chord_is_written_out_and_shown():
    (reading,) = READER.read("pressure on my spinal chord")
    assert reading.finding == "spinal_cord_compression" and reading.via


@pytest.mark.parametrize(
    ("text", "finding", "not_said"),
    [
        ("My back hurts. It keeps getting worse.", "bone_pain", ("severe",)),
        ("I have a headache. It is getting worse every day.", "headache", ()),
        ("I have had a cough. It has been going on for months.", "chronic_cough", ()),
        # in a later clause of the next sentence
        (
            "I have a headache. I went to bed but it kept getting worse.",
            "headache",
            ("persistent",),
        ),
        ("My back hurts. I rested, and it keeps getting worse.", "bone_pain", ("severe",)),
        # a headache that comes more often progresses
        ("I have headaches. They are getting more frequent.", "headache", ("persistent",)),
        ("headaches that come more often and last longer", "headache", ("persistent",)),
    ],
)
def test_what_the_next_sentence_says_of_it_qualifies_the_complaint(text, finding, not_said):
    (reading,) = [r for r in READER.read(text) if r.finding]
    assert (reading.finding, reading.present, reading.not_said) == (finding, True, not_said)


def test_the_complaint_named_again_with_the_is_the_one_before():
    # "the lump" is the armpit lump, not a new lump of no place
    for again in ("The lump is growing.", "This lump is new.", "My lump is growing."):
        text = f"I found a lump in my armpit. {again}"
        assert [f for f, _, _ in read(text)] == ["axillary_lump"]
    text = "I found a lump in my armpit. The lump in my breast is new."  # a place of its own
    assert [f for f, _, _ in read(text)] == ["axillary_lump", "breast_lump"]
    # ... and what is said of it qualifies it
    (pain,) = READER.read(
        "I developed backache. The pain was worse at night and kept getting worse."
    )
    assert (pain.finding, pain.not_said) == ("bone_pain", ("severe",))
    # a possessive names it again as "the" does
    (pain,) = READER.read("I started getting back pain. My pain is getting worse.")
    assert (pain.finding, pain.not_said) == ("bone_pain", ("severe",))
    (pain,) = READER.read("She has had back pain for weeks. Her pain is severe.")
    assert (pain.finding, pain.not_said) == ("bone_pain", ("increasing",))
    # ... and another complaint so named is read as itself
    text = "I have back pain. My headache is new."
    assert [f for f, _, _ in read(text)] == ["bone_pain", "headache"]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("twinges in my hip", "bone_pain"),
        ("my head is pounding", "headache"),
        ("I've got a bad back", "bone_pain"),
        ("I get puffed out easily", "shortness_of_breath"),
        ("I see flashing lights", "vision_changes"),
        ("my jeans are loose", "weight_loss"),
        ("my clothes are hanging off me", "weight_loss"),
    ],
)
def test_everyday_words_for_pain_breath_sight_and_weight(text, finding):
    assert read_as(text) == [(finding, True)]


@pytest.mark.parametrize(
    "text", ["a loose tooth", "the music was pounding", "bad knee", "a ring on my finger"]
)
def test_those_words_said_of_nothing_of_the_article_are_not_read(text):
    assert read(text) == []


def test_icp_alone_is_asked_and_raised_icp_is_read():
    # "ICP": intracranial pressure or intrahepatic cholestasis of pregnancy (Meta-Inventory)
    with pytest.raises(AmbiguousText):
        report(findings=["ICP"])
    assert read("raised ICP") == [("increased_intracranial_pressure", True, "exact")]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I don't think my back pain is serious", "bone_pain"),
        ("I didn't tell anyone about the lump in my armpit", "axillary_lump"),
        ("I never thought the cough was serious", "chronic_cough"),
        ("I'm not worried about my headaches", "headache"),
    ],
)
def test_a_denied_thought_worry_or_telling_denies_no_complaint(text, finding):
    assert read_as(text) == [(finding, True)]
    assert read("I didn't notice any lumps")[0][1] is False  # a denied noticing denies


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("No treatment has helped my headache", [("headache", True)]),
        ("no cause was found for my cough", [("chronic_cough", True)]),
        ("no headache was reported", [("headache", False)]),
        ("no lumps are felt in the breast", [("breast_lump", False)]),
    ],
)
def test_a_denied_subject_that_is_no_finding_denies_only_itself(text, expected):
    assert read_as(text) == expected


def test_a_complaint_taken_away_is_past():
    text = "She had a lump removed from her breast in 2015 and now has a lump in her armpit"
    assert [
        (r.how, r.finding or r.past_finding) for r in READER.read(text) if r.how != "not_read"
    ] == [
        ("past", "breast_lump"),
        ("exact", "axillary_lump"),
    ]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("No cough. It's fine.", "chronic_cough"),
        ("No cough and it's fine.", "chronic_cough"),
        ("She has no breast lump. This is good news.", "breast_lump"),
        ("No back pain, it's fine.", "bone_pain"),
        ("She has no headache. It resolved last week.", "headache"),
    ],
)
def test_it_after_a_denial_keeps_the_denial(text, finding):
    assert read_as(text) == [(finding, False)]


@pytest.mark.parametrize(
    "text",
    [
        "If she has a headache, call us.",
        "Let us know if she has any back pain or confusion.",
        "If there is a lump, we will biopsy it.",
        "In case she has a seizure, keep her safe.",
    ],
)
def test_a_possibility_reaches_past_she_has_to_the_end_of_its_clause(text):
    assert read(text) == []
    assert {r.how for r in READER.read(text) if r.past_finding} == {"hypothetical"}


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Take paracetamol as needed for the back pain.", "bone_pain"),
        ("I'm not sure whether my back pain is getting worse.", "bone_pain"),
        ("No headaches, the back pain is new.", "bone_pain"),
    ],
)
def test_a_hedged_or_scheduled_complaint_is_present(text, finding):
    assert (finding, True) in read_as(text)


def test_now_in_a_list_of_denials_ends_nothing():
    assert read_as("No headache now or back pain.") == [
        ("bone_pain", False),
        ("headache", False),
    ]


@pytest.mark.parametrize(
    "text",
    ["My back hurts. It is not severe.", "My back pain is not getting worse."],
)
def test_a_denied_qualifier_is_not_said(text):
    (pain,) = [r for r in READER.read(text) if r.finding]
    assert pain.present and pain.not_said == ("severe", "increasing")


@pytest.mark.parametrize(
    "text",
    [
        "My heart is pounding in my chest.",
        "I muddled up the dates.",
        "I'm weary of waiting for results.",
        "Flashing lights at the concert.",
        "The jeans I bought are too big.",
    ],
)
def test_everyday_words_of_other_things_are_not_read(text):
    assert read(text) == []


@pytest.mark.parametrize(
    "text", ["I stubbed my toe. It is swollen.", "I cut my finger. It is red."]
)
def test_it_of_a_place_no_finding_owns_is_not_read(text):
    assert read(text) == []


def test_a_clause_with_its_own_verb_keeps_its_place_from_the_complaint_before():
    text = "I have a lump in my breast and it is not in my armpit."
    assert read_as(text) == [("breast_lump", True)]
    text = "a lump in my breast, my armpit and my neck"  # a list of places: each read
    assert sorted(f for f, _, _ in read(text)) == [
        "axillary_lump",
        "breast_lump",
        "swollen_lymph_nodes",  # the neck's: a swollen gland
    ]


@pytest.mark.parametrize(
    ("text", "how"),
    [
        ("Whether or not she has a lump, I'm tired.", "hypothetical"),
        ("I had a headache. It isn't there now.", "past"),
    ],
)
def test_whether_or_not_is_a_possibility_and_not_there_now_an_ending(text, how):
    assert how in {r.how for r in READER.read(text)}


@pytest.mark.parametrize(
    "text",
    [
        "I had a cough last year. It is back now.",
        "I had a lump removed last year. It has come back.",
    ],
)
def test_a_complaint_that_came_back_is_current(text):
    assert [(p, how) for _, p, how in read(text)] == [(True, "exact")]


def test_a_complaint_named_again_after_words_of_its_own_came_back():
    story = "I had pain in my hip in March and it went away. In June the pain came back."
    assert read_as(story) == [("bone_pain", True)]
    assert read_as("By the end of June the pain was back.") == []  # whose pain: not said


@pytest.mark.parametrize(
    "text",
    ["I had a cough last year. It is fine now.", "I was worried it might be a lump. It was."],
)
def test_it_never_makes_a_past_or_possible_complaint_current_without_saying_so(text):
    assert read(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Is there a lump? No.", [("breast_lump", False)]),
        ("cough? no", [("chronic_cough", False)]),
        (
            "Do you have back pain? Yes. Any cough? No.",
            [("bone_pain", True), ("chronic_cough", False)],
        ),
        ("What is causing my headaches? I have had them for months.", [("headache", True)]),
        # ... or answered by a denial of any: "any" stands for what was asked
        (
            "Any lumps in her breasts? She says she hasn't noticed anything.",
            [("breast_lump", False)],
        ),
        ("Any headaches? Nothing at all.", [("headache", False)]),
        ("Any headaches? I don't know.", [("headache", True)]),  # no denial: still asked
    ],
)
def test_a_question_answered_no_is_a_denial(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize("text", ["Imp: ?hypercalcaemia", "?fracture of the hip"])
def test_a_clinical_query_is_a_possibility(text):
    assert read(text) == []
    assert {r.how for r in READER.read(text) if r.past_finding} == {"hypothetical"}


@pytest.mark.parametrize(
    ("text", "finding"),
    [("backpain", "bone_pain"), ("chestpain", "chest_pain"), ("weightloss", "weight_loss")],
)
def test_two_words_typed_as_one_are_written_out_and_shown(text, finding):
    (reading,) = READER.read(text)
    assert (reading.finding, reading.how) == (finding, "variant")
    assert reading.via and reading.via[0].startswith(f"{text}: ")
    assert read("headache") == [("headache", True, "exact")]  # a word of its own: kept


@pytest.mark.parametrize(
    ("text", "finding"),
    [("tierd all the time", "fatigue"), ("vommiting", "nausea_vomiting")],
)
def test_a_typo_of_a_word_as_written_is_corrected_to_it(text, finding):
    (reading,) = READER.read(text)
    assert (reading.finding, reading.how) == (finding, "corrected")


def test_a_measure_word_alone_suggests_nothing_in_a_piece_not_read():
    # "down", "up": a measure's word ("weight down", "calcium up") with no measure named
    text = "I kept getting headaches, which I put down to stress. I had to sleep sitting up."
    unread = [r for r in READER.read(text) if r.how == "not_read"]
    assert [r.text for r in unread] == ["which I put down to stress", "I had to sleep sitting up"]
    assert all(r.choices == () for r in unread)
    # a complaint word alone still suggests what it may be
    (pain,) = [r for r in READER.read("the pain keeps me awake") if r.how == "not_read"]
    assert "bone_pain" in pain.choices


@pytest.mark.parametrize(
    "text",
    [
        "no lumps, but there is a rash on my breast",  # the rash is a finding's, no cause
        "no lumps or bumps but ive got a rash on my breast",
        "no lumps but I have a cough",  # the cough is its own statement, no place of the lump
    ],
)
def test_a_denied_lump_is_read_beside_another_finding(text):
    assert ("breast_lump", False) in read_as(text)


def test_a_cause_or_another_place_in_the_statement_still_keeps_a_bare_complaint_out():
    assert read_as("a boil, an inflamed lump under the skin with a white centre") == []
    assert read_as("swollen fingers and a lump in my breast") == [("breast_lump", True)]


@pytest.mark.parametrize(
    ("text", "present"),
    [
        # "while" after "a" is a noun: no clause ends there, nor is what follows a circumstance
        (
            "I've had a continuous cough for a while and I am breathless",
            [("chronic_cough", True), ("shortness_of_breath", True)],
        ),
        ("headache for a while and I feel sick", [("headache", True), ("nausea_vomiting", True)]),
        # a circumstance stays one within its clause
        ("I get a headache while coughing", [("headache", True)]),
    ],
)
def test_a_while_is_a_time_and_a_circumstance_keeps_to_its_clause(text, present):
    assert read_as(text) == present


def test_the_pain_is_the_last_complaint_named_even_a_sentence_further_back():
    text = (
        "I started to get pain in my right hip. X-rays showed arthritis."
        " Gradually, the pain got worse."
    )
    (pain,) = [r for r in READER.read(text) if r.finding]
    assert (pain.finding, pain.present, pain.not_said) == ("bone_pain", True, ("severe",))


def test_damage_to_the_spinal_cord_is_its_compression_as_patients_tell_it():
    assert read_as("They told me there was no spinal chord damage.") == [
        ("spinal_cord_compression", False)
    ]
    assert read_as("the tumour was damaging my spinal cord") == [("spinal_cord_compression", True)]
    assert read_as("nerve damage in my feet") == []


def test_a_headache_every_morning_is_persistent():
    (headache,) = READER.read("I wake up with a headache every morning")
    assert (headache.finding, headache.not_said) == ("headache", ("progressive",))


@pytest.mark.parametrize(
    "text",
    [
        "I found a lump on my back. The lump looked like a cyst.",
        "I found a lump on my back. It is growing.",
    ],
)
def test_a_complaint_of_a_place_no_finding_owns_stays_unread_when_named_again(text):
    assert read_as(text) == []


def test_a_complaint_of_a_place_no_finding_owns_is_read_once_given_a_findings_place():
    assert read_as("I found a lump on my back. It is in my armpit.") == [("axillary_lump", True)]


def others(text: str) -> list[str | None]:
    """The findings a text tells of someone else."""
    return [r.past_finding for r in READER.read(text) if r.how == "other"]


def test_a_relatives_complaint_is_hers_when_the_teller_tells_her_own():
    text = "My sister found a lump in her breast. I have had a cough for weeks."
    assert others(text) == ["breast_lump"]
    assert read_as(text) == [("chronic_cough", True)]
    assert others("I have a headache, and my daughter has a cough.") == ["chronic_cough"]
    # the teller's own words, contracted too
    assert others("I've had a cough for weeks and my sister found a lump") == ["breast_lump"]
    assert others("I'm breathless and my mum has a headache") == ["headache"]
    # a relative who is not the subject tells nothing of herself
    assert others("I went with my husband to the GP because I had back pain.") == []


def test_a_story_told_of_a_relative_alone_is_the_patients():
    text = "My mum has been getting headaches and she is being sick."
    assert others(text) == []
    assert read_as(text) == [("headache", True), ("nausea_vomiting", True)]
    assert read_as("My mum has headaches. I took her to the GP.") == [("headache", True)]


def test_a_family_history_is_always_someone_elses():
    text = "FHx: mother had breast cancer with bone pain. She has a lump in her armpit."
    assert others(text) == ["bone_pain"]
    assert read_as(text) == [("axillary_lump", True)]
    result = CliRunner().invoke(main, ["assess", "--text", "Family history of bone pain."])
    assert result.exit_code == 2
    assert "said of someone else" in result.output


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I'm winded after a flight of stairs", "shortness_of_breath"),
        ("gasping for air", "shortness_of_breath"),
        ("he's been acting strange", "behavioral_changes"),
        ("I feel washed out", "fatigue"),
    ],
)
def test_everyday_idioms_of_breathlessness_behaviour_and_tiredness(text, finding):
    assert read_as(text) == [(finding, True)]


def test_fit_as_a_verb_is_no_seizure():
    assert read_as("my clothes don't fit anymore") == []
    assert read_as("she had a fit yesterday and her clothes fitted") == [("convulsions", True)]
    assert read_as("no fits") == [("convulsions", False)]
    assert read_as("she did not have a fit") == [("convulsions", False)]


def test_a_smaller_dress_size_is_a_loss_of_weight():
    assert read_as("I've dropped two dress sizes") == [("weight_loss", True)]
    assert read_as("my dress size is the same") == [("weight_loss", False)]


@pytest.mark.parametrize(
    "text",
    [
        "I'm sick of waiting for results",
        "I am sick and tired of hospitals",
        "I'm tired of explaining myself",
        "I was weak at the knees when he proposed",
        "we got a lump sum from the insurance",
        "I was confused by what the doctor said",
        "I'm worried sick",
    ],
)
def test_idioms_that_hold_a_findings_word_name_no_finding(text):
    assert read_as(text) == []


def test_the_findings_words_outside_the_idioms_are_still_read():
    assert read_as("I'm tired and sick") == [("fatigue", True), ("nausea_vomiting", True)]
    assert read_as("she was confused and drowsy") == [("behavioral_changes", True)]


def test_irritability_is_a_change_of_behaviour_but_an_irritable_bowel_is_not():
    assert read_as("He noticed I was more irritable than usual") == [("behavioral_changes", True)]
    assert read_as("I have irritable bowel syndrome") == []


def test_pain_in_the_lungs_is_chest_pain_and_fluid_on_the_lung_suggests_nothing():
    assert read_as("pain in my lungs") == [("chest_pain", True)]
    readings = READER.read("An X-ray showed fluid on her lung.")
    assert [(r.how, r.choices) for r in readings] == [("not_read", ())]


def test_pain_in_the_neck_is_pain_of_the_cervical_spine_but_a_stiff_neck_is_not():
    assert read_as("severe pains in my neck and shoulders") == [("bone_pain", True)]
    assert read_as("sore throat and a stiff neck") == []
    assert read_as("he is a pain in the neck") == []
    assert read_as("a lump in my neck") == [("swollen_lymph_nodes", True)]  # a swollen gland


@pytest.mark.parametrize(
    "text",
    [
        "she felt bad and was hospitalized",
        "I've been feeling really rough for weeks",
        "Mum felt dreadful after chemo",
        "I was feeling poorly",
    ],
)
def test_a_person_who_feels_awful_feels_ill(text):
    assert read_as(text) == [("malaise", True)]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("I don't feel bad", [("malaise", False)]),
        ("I feel bad about missing the appointment", []),  # sorry, not ill
        ("the pain feels terrible", []),  # the pain's word, not a person's
        ("it feels awful", []),
        ("My back feels bad", [("bone_pain", True)]),
        # ... and said after a list of other feelings
        ("I feel shaky and horrible", [("malaise", True)]),
        ("I feel like crap", [("malaise", True)]),
        # not well said of something else done badly; as how she seems, it is
        ("I'm not sleeping well", []),
        ("the wound is not healing well", []),
        ("she doesn't sound well", [("malaise", True)]),
    ],
)
def test_feeling_bad_is_ill_only_when_a_person_feels_it(text, read):
    assert read_as(text) == read


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("liquid coming out of my nipple", [("nipple_discharge", True)]),
        ("something is seeping from my nipple", [("nipple_discharge", True)]),
        ("no fluid leaking from the nipple", [("nipple_discharge", False)]),
        # coming out is what a lump or a rash does too: not a discharge
        ("a lump coming out of my nipple", [("breast_lump", True)]),
        ("my nipple is coming out in a rash", [("breast_skin_changes", True)]),
    ],
)
def test_a_fluid_that_leaks_or_seeps_from_the_nipple_is_its_discharge(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    "text", ["travel sickness", "I get car sick", "morning sickness", "seasick on the ferry"]
)
def test_a_sickness_named_for_its_cause_is_no_finding(text):
    assert read_as(text) == []


def test_being_sick_in_the_morning_is_still_read():
    assert read_as("I keep being sick in the mornings") == [("nausea_vomiting", True)]


@pytest.mark.parametrize(
    "text",
    [
        "I've lost weight on purpose",
        "I lost weight because I've been dieting",
        "I'm on a diet and have lost a stone",
        "I've been trying to lose weight",
        "I've lost weight since I started going to the gym",
    ],
)
def test_weight_lost_on_purpose_is_no_symptom_and_is_shown_as_such(text):
    readings = [r for r in READER.read(text) if r.past_finding or r.finding]
    assert [(r.finding, r.how, r.past_finding) for r in readings] == [
        (None, "intended", "weight_loss")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "I've lost weight without dieting",
        "losing weight without trying",
        "I'm not dieting but I've lost a lot of weight",
        "I was dieting last year, but now I'm losing weight",
    ],
)
def test_weight_lost_without_meaning_to_is_the_symptom(text):
    assert read_as(text) == [("weight_loss", True)]


def test_a_word_in_a_denied_list_that_names_no_finding_is_shown_not_read():
    readings = READER.read("She denies bone pain, fevers or weight loss")
    assert [(r.finding, r.present) for r in readings if r.finding] == [
        ("bone_pain", False),
        ("weight_loss", False),
    ]
    assert [r.text for r in readings if r.how == "not_read"] == ["fevers"]


@pytest.mark.parametrize(
    ("text", "finding", "not_said"),
    [
        # "worse" with when it is worse: not that it is getting worse
        (
            "my headaches are worse when I cough or bend over",
            "headache",
            ("persistent", "progressive"),
        ),
        ("back pain worse at night", "bone_pain", ("severe", "increasing")),
        ("my back pain is worse after walking", "bone_pain", ("severe", "increasing")),
        # ... getting worse still is
        ("back pain that gets worse every week", "bone_pain", ("severe",)),
        ("headache that is getting worse and worse when I lie down", "headache", ("persistent",)),
    ],
)
def test_worse_at_a_time_or_when_doing_something_is_not_getting_worse(text, finding, not_said):
    (reading,) = [r for r in READER.read(text) if r.finding]
    assert (reading.finding, reading.not_said) == (finding, not_said)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my tummy is uncomfortable", [("abdominal_pain", True)]),
        ("my chest feels uncomfortable", [("chest_pain", True)]),
        ("I feel uncomfortable talking about it", []),  # no body place: no complaint
        ("an uncomfortable chair", []),
    ],
)
def test_a_place_that_is_uncomfortable_is_its_discomfort(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "my back pain has disappeared",
        "the lump vanished after a week",
        "the headaches have all gone",
    ],
)
def test_a_complaint_that_disappeared_is_past(text):
    assert [r.how for r in READER.read(text)] == ["past"]


def test_a_skin_that_has_gone_yellow_is_jaundice_now():
    assert read_as("my skin has gone yellow") == [("jaundice", True)]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I'm not getting enough air", "shortness_of_breath"),  # its "not" is the complaint's
        ("I can't get enough air", "shortness_of_breath"),
        ("air hunger", "shortness_of_breath"),
        ("dysmetria and dysdiadochokinesia on the left", "ataxia"),  # the signs of ataxia
    ],
)
def test_words_for_a_finding_from_cited_lists(text, finding):
    assert read_as(text) == [(finding, True)]


@pytest.mark.parametrize(
    "text",
    [
        "headache made worse by coughing",
        "headache aggravated by straining or coughing",  # the list the aggravation opens
        "headache made worse by bending, coughing or sneezing",
        "headaches worse with coughing",
    ],
)
def test_what_makes_a_complaint_worse_is_its_circumstance_not_a_finding(text):
    assert read_as(text) == [("headache", True)]


def test_a_complaint_after_an_aggravation_in_a_statement_of_its_own_is_read():
    assert sorted(read_as("back pain made worse by coughing and a lump in my breast")) == [
        ("bone_pain", True),
        ("breast_lump", True),
    ]
    assert read_as("pain when I walk and a cough") == [("chronic_cough", True)]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # a denied intent is no intent: the weight was lost without meaning to
        ("I'm losing weight without a significant change in my diet", "weight_loss"),
        ("I lost weight without trying to diet", "weight_loss"),
        # "difference", the noun of "different", is a change of the breast's size or shape
        ("there is a difference in size between my breasts", "breast_size_shape_change"),
        # what a breast discharges comes out of its nipple
        ("blood-stained discharge from one breast", "nipple_discharge"),
        # under the ribs is the belly (the hypochondrium), not the ribs
        ("pain beneath my ribs", "abdominal_pain"),
    ],
)
def test_everyday_families_read_as_their_finding(text, finding):
    assert read_as(text) == [(finding, True)]


def test_an_intent_still_counts_when_not_denied():
    (reading,) = READER.read("I've lost weight on a diet")
    assert (reading.how, reading.past_finding) == ("intended", "weight_loss")
    assert read_as("fluid in my breast") == []  # no discharge said


def test_the_full_stops_of_a_shortened_form_end_no_sentence():
    # "e.g." inside a sentence: the denial before it reaches the list after it
    text = "no residual symptoms e.g. headache, nausea, dizziness."
    assert all(not present for _, present in read_as(text))
    assert {f for f, _ in read_as(text)} == {"headache", "nausea_vomiting", "vertigo"}
    # "etc." may end a sentence: the next one is not denied
    assert ("bone_pain", True) in read_as("no headache, nausea etc. Back pain is bad.")


def test_a_measure_said_in_its_levels_is_denied_by_a_normal_state():
    assert sorted(read_as("normal levels of liver enzymes and serum bilirubin")) == [
        ("elevated_bilirubin", False),
        ("elevated_liver_enzymes", False),
    ]
    assert read_as("raised levels of liver enzymes") == [("elevated_liver_enzymes", True)]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("skin thickening", "breast_skin_changes"),  # a change of the skin, not a lump
        ("thickening of the skin", "breast_skin_changes"),
        ("a thickening in my breast", "breast_lump"),  # the article's thickening
        ("cephalea", "headache"),
        ("status epilepticus", "convulsions"),
    ],
)
def test_more_words_from_cited_lists(text, finding):
    assert read_as(text) == [(finding, True)]


def test_a_measure_of_two_words_is_one_measure_said_normal():
    # "visual acuity" is one measure (the longest first), not "visual" and a word after it
    assert read_as("Visual acuity normal, all cranial nerves normal") == [("vision_changes", False)]
    assert read_as("reduced visual acuity") == [("vision_changes", True)]


def test_the_short_items_of_a_list_are_not_in_the_way_of_its_last_item():
    assert read_as("changes in my alertness, mental capacity, speech or personality") == [
        ("behavioral_changes", True)
    ]
    # not across a clause that is no list: the lump is the breast's, the arm has numbness
    assert read_as(
        "I found a lump in my right breast and was also getting pains and numbness under my "
        "right arm."
    ) == [("breast_lump", True)]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Sternum pain for 4 months.", "bone_pain"),  # the breastbone is a bone
        ("my collarbone hurts", "bone_pain"),
        ("a pain behind my breastbone", "chest_pain"),  # behind it is the chest
    ],
)
def test_pain_of_the_breastbone_and_collarbone(text, finding):
    assert read_as(text) == [(finding, True)]
    assert read_as("a painful lump above my collarbone") == [("supraclavicular_lump", True)]


def test_a_jerking_limb_is_a_seizure_and_a_twitch_alone_is_not():
    assert read_as("my arm started jerking") == [("convulsions", True)]
    assert read_as("no jerking of the limbs") == [("convulsions", False)]
    assert read_as("my leg twitches at night") == []


def test_an_armpit_or_a_breast_said_normal_denies_a_lump_there():
    text = "Bilateral breasts contained no lumps, and the axillae were normal."
    assert sorted(read_as(text)) == [
        ("axillary_lump", False),
        ("breast_lump", False),
    ]
    assert sorted(read_as("lump in my breast, armpit normal")) == [
        ("axillary_lump", False),
        ("breast_lump", True),
    ]
    # an examined place is still a place: a bare word said of it is not another finding
    # (not bone swelling: the swollen breast, as "my breast became swollen" reads)
    assert sorted(read_as("my breast looks red and swollen")) == [
        ("breast_size_shape_change", True),
        ("breast_skin_changes", True),
    ]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("stethalgia", "chest_pain"),  # Wikipedia's "Other names" of chest pain
        ("inappetence", "loss_of_appetite"),
        ("my backbone hurts", "bone_pain"),  # WordNet: "spine, backbone"
        ("transaminase elevation", "elevated_liver_enzymes"),
        ("lymph node enlargement", "swollen_lymph_nodes"),
    ],
)
def test_the_names_references_give_a_finding(text, finding):
    assert read_as(text) == [(finding, True)]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("drained of energy", "fatigue"),
        ("hard to balance", "ataxia"),
        ("indentation of my nipple", "breast_skin_changes"),
        ("lost half my field of vision", "vision_changes"),
        ("new asymmetry of the breasts", "breast_size_shape_change"),
        ("loss of concentration", "behavioral_changes"),
        ("no interest in food", "loss_of_appetite"),
    ],
)
def test_everyday_words_from_patient_pages(text, finding):
    assert read_as(text) == [(finding, True)]


@pytest.mark.parametrize("text", ["the fluid was drained", "I'm weary of waiting for results."])
def test_words_that_are_no_symptom_here(text):
    assert read_as(text) == []


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Hx of wt. loss", "weight_loss"),  # an abbreviation's full stop ends no sentence
        ("I'm hardly eating at all", "loss_of_appetite"),
        ("the bone in my arm shattered", "pathological_fracture"),
        ("partial blindness", "vision_changes"),
    ],
)
def test_notes_and_everyday_words_from_the_fourth_batch(text, finding):
    (reading,) = [r for r in READER.read(text) if r.finding]
    assert (reading.finding, reading.present) == (finding, True)


def test_a_disabling_pain_is_no_weakness():
    assert read_as("a debilitating headache") == [("headache", True)]


def test_the_name_of_the_disease_is_no_place_of_a_complaint():
    text = "the painful lump under my arm because I was too young for breast cancer"
    assert read_as(text) == [("axillary_lump", True)]
    assert read_as("I have breast cancer and a lump in my breast") == [("breast_lump", True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cramps in my belly", [("abdominal_pain", True)]),
        ("leg cramps", []),  # a muscle's cramp, no finding
        ("I've been getting migraines", [("headache", True)]),
    ],
)
def test_cramps_and_migraines(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I find it difficult to lift objects or climb stairs", [("weakness", True)]),
        ("struggling to get up from a chair", [("weakness", True)]),
        ("no difficulty climbing stairs", [("weakness", False)]),
        ("trouble remembering things", [("behavioral_changes", True)]),
        ("I'm having difficulty concentrating", [("behavioral_changes", True)]),
        # not a complaint: a late morning, and a walk that may be weakness, ataxia or pain
        ("I didn't get out of bed until noon", []),
        ("I can't remember when it started", []),
    ],
)
def test_what_a_symptom_makes_hard_to_do_names_it(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pain or a feeling of fullness beneath my ribs", [("abdominal_pain", True)]),
        ("pain with fullness below my ribs", [("abdominal_pain", True)]),
        ("an ache behind my breastbone", [("chest_pain", True)]),
        ("pain in my ribs", [("bone_pain", True)]),
        ("a lump above my collarbone", [("supraclavicular_lump", True)]),
    ],
)
def test_a_word_that_puts_a_place_elsewhere_is_not_the_place_itself(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I have dimpling and a lump in my breast",
            [("breast_skin_changes", True), ("breast_lump", True)],
        ),
        (
            "redness and a lump in my breast",
            [("breast_skin_changes", True), ("breast_lump", True)],
        ),
        # not shared: a place of its own between, or the first item read already
        ("redness on my leg and a lump in my breast", [("breast_lump", True)]),
        (
            "a breast lump, nipple bleeding",
            [("breast_lump", True), ("nipple_discharge", True)],
        ),
    ],
)
def test_a_place_said_once_after_two_complaints_is_the_place_of_both(text, expected):
    assert read_as(text) == expected


def test_a_bare_complaint_before_a_list_item_with_a_place_takes_that_place():
    (lump,) = [
        r for r in READER.read("a lump and dimpling in my breast") if r.finding == "breast_lump"
    ]
    assert "in the breast or axilla" not in lump.not_said
    (denied,) = [r for r in READER.read("no lumps, my breast is red") if r.finding == "breast_lump"]
    assert denied.text == "no lumps"  # a statement of its own: its place is not the lumps'


def test_a_throat_cleared_is_an_action_not_a_complaint_that_cleared_up():
    assert read_as("blood in my sputum in the morning when clearing my throat") == [
        ("hemoptysis", True)
    ]
    assert read_as("I have a cough but it cleared up") == []


@pytest.mark.parametrize(
    "text", ["a wound on my leg", "a stab wound", "fit to return to work", "he is fit for work"]
)
def test_a_word_with_a_meaning_of_its_own_is_not_a_findings_inflection(text):
    # "wound" is not what the wind did ("winded"); fit, the adjective, is no fit had
    assert read_as(text) == []


def test_the_words_kept_apart_still_read_their_findings():
    assert read_as("I feel winded") == [("shortness_of_breath", True)]
    assert read_as("the patient was fitting") == [("convulsions", True)]
    assert read_as("my liver enzymes rose") == [("elevated_liver_enzymes", True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Troisier's sign", [("supraclavicular_lump", True)]),
        ("internal mammary lymphadenopathy", [("internal_mammary_lump", True)]),
        ("enlarged parasternal nodes", [("internal_mammary_lump", True)]),
        ("GTCS", [("convulsions", True)]),
        ("SOBAR", [("shortness_of_breath", True)]),
    ],
)
def test_cited_clinical_names_signs_and_abbreviations(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize("text", ["NV", "TTP over the lumbar spine", "c/o LOM"])
def test_an_abbreviation_of_the_meta_inventory_with_several_meanings_is_asked(text):
    with pytest.raises(AmbiguousText):
        report(findings=[text])


@pytest.mark.parametrize(
    "text", ["single radial hemolysis", "lentigo maligna", "cambridge apraxia battery"]
)
def test_a_word_two_letters_from_a_findings_word_is_not_corrected_into_it(text):
    assert read_as(text) == []


def test_a_misspelt_finding_word_is_still_corrected():
    assert read("chornic cough") == [("chronic_cough", True, "corrected")]
    assert read("hedache") == [("headache", True, "corrected")]


def test_a_hash_before_a_number_is_a_number_sign_not_a_fracture():
    assert read_as("tylenol #3") == []
    assert read_as("room #12") == []
    assert read_as("#rib") == [("pathological_fracture", True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "my breast looks red and swollen",
            [("breast_skin_changes", True), ("breast_size_shape_change", True)],
        ),
        (
            "a lump in my breast and redness",
            [("breast_lump", True), ("breast_skin_changes", True)],
        ),
        # a place of its own, or a statement of its own, after the list
        ("a lump in my breast and red eyes", [("breast_lump", True)]),
        ("I have a lump in my breast and it is getting bigger.", [("breast_lump", True)]),
        ("swollen fingers and a lump in my breast", [("breast_lump", True)]),
    ],
)
def test_a_place_said_before_a_list_of_complaints_is_the_place_of_each(text, expected):
    assert sorted(read_as(text)) == sorted(expected)


@pytest.mark.parametrize(
    "text", ["lung metastases", "a shadow on my lung", "pulmonary nodules", "lung mets"]
)
def test_what_imaging_shows_in_the_lungs_is_the_chest_xray_finding(text):
    assert read_as(text) == [("chest_xray_shows_metastasis", True)]


def test_a_visit_to_a_doctor_about_a_complaint_dates_its_telling_not_its_end():
    text = "In October last year my mum went to the doctor about pain in her abdomen."
    assert read_as(text) == [("abdominal_pain", True)]
    assert read_as("Last year I went to the doctor about a cough that cleared up.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Dry eyes / sore tired eyes",
        "my eyes get tired and dry from screens",
        "Ill-fitting bras",
        "red eyes with yellow stuff in the corners",
        "dark yellow urine",
        "a feeling that wind is trapped in the stomach",
    ],
)
def test_everyday_complaints_that_share_a_findings_word_are_not_read(text):
    assert read_as(text) == []


def test_a_complaint_found_by_percussion_and_cited_names_of_headache():
    assert read_as("tenderness to focal percussion of one vertebra") == [("bone_pain", True)]
    assert read_as("encephalalgia") == [("headache", True)]


def test_a_complaint_said_as_what_another_feels_like_is_a_likeness_not_a_complaint():
    text = "swollen lymph nodes that feel like hard lumps under my skin"
    assert read_as(text) == [("swollen_lymph_nodes", True)]
    assert read_as("it feels like a lump") == [("breast_lump", True)]
    assert read_as("a lump underneath my arm") == [("axillary_lump", True)]


def test_clothes_fitting_looser_is_weight_lost_not_a_fit():
    assert read_as("Her clothes are fitting looser.") == [("weight_loss", True)]
    assert read_as("the patient was fitting") == [("convulsions", True)]
    assert read_as("no fits") == [("convulsions", False)]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("out of sorts", "malaise"),
        ("early satiety", "loss_of_appetite"),
        ("raised GGT", "elevated_liver_enzymes"),
        ("a tightening of my chest", "chest_pain"),
        ("cannonball metastases", "chest_xray_shows_metastasis"),
        ("it's like breathing through a straw", "shortness_of_breath"),
    ],
)
def test_cited_phrasings_harvested_at_stop_21_read_as_their_finding(text, finding):
    assert read_as(text) == [(finding, True)]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("a dent in my breast", "breast_skin_changes"),
        ("my breast feels warm", "breast_skin_changes"),
        ("the nipple has changed shape", "breast_skin_changes"),
        ("discharge from a single duct", "nipple_discharge"),
        ("stains on my bra", "nipple_discharge"),
        ("axillary recurrence", "axillary_lump"),
        ("a hardened lymph node", "swollen_lymph_nodes"),
        ("my breast looks distorted", "breast_size_shape_change"),
        ("signal node", "supraclavicular_lump"),
    ],
)
def test_cited_breast_and_node_phrasings_read_as_their_finding(text, finding):
    assert read_as(text) == [(finding, True)]


def test_a_node_with_its_place_is_that_places_node_only():
    assert read_as("a hardened lymph node in my armpit") == [("axillary_lump", True)]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("walking like a drunken sailor", "ataxia"),
        ("my memory is failing", "behavioral_changes"),
        ("a false sensation of motion", "vertigo"),
        ("staring spells", "convulsions"),
        ("difficulty grasping objects", "weakness"),
        ("it's like a tight band around my forehead", "headache"),
        ("green around the gills", "nausea_vomiting"),
        ("homonymous hemianopia", "vision_changes"),
        ("my leg snapped in half", "pathological_fracture"),
        ("a tumour pinching my spinal cord", "spinal_cord_compression"),
        ("lumps over the breastbone", "bone_swelling"),
        ("increasing pain in my femur", "bone_pain"),
    ],
)
def test_cited_brain_and_bone_phrasings_read_as_their_finding(text, finding):
    assert read_as(text) == [(finding, True)]


@pytest.mark.parametrize(
    "text", ["No known allergies", "I don't know if it's related", "snapped at my husband"]
)
def test_everyday_words_near_harvested_phrasings_are_not_read(text):
    assert read_as(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I have a lump in my breast. It is red.",
            [("breast_lump", True), ("breast_skin_changes", True)],
        ),
        (
            "I found a lump in my breast. No redness or dimpling.",
            [("breast_lump", True), ("breast_skin_changes", False)],
        ),
        ("There is a lump in my armpit. It is swollen.", [("axillary_lump", True)] * 2),
        (
            "My hip has been hurting for weeks. It is red.",
            [("bone_pain", True), ("bone_erythema", True)],
        ),
        # a sentence that says more than a bare complaint is not said of the place before
        ("I had a cough last year. It is fine now.", []),
        ("She has no breast lump. This is good news.", [("breast_lump", False)]),
    ],
)
def test_a_bare_complaint_in_the_next_sentence_is_said_of_the_place_before(text, expected):
    assert read_as(text) == expected


def test_the_place_said_before_is_shown():
    (red,) = [r for r in READER.read("I have a lump in my breast. It is red.") if r.start > 0]
    assert red.text == "It is red" and "breast: the place said before" in red.via


@pytest.mark.parametrize(
    "text",
    [
        "knee pain and swelling after running",
        "my knee hurts and there is swelling",
        "a sharp pain in the back of the thigh while running",
        "sudden pain in the back of the lower leg",
        "a stress fracture in my foot from running",
    ],
)
def test_everyday_injuries_of_places_no_finding_owns_are_not_read(text):
    assert read_as(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pain in my back and my legs", [("bone_pain", True)]),
        ("my back and knees hurt", [("bone_pain", True)]),
        ("pain in the back of my head", [("headache", True)]),
        ("swelling", [("bone_swelling", True)]),
    ],
)
def test_the_back_and_a_bare_swelling_are_still_read(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my breathing has become difficult", [("shortness_of_breath", True)]),
        ("it takes effort to breathe", [("shortness_of_breath", True)]),
        ("it's hard to get air in", [("shortness_of_breath", True)]),
        ("breathing is fine", [("shortness_of_breath", False)]),
        ("I feel lightheaded", [("vertigo", True)]),
        ("the air is fresh", []),
    ],
)
def test_breathing_said_as_hard_and_lightheadedness(text, expected):
    assert read_as(text) == expected


def test_a_swollen_optic_nerve_is_no_bone_swelling():
    text = "raised pressure in my brain has made my optic nerve swell"
    assert read_as(text) == [("increased_intracranial_pressure", True)]
    assert read_as("my optic nerve is swollen") == []


def test_a_relative_who_saw_the_tellers_complaint_does_not_make_it_hers():
    text = "I began vomiting and my husband noticed I was confused."
    assert read_as(text) == [("nausea_vomiting", True), ("behavioral_changes", True)]
    assert read_as("my sister found a lump in her breast and I have a cough") == [
        ("chronic_cough", True)
    ]


def test_how_a_lump_is_described_is_not_in_the_way_of_a_shared_place():
    text = "Now there's a red rash and a small hard lump on the scar."
    assert read_as(text) == [("breast_skin_changes", True), ("breast_lump", True)]


@pytest.mark.parametrize(
    "text",
    ["I think I broke a rib coughing", "a fracture from coughing", "my rib broke when I coughed"],
)
def test_a_bone_broken_by_coughing_is_a_pathological_fracture_and_no_cough(text):
    (reading,) = [r for r in READER.read(text) if r.finding]
    assert (reading.finding, reading.not_said) == ("pathological_fracture", ())


def test_a_cough_of_its_own_beside_a_fracture_is_still_read():
    assert read_as("I broke my hip and I have a cough") == [
        ("pathological_fracture", True),
        ("chronic_cough", True),
    ]


def test_a_lab_value_without_a_unit_is_named_in_the_error():
    result = CliRunner().invoke(main, ["assess", "--text", "He said my ALT was 250."])
    assert result.exit_code == 2
    assert "'ALT was 250' has no unit: write it with one (U/L" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("text", ["my tailbone hurts", "coccyx pain", "ribcage pain"])
def test_the_tailbone_and_the_ribcage_are_bones(text):
    assert read_as(text) == [("bone_pain", True)]


@pytest.mark.parametrize(
    "text",
    ["a sore lump on my back", "tender lymph nodes in my neck", "a small, tender lump on my neck"],
)
def test_a_complaint_word_that_describes_a_lump_is_no_pain_of_its_place(text):
    assert ("bone_pain", True) not in read_as(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pain and swelling in my armpit", [("axillary_lump", True)]),
        ("a tender lump in my armpit", [("axillary_lump", True)]),
        ("my neck is tender", [("bone_pain", True)]),
    ],
)
def test_a_lump_described_keeps_its_place_and_a_place_its_pain(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize("text", ["I'm fit", "she is fit", "she's fit, no past history"])
def test_fit_the_adjective_is_no_seizure(text):
    assert read_as(text) == []


def test_a_list_of_complaints_with_a_place_no_finding_owns_is_that_places():
    assert read_as("a painless lump or swelling on my eyelid") == []
    assert read_as("a lump or swelling in my armpit") == [("axillary_lump", True)]
    assert read_as("a lump and my knee hurts") == [("breast_lump", True)]


@pytest.mark.parametrize(
    "text",
    [
        "numbness in my buttocks",
        "tingling in my thighs",
        "numb from the waist down",
        "saddle anaesthesia",
        "back pain and loss of bladder control",
    ],
)
def test_the_cords_signs_below_it_are_spinal_cord_compression(text):
    # The Christie's list of the symptoms of spinal cord compression; NICE CG75
    assert ("spinal_cord_compression", True) in read_as(text)


@pytest.mark.parametrize(
    "text",
    [
        "numbness in my fingers",
        "my feet are numb",
        "pins and needles in my legs",  # sitting still, or a trapped nerve (sciatica)
        "no legs",
        "I lost my leg",
        "I've lost control of my bladder",  # a brain's lesion, too
    ],
)
def test_numb_hands_feet_or_legs_or_a_bladder_alone_are_no_cord_compression(text):
    assert ("spinal_cord_compression", True) not in read_as(text)


def test_a_denied_cord_sign_is_an_absent_compression():
    assert read_as("no numbness in her buttocks") == [("spinal_cord_compression", False)]


def test_of_two_words_a_typo_is_one_letter_from_the_one_that_reads_is_applied():
    # "pian" is one letter from "pain" and from "pin" (of "pins and needles"): only "pain"
    # makes a reading with "bone"
    assert read("bone pian") == [("bone_pain", True, "corrected")]


def test_a_word_of_a_longer_complaint_suggests_nothing_alone():
    # "difficulty" of "difficulty controlling (the bladder)": "difficulty walking" could be
    # no cord compression
    (unread,) = READER.read("difficulty walking")
    assert unread.how == "not_read" and unread.choices == ()


@pytest.mark.parametrize(
    "text", ["she has become rude", "he became increasingly apathetic", "apathy", "disinhibited"]
)
def test_a_trait_that_came_on_is_a_change_of_behaviour(text):
    assert read_as(text) == [("behavioral_changes", True)]


@pytest.mark.parametrize(
    "text", ["she is rude", "an aggressive cancer", "the cancer has become more aggressive"]
)
def test_a_trait_alone_or_an_aggressive_cancer_is_no_change_of_behaviour(text):
    assert ("behavioral_changes", True) not in read_as(text)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("huffing and puffing up the stairs", "shortness_of_breath"),
        ("I have to stop to catch my breath", "shortness_of_breath"),
        ("a broad-based gait", "ataxia"),
        ("gait disturbances", "ataxia"),
        ("coughing up rust-coloured phlegm", "hemoptysis"),
        ("a reduced desire for food", "loss_of_appetite"),
        ("a hard marble sized ball in my breast", "breast_lump"),
        ("the x-ray showed a crushed vertebra", "pathological_fracture"),
        ("zigzag lines in front of my eyes", "vision_changes"),
    ],
)
def test_patient_page_words_of_a_finding_are_read(text, finding):
    assert (finding, True) in read_as(text)


def test_a_breath_that_cannot_be_caught_stays_a_complaint():
    assert read_as("I can't catch my breath") == [("shortness_of_breath", True)]
    assert read_as("no interest in food") == [("loss_of_appetite", True)]


def test_a_medicine_for_pain_is_no_pain_to_place():
    (unread,) = READER.read("pain killers")
    assert unread.how == "not_read" and unread.choices == ()


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("REVIEW OF SYSTEMS: No fever, no chills, no weight change.", ["weight_loss"]),
        ("denies appetite or weight changes", ["loss_of_appetite", "weight_loss"]),
    ],
)
def test_a_measure_whose_change_is_denied_is_denied(text, absent):
    assert read_as(text) == [(finding, False) for finding in absent]


def test_a_change_of_weight_not_denied_says_neither_way():
    assert [r for r in READER.read("I noticed a weight change") if r.finding] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sclerae anicteric.", [("jaundice", False)]),
        ("delirium", [("behavioral_changes", True)]),
        ("cauda equina compression", [("spinal_cord_compression", True)]),
        ("excess blood calcium", [("hypercalcemia", True)]),
        ("gradual visual field defects", [("vision_changes", True)]),
    ],
)
def test_clinical_words_of_the_review_of_systems_are_read(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a week before my period my breasts get tender and swollen",
        "I'm breastfeeding and one breast is red and swollen",
        "I'm pregnant and there is a lump in my breast",
        "a dry, tickly cough with my cold",
    ],
)
def test_a_complaint_its_everyday_cause_explains_is_listed_and_not_counted(text):
    readings = READER.read(text)
    assert [r.finding for r in readings if r.finding] == []
    assert any(r.how == "explained" and r.past_finding for r in readings)


@pytest.mark.parametrize(
    "text",
    [
        "my periods stopped and I found a lump in my breast",
        "my breast is swollen and I am not pregnant",
        "I have had a cough for months, not with a cold",
        "a lump in my breast with a cold",
    ],
)
def test_a_cause_denied_or_of_another_complaint_explains_nothing(text):
    assert any(r.finding and r.present for r in READER.read(text))


def test_an_explained_change_alone_is_refused_with_its_reason():
    result = CliRunner().invoke(main, ["assess", "--text", "my breast swells before my period"])
    assert result.exit_code == 2
    assert "explained by an everyday cause said with it" in result.output


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I found a lump in my neck", "swollen_lymph_nodes"),
        ("swollen glands in my neck", "swollen_lymph_nodes"),
        (
            "a small lump on the side of my neck, a little higher than my collar bone",
            "supraclavicular_lump",
        ),
        ("a lump in the hollow of my collarbone", "supraclavicular_lump"),
    ],
)
def test_a_lump_in_the_neck_is_a_swollen_gland_and_above_the_collar_bone_its_place(text, finding):
    assert read_as(text) == [(finding, True)]


def test_two_places_a_list_joins_are_both_read():
    assert read_as("lumps in my neck and my armpit") == [
        ("axillary_lump", True),
        ("swollen_lymph_nodes", True),
    ]


def test_swollen_glands_while_fighting_off_a_cold_are_explained():
    readings = READER.read("I've caught a cold and the glands in my neck are swollen")
    assert [r.finding for r in readings if r.finding] == []
    assert [r.past_finding for r in readings if r.how == "explained"] == ["swollen_lymph_nodes"]


@pytest.mark.parametrize(
    "text",
    [
        "the pain came back",
        "my eczema keeps coming back and cracking",
        "the pain is back",  # back, returned: no place
    ],
)
def test_back_the_adverb_is_no_back(text):
    assert read_as(text) == []


@pytest.mark.parametrize("text", ["I started to get back pain", "it is back pain"])
def test_back_pain_after_a_verb_is_still_back_pain(text):
    assert read_as(text) == [("bone_pain", True)]
    text = "her symptoms were back pain and fatigue"  # not "were back", returned
    assert read_as(text) == [("bone_pain", True), ("fatigue", True)]


def test_an_alternative_after_a_denial_is_denied_with_it():
    assert read_as("no fever or feeling unwell") == [("malaise", False)]
    assert read_as("no cough and feeling tired") == [
        ("chronic_cough", False),
        ("fatigue", True),
    ]


def test_none_in_brackets_after_a_complaint_denies_it():
    assert read_as("fever, chills, nausea (none)") == [("nausea_vomiting", False)]


def test_a_surname_is_never_corrected_into_a_finding():
    text = "Mother-of-three Joy Knott was initially treated for a chest infection"
    assert read_as(text) == []  # "Knott" is no knot
    assert read_as("my lips did a reasonable impression of Mick Jagger") == []  # no "sick"
    assert read("she has a bad Hedache since monday") == [("headache", True, "corrected")]


def test_a_described_lump_said_again_keeps_its_place():
    text = "I have a hard lump in my armpit. It is not painful, and it has not gone away."
    assert read_as(text) == [("axillary_lump", True)]


def test_what_hardly_ever_happens_is_denied_but_drinking_rarely_denies_nothing_after_it():
    assert read_as("considering I am hardly ever sick") == [("nausea_vomiting", False)]
    assert read_as("never smoked, drinks rarely, now coughing up blood") == [("hemoptysis", True)]


@pytest.mark.parametrize(
    "text",
    [
        "small tender bumps in my armpits after shaving",
        "red itchy eyes, a stuffed-up nose and sneezing fits",
        "wore new heels on a night out",
        "I wiped out on my bike",
        "dull throbbing pain in one of my back teeth",
    ],
)
def test_everyday_complaints_that_share_a_findings_words_are_not_read(text):
    assert read_as(text) == []


@pytest.mark.parametrize(
    "text",
    ["back pain so bad I can no longer walk", "a pain in my abdomen I could no longer ignore"],
)
def test_what_a_complaint_stops_one_doing_is_no_ending_of_it(text):
    assert [r.present for r in READER.read(text) if r.finding] == [True]


def test_a_complaint_no_longer_had_is_over():
    assert [r.how for r in READER.read("I no longer have headaches")] == ["past"]


def test_a_complaint_that_got_better_and_came_back_is_current():
    assert read_as("I had a cough, it got better and then came back") == [("chronic_cough", True)]
    assert [r.how for r in READER.read("I had a cough, it got better")] == ["past"]


def test_a_change_that_was_not_there_last_month_is_new():
    text = "a small indentation on my breast that wasn't there last month"
    assert read_as(text) == [("breast_skin_changes", True)]


def test_a_cause_said_while_or_of_someone_else():
    readings = READER.read("breast pain, warmth and redness while I'm breastfeeding")
    assert [r.how for r in readings if r.past_finding] == ["explained"]
    assert read_as("I have a lump in my breast while my sister is pregnant") == [
        ("breast_lump", True)
    ]


@pytest.mark.parametrize("text", ["heat exhaustion", "newborn jaundice"])
def test_a_condition_of_its_own_named_by_a_findings_word_is_not_read(text):
    assert read_as(text) == []


def test_a_thing_is_removed_but_a_pain_is_not():
    assert read_as("back pain. They removed the tumour.") == [("bone_pain", True)]
    assert [r.how for r in READER.read("she had a lump removed from her breast")] == ["past"]


@pytest.mark.parametrize("text", ["pressure sores on my back", "bed sores on her hips"])
def test_a_sore_the_noun_is_no_pain(text):
    assert read_as(text) == []


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I tried on a pair of pants which hung off me", "weight_loss"),
        ("My appetite is pretty much non existent these past few days", "loss_of_appetite"),
        ("My energy had just evaporated", "fatigue"),
        ("I can't muster up the energy to get out of bed", "fatigue"),
        ("I've had hardly any appetite this week", "loss_of_appetite"),
        ("barely any energy", "fatigue"),
        ("I can't face the thought of food", "loss_of_appetite"),
        ("I gradually began losing my desire to eat", "loss_of_appetite"),
        ("My legs go wobbly", "weakness"),
        ("I struggled to lift the fork to my mouth", "weakness"),
        ("By the time I got to the car, I could barely breathe", "shortness_of_breath"),
    ],
)
def test_patients_own_words_for_general_symptoms(text, finding):
    assert (finding, True) in read_as(text)


@pytest.mark.parametrize(
    "text", ["I carried heavy shopping bags in my arms", "I won't breathe a word of it"]
)
def test_words_of_other_things_near_a_limb_or_a_breath_are_not_read(text):
    assert read_as(text) == []


def test_a_finding_made_of_words_of_longer_complaints_is_not_a_bare_complaint():
    # "weight" is a word of "dead weight", "loss" one of "loss of desire": "weight loss" is
    # still the finding itself, not a complaint of no place that another place takes
    assert read_as("cough or weight loss") == [("chronic_cough", True), ("weight_loss", True)]
    assert read_as("no fever, cough or weight loss") == [
        ("chronic_cough", False),
        ("weight_loss", False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "the wind was cold",
        "I get loads of wind after drinking milk",
        "razor bumps on my neck",
        "now my wrist hurts to bend back",
        "the skin around my fingernail is red, swollen and throbbing",
    ],
)
def test_wind_skin_bumps_and_a_bent_wrist_are_no_findings(text):
    assert read_as(text) == []


def test_winded_is_still_out_of_breath():
    assert read_as("I got winded on the stairs") == [("shortness_of_breath", True)]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I had a grey patch in my field of vision", "vision_changes"),
        ("my coordination's shot", "ataxia"),
        ("he was becoming more belligerent", "behavioral_changes"),
        ("I'd forget people's names", "behavioral_changes"),
        ("my arm got weaker and weaker", "weakness"),
        ("my left foot stopped working", "weakness"),
        ("I have been dragging my leg", "weakness"),
    ],
)
def test_patients_own_words_for_brain_and_nerve_symptoms(text, finding):
    assert (finding, True) in read_as(text)


@pytest.mark.parametrize(
    "text",
    [
        "I forgot my keys",
        "I keep dragging my feet on this",
        "my car stopped working",
        "the radiologist saw a shadow on the x-ray",
    ],
)
def test_a_thing_forgotten_once_feet_dragged_or_a_car_are_no_findings(text):
    assert read_as(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "sore, tired, burning eyes after a day at the computer",
        "the morning after the marathon my legs were tired, sore and stiff",
        "eye fatigue",
    ],
)
def test_tiredness_of_a_part_of_the_body_is_that_parts(text):
    assert read_as(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "I am tired all the time",
        "tiredness, weakness and muscle pain",
        "pain in my legs and I am tired",
        "my body is tired",
    ],
)
def test_tiredness_of_the_person_is_fatigue(text):
    assert ("fatigue", True) in read_as(text)


def test_a_complaint_named_again_inside_a_sentence_is_the_one_before():
    text = (
        "I found a bump just above my collar bone. "
        "The radiologist said this lump will have to be biopsied."
    )
    assert read_as(text) == [("supraclavicular_lump", True)]
    text = "I found a lump in my armpit. Then I found the lump in my breast."
    assert read_as(text) == [("axillary_lump", True), ("breast_lump", True)]


def test_a_feeling_word_of_a_complaint_is_no_malaise():
    assert read_as("halfway through I felt this terrible fatigue come over me") == [
        ("fatigue", True)
    ]
    assert read_as("I felt terrible") == [("malaise", True)]


def test_the_lump_of_the_first_diagnosis_is_over():
    text = "Sara was first diagnosed in 2015 after she found a small lump"
    assert [r.how for r in READER.read(text)] == ["past"]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("focal with bilateral tonic clonic", "convulsions"),
        ("retrosternal pain", "chest_pain"),
        ("Paget's disease of the nipple", "breast_skin_changes"),
    ],
)
def test_clinical_names_of_findings(text, finding):
    assert (finding, True) in read_as(text)


@pytest.mark.parametrize("text", ["he sways when standing", "I have trouble buttoning my shirt"])
def test_a_sway_or_fine_movements_made_hard_are_ataxia(text):
    assert read_as(text) == [("ataxia", True)]


@pytest.mark.parametrize(
    "text", ["she keeps falling over", "he's always tripping up", "a history of frequent falls"]
)
def test_falls_that_keep_happening_are_ataxia(text):
    assert read_as(text) == [("ataxia", True)]


@pytest.mark.parametrize(
    "text",
    ["I fell over yesterday and hurt my knee", "I keep falling asleep", "I tripped over the dog"],
)
def test_one_fall_or_falling_asleep_is_no_ataxia(text):
    assert ("ataxia", True) not in read_as(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'll go to the GP about my cough",  # "I'll" is "I will", never "ill"
        "we'll see how the cough goes",  # never "well see"
    ],
)
def test_a_contracted_verb_is_opened_to_that_verb(text):
    assert read_as(text) == [("chronic_cough", True)]


@pytest.mark.parametrize(
    "text", ["I saw my doctor about the problem", "I can see changes in my breast"]
)
def test_seeing_a_doctor_or_a_change_is_no_change_of_sight(text):
    assert ("vision_changes", True) not in read_as(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Neck: supple, (-) lymphadenopathy", ("swollen_lymph_nodes", False)),  # (-): negative
        ("neck supple, no lymphadenopathy", ("swollen_lymph_nodes", False)),  # the neck's glands
        ("no sign of the disease until she found a lump in her breast", ("breast_lump", True)),
        ("my breast is leaking", ("nipple_discharge", True)),
        ("my nipple is pointing inwards", ("breast_skin_changes", True)),
        ("my CEA has doubled", ("elevated_tumor_markers", True)),
        ("my calcium was through the roof", ("hypercalcemia", True)),
        ("my eyes are more yellow than in previous weeks", ("jaundice", True)),  # now, not past
    ],
)
def test_clinical_notes_denials_and_everyday_phrasings_are_read(text, expected):
    assert expected in read_as(text)


def test_a_lump_on_one_side_of_a_place_no_finding_owns_is_not_read():
    assert not [
        finding
        for finding, present in read_as("a lump in the right side of my abdomen, and a cough")
        if finding != "chronic_cough"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "my dog has a honking cough",
        "the baby has a cough",
        "my toddler has croup and a cough",
        # described, or asked about
        "Our older dog has a lipoma, just a lump of fat that grows slowly under the skin.",
        "my 8-month-old baby has a cough",
        "why is my dog coughing like something is stuck in his throat?",
        # ... or where the complaint is
        "During our weekly grooming session I felt a lump on my dog's body.",
        "yellowing of the skin in newborns",
    ],
)
def test_an_animal_or_a_small_child_is_never_the_patient(text):
    readings = EVALUATOR.lexicon.reader.read(text)
    assert readings and all(r.how == "other" for r in readings if r.past_finding)
    assert not [r for r in readings if r.finding and r.present]


@pytest.mark.parametrize(
    "text",
    [
        "He views every new friendship with a jaundiced eye.",
        "Editing video for four hours is such a headache.",
        "My slow commute is a real pain in the neck.",
        "The flight was delayed by a fatigue crack in the propeller shaft.",
        "The project has proceeded in fits and starts.",
        "The soil in the garden was bone dry, cracking underfoot.",
        "The referee gave him a yellow card.",
        "My teeth have turned yellow from drinking coffee.",
    ],
)
def test_other_senses_of_a_findings_words_name_no_finding(text):
    assert not [finding for finding, present in read_as(text) if present]


@pytest.mark.parametrize(
    "text, absent",
    [
        ("strength normal", "weakness"),
        ("Mental status, strength, sensation, and reflexes were normal.", "weakness"),
        ("chest X-ray normal", "chest_xray_shows_metastasis"),
        ("no palpable lymph nodes", "swollen_lymph_nodes"),
    ],
)
def test_an_examination_found_normal_denies_its_finding(text, absent):
    assert (absent, False) in read_as(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("why can't I stop coughing", ("chronic_cough", True)),  # "not ... stop", asked
        ("no appetite and losing weight", ("weight_loss", True)),  # a statement of its own
    ],
)
def test_a_question_or_a_statement_of_its_own_denies_nothing(text, expected):
    assert expected in read_as(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Her liver function tests also returned normal results.",
            ("elevated_liver_enzymes", False),
        ),
        ("She reports no abnormal drainage from her breast", ("nipple_discharge", False)),
    ],
)
def test_a_result_told_normal_or_a_drainage_denied(text, expected):
    assert expected in read_as(text)


def test_ill_defined_is_no_illness():
    assert ("malaise", True) not in read_as("a hard, ill-defined lump in my breast")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dr. Jones found a lump in her breast", [("breast_lump", True)]),  # no "bones"
        ("Ms. Lee, 54, has back pain", [("bone_pain", True)]),  # no multiple sclerosis
    ],
)
def test_a_courtesy_title_and_the_name_after_it_are_neither_corrected_nor_asked(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    "text, cord",
    [
        ("She also reports numbness in both legs and difficulty passing urine.", True),
        ("my legs are numb and I've been incontinent", True),
        ("numbness in my legs, no bladder problems", False),  # the bladder is denied
        ("numb legs after sitting cross-legged", False),  # either alone is not the cord's
    ],
)
def test_numb_legs_with_the_bladder_or_bowel_are_the_cords_signs(text, cord):
    assert (("spinal_cord_compression", True) in read_as(text)) is cord


def test_an_adverb_of_degree_qualifies_no_finding_and_parts_nothing():
    assert ("elevated_liver_enzymes", True) in read_as(
        "my liver blood test came back slightly raised"
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("She reports feeling well.", [("malaise", False)]),
        ("I feel fine but I have a cough", [("malaise", False), ("chronic_cough", True)]),
        ("I don't feel well", [("malaise", True)]),  # not well: unwell
        ("my back feels fine", []),  # a thing, not a person
    ],
)
def test_feeling_well_said_by_a_person_denies_feeling_ill(text, expected):
    assert sorted(r for r in read_as(text) if r[0]) == sorted(expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I rarely get headaches", [("headache", False)]),
        ("drinks rarely, now coughing up blood", [("hemoptysis", True)]),  # rarely of drinking
    ],
)
def test_rarely_having_a_complaint_denies_it(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    "text, finding",
    [
        ("a propensity to fall", "ataxia"),  # Mayo Clinic: a tendency to stumble
        ("my lymph nodes feel hard", "swollen_lymph_nodes"),
    ],
)
def test_a_tendency_to_fall_and_hard_lymph_nodes(text, finding):
    assert read_as(text) == [(finding, True)]


def test_feeling_worse_said_by_a_person_is_feeling_ill():
    assert read_as("each day I felt worse") == [("malaise", True)]
    assert read_as("I have a cough and my back feels worse") == [("chronic_cough", True)]


@pytest.mark.parametrize(
    "text",
    [
        "Neck: supple, no lymphadenopathy, trachea midline",
        "no lymphadenopathy, knees normal",
        "no lymphadenopathy, abdomen soft",
        "no lymphadenopathy, chest clear",
        "no lymphadenopathy, thyroid not enlarged",
        "NECK: Supple, no lymphadenopathy, thyroid non-enlarged",
    ],
)
def test_an_examination_item_of_another_place_is_no_place_of_the_complaint_beside_it(text):
    # each item of an examination says the state of its own place: the denial stands
    assert read_as(text) == [("swollen_lymph_nodes", False)]


def test_free_written_on_a_complaint_denies_it():
    # "-free": "lacking something ... unpleasant" (Merriam-Webster), on the word it follows
    assert read_as("He has been seizure-free since the surgery.") == [("convulsions", False)]
    assert read_as("She is headache free.") == [("headache", False)]
    assert read_as("a lump, free and mobile") == [("breast_lump", True)]  # a lump's trait


@pytest.mark.parametrize(
    "text",
    [
        "while driving back from an appointment I lost complete mobility in my left arm",
        "I lost nearly all motor function in my left arm",
        "I lost the use of my right hand",
    ],
)
def test_an_arm_that_has_lost_its_movement_is_weakness(text):
    assert read_as(text) == [("weakness", True)]


@pytest.mark.parametrize(
    "text",
    ["my balance is worse", "her hearing and balance were also affected", "impaired balance"],
)
def test_a_balance_said_worse_or_affected_is_ataxia(text):
    assert ("ataxia", True) in read_as(text)


def test_an_ellipsis_before_a_word_in_lower_case_leaves_words_out_of_one_sentence():
    # "Patient denied ... nausea": the denial reaches past the words left out
    assert sorted(read_as("Patient denied ... nausea, vomiting, abdominal pain")) == [
        ("abdominal_pain", False),
        ("nausea_vomiting", False),
    ]
    assert read_as("No cough... Headaches daily.") == [
        ("chronic_cough", False),
        ("headache", True),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gait instability", [("ataxia", True)]),
        ("No gait abnormalities are appreciated.", [("ataxia", False)]),
        ("Recent inversion of one or both nipples", [("breast_skin_changes", True)]),
    ],
)
def test_examination_words_of_the_gait_and_the_nipple(text, expected):
    assert read_as(text) == expected


def test_a_british_spelling_mistyped_is_corrected_as_the_american_one_is():
    (reading,) = READER.read("Haemoptisis")
    assert (reading.finding, reading.how) == ("hemoptysis", "corrected")


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("bilateral enlarged supra-clavicular lymph nodes", "supraclavicular_lump"),
        ("infra-clavicular lump", "infraclavicular_lump"),  # not a lump of the breast
        ("my co-ordination wasn't good", "ataxia"),
        ("lump in my arm pit", "axillary_lump"),
        ("my nipple looks like it is going inside my breast", "breast_skin_changes"),
    ],
)
def test_a_word_typed_in_two_parts_is_read_as_one(text, finding):
    assert read_as(text) == [(finding, True)]


def test_an_operation_that_took_out_the_lymph_nodes_is_no_lump_now():
    (reading,) = READER.read("axillary lymph node dissection")
    assert (reading.how, reading.past_finding) == ("past", "axillary_lump")
    readings = READER.read(
        "treated with a mastectomy, axillary lymph node clearance and adjuvant hormonal therapy"
    )
    assert not [r for r in readings if r.finding and r.present]


def test_a_change_denied_in_a_list_the_denial_reaches_is_absent():
    story = "He denies any associated hemoptysis, weight changes, night sweats, or chills."
    assert sorted(read_as(story)) == [("hemoptysis", False), ("weight_loss", False)]


def test_a_verb_that_calls_attention_and_a_medicine_named_for_a_complaint_name_none():
    assert read_as("See, I've lost between 10-15 pounds since the beginning of the year") == [
        ("weight_loss", True)
    ]  # not a change of sight
    assert read_as("I see double") == [("vision_changes", True)]
    assert not [
        r for r in READER.read("Where has this cough syrup been all my life?!") if r.finding
    ]


@pytest.mark.parametrize(
    "text",
    [
        "I need to see a doctor about my weight loss",
        "I lost weight and saw my GP",
        "I have lost weight, you can see my ribs",
    ],
)
def test_seeing_a_person_is_no_change_of_sight(text):
    assert read_as(text) == [("weight_loss", True)]


def test_a_sentence_opening_with_it_gives_no_other_place_to_a_placed_complaint():
    # "it had spread to my spine" is the cancer's spread, not the breast lump moved to a bone
    assert read_as("I found a lump in my breast. It had spread to my spine.") == [
        ("breast_lump", True)
    ]
    assert read_as("I found a lump. It is in my armpit.") == [("axillary_lump", True)]


@pytest.mark.parametrize(
    "text",
    [
        "A lesion in the right femoral neck places the patient at risk for pathologic fracture.",
        "bisphosphonates to prevent fractures",
        "they were concerned about an impending fracture",
    ],
)
def test_a_risk_of_a_fracture_is_no_fracture_had(text):
    (reading,) = [r for r in READER.read(text) if r.finding or r.past_finding]
    assert (reading.how, reading.past_finding) == ("hypothetical", "pathological_fracture")


def test_pressure_in_the_head_is_a_headache_and_inside_it_raised_pressure():
    assert read_as("the pain was so bad because of the pressure I could feel in my head") == [
        ("headache", True)
    ]
    assert read_as("pressure inside my head") == [("increased_intracranial_pressure", True)]


def test_a_bone_broken_by_a_force_that_breaks_a_healthy_one_is_explained():
    (reading,) = READER.read("I broke my leg in a car accident last year")
    assert (reading.how, reading.past_finding) == ("explained", "pathological_fracture")
    # not when the cause is denied, nor after a minor fall (a fragility fracture)
    assert read_as(
        "spontaneous fractures in my sacrum, not caused by any stress or accident to the area"
    ) == [("pathological_fracture", True)]
    assert read_as("I broke my hip when I tripped over the cat") == [
        ("pathological_fracture", True)
    ]


def test_the_liver_numbers_as_patients_say_them_and_a_remark_that_opens_a_sentence():
    assert read_as("my liver markers are high") == [("elevated_liver_enzymes", True)]
    assert read_as("my liver markers are normal") == [("elevated_liver_enzymes", False)]
    # "Well, ..." opens a remark: no state of the liver's numbers
    assert read_as("Well, what's the deal with your liver markers?") == []


def test_broken_glass_is_no_broken_bone():
    assert read_as("My hips feel like there is broken glass inside of them") == []


@pytest.mark.parametrize(
    "text",
    [
        "I have problems finding shoes that will fit",
        "red bumps with white heads on them and it's very painful to swallow",
    ],
)
def test_fit_the_verb_and_whiteheads_name_no_finding(text):
    assert read_as(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He has lost 6kg for the past one year.", [("weight_loss", True)]),
        ("please don't ignore pain in bones", [("bone_pain", True)]),
        ("There was no change in the lump of my breast.", [("breast_lump", True)]),
        ("no change in my weight", [("weight_loss", False)]),
        ("his urine is dark yellow", []),
    ],
)
def test_phrasings_typed_by_students_whose_first_language_is_not_english(text, expected):
    assert read_as(text) == expected


def test_a_predicate_denied_after_two_places_denies_the_first_too():
    assert sorted(read_as("The lymph nodes in the axilla and neck were not enlarged.")) == [
        ("axillary_lump", False),
        ("swollen_lymph_nodes", False),
    ]
    assert ("axillary_lump", True) in read_as("a lump in my armpit and my neck is not swollen")


def test_none_since_denies():
    assert read_as("it had been 9 months since any seizures") == [("convulsions", False)]


def test_a_complaint_said_to_be_gone_is_over_and_going_is_no_gone():
    (reading,) = READER.read("The headache is gone.")
    assert (reading.how, reading.past_finding) == ("past", "headache")
    assert read_as("my eyes are going yellow") == [("jaundice", True)]
    assert read_as("go shopping, my appetite is back") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I feel good.", [("malaise", False)]),
        ("I'm feeling normal again", [("malaise", False)]),
        ("I'm feeling pretty well.", [("malaise", False)]),
        ("I don't feel good", [("malaise", True)]),  # MedlinePlus: "lack of well-being"
        ("My weight was pretty stable during chemo", [("weight_loss", False)]),
    ],
)
def test_feeling_good_or_normal_and_a_degree_word_before_a_state(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    "text", ["no appetite and weight loss for approximately one month", "no appetite, weight loss"]
)
def test_a_denying_phrase_said_whole_as_a_list_item_is_its_finding(text):
    # "no appetite" is the loss of appetite, and the weight loss is no item it denies
    assert sorted(read_as(text)) == [("loss_of_appetite", True), ("weight_loss", True)]


def test_clear_the_adjective_is_no_complaint_that_cleared():
    assert read_as("mild cough productive of clear sputum") == [("chronic_cough", True)]
    (reading,) = READER.read("my cough has cleared")
    assert (reading.how, reading.past_finding) == ("past", "chronic_cough")
    assert ("chest_xray_shows_metastasis", False) in read_as(
        "The chest radiograph is clear of metastases."
    )


def test_a_lump_felt_some_time_ago_is_its_onset_not_its_past():
    assert read_as("about two months ago I felt a mass above my left clavicle") == [
        ("supraclavicular_lump", True)
    ]


def test_boob_is_the_breast():
    (reading,) = READER.read("I found a lump in my boob")
    assert (reading.finding, reading.not_said) == ("breast_lump", ("that persists",))
    assert read_as("why is one of my boobs bigger than the other?") == [
        ("breast_size_shape_change", True)
    ]


def test_a_denial_of_a_word_that_is_no_finding_ends_before_an_aside():
    assert read_as("He has no pain (painless jaundice).") == [("jaundice", True)]
    # a denied finding's aside is still denied: its places, its alternatives
    assert read_as("no headache (or nausea)") == [
        ("headache", False),
        ("nausea_vomiting", False),
    ]


def test_a_denial_inside_a_phrase_does_not_reach_a_statement_of_its_own():
    assert read_as("the white of my eyes is not white, it looks yellowish") == [("jaundice", True)]


def test_a_complaint_said_of_a_place_keeps_it_when_another_is_denied_after():
    text = "nodular mass in the outer quadrants of the left breast without regional lymphadenopathy"
    assert sorted(read_as(text)) == [("breast_lump", True), ("swollen_lymph_nodes", False)]
    assert read_as("Breast exam: no masses") == [("breast_lump", False)]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I can't walk without stumbling into things", "ataxia"),
        (
            "It's not unusual to develop a cough in winter, but mine wouldn't go away",
            "chronic_cough",
        ),
    ],
)
def test_a_double_negative_denies_nothing(text, finding):
    assert read_as(text) == [(finding, True)]


def test_a_bare_not_before_a_described_finding_denies_on_through_its_list():
    text = "it wasn't blinding headaches or sudden weakness that sent her to the doctor"
    assert sorted(read_as(text)) == [("headache", False), ("weakness", False)]


def test_neither_of_which_takes_back_the_list_before_it():
    text = "the obvious symptoms are recurring headaches and seizures, neither of which I had"
    assert sorted(read_as(text)) == [("convulsions", False), ("headache", False)]
    assert read_as("pain in several bones, none of which were broken") == [("bone_pain", True)]


def test_as_well_is_no_state_of_a_measure():
    # "as well": also; the appetite is not said to be well
    assert ("loss_of_appetite", False) not in read_as(
        "my appetite as well as my weight have dropped"
    )
    assert read_as("my appetite is good as well") == [("loss_of_appetite", False)]


@pytest.mark.parametrize(
    "text", ["lymph nodes normal", "Fortunately, all her lymph nodes were fine"]
)
def test_lymph_nodes_said_normal_deny_their_swelling(text):
    assert read_as(text) == [("swollen_lymph_nodes", False)]


@pytest.mark.parametrize(
    "text", ["she can't keep anything down", "I keep vomiting and can't keep fluids down"]
)
def test_not_keeping_food_or_fluids_down_is_vomiting(text):
    assert set(read_as(text)) == {("nausea_vomiting", True)}


def test_a_cause_word_said_of_what_it_measures_names_no_cause():
    # "period: a length of time" (Cambridge Dictionary), not the month's period
    assert read_as("I've lost 10 pounds over a period of time") == [("weight_loss", True)]
    assert read_as("my breasts swell before my period") == []


def test_a_cause_said_to_be_unrelated_explains_nothing():
    assert read_as("nipple discharge while breastfeeding") == []  # explained: listed, not counted
    assert read_as("nipple discharge unrelated to breastfeeding") == [("nipple_discharge", True)]


def test_a_lack_of_bladder_control_is_a_loss_of_it_not_a_denial():
    # "Bladder or bowel control problems" (NICE CG75), told with back pain: the cord's
    assert read_as("back pain and lack of bladder control") == [("spinal_cord_compression", True)]
    assert read_as("the lack of diffuse lymphadenopathy") == [("swollen_lymph_nodes", False)]


def test_an_alternative_of_a_phrase_word_is_not_in_its_way():
    # "bladder or bowel control": "bowel" is the bladder's alternative, not a word in the way
    cord = [("spinal_cord_compression", True)]
    assert read_as("back pain, numbness or lack of bladder or bowel control") == cord
    # ... not a complaint of its own: the redness is over the bone too
    assert {
        f for f, _ in read_as("swelling and redness (inflammation) around the affected bone")
    } == {
        "bone_erythema",
        "bone_swelling",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a structure examined and said normal, or not enlarged, is denied; named alone, or
        # swollen, it is the lump
        (
            "lymph nodes in the axilla are normal",
            [("axillary_lump", False), ("swollen_lymph_nodes", False)],
        ),
        ("axillary lymph nodes not enlarged", [("axillary_lump", False)]),
        ("swollen lymph nodes in the axilla", [("axillary_lump", True)]),
        ("a lymph node in my armpit", [("axillary_lump", True)]),
    ],
)
def test_lymph_nodes_examined_and_said_normal_are_denied(text, expected):
    assert read_as(text) == expected


def test_a_fragment_that_is_only_a_place_places_the_complaint_said_before():
    assert read_as("I found a lump. Under my armpit.") == [("axillary_lump", True)]
    assert read_as("I found a lump. Like for real. Under my armpit.") == [("axillary_lump", True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a relation or a certainty denied denies no eating; a wish denied is no appetite
        (
            "aching pain in the right upper quadrant, not related to eating",
            [("abdominal_pain", True)],
        ),
        ("I'm not sure about eating out", []),
        ("I just don't want to eat", [("loss_of_appetite", True)]),
    ],
)
def test_a_relation_denied_is_no_denial_of_what_it_relates_to(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a feeling after a list's items is the person's; after a statement of its own, not
        ("I felt a lump and it was horrible", [("breast_lump", True)]),
        # a complaint before a comma is no complaint of the state after it
        (
            "I have a breast lump, normal appetite.",
            [("breast_lump", True), ("loss_of_appetite", False)],
        ),
        # a circumstance's list after "when" is of alternatives, not of findings said after it
        (
            "headaches worse when I lie down, vomiting",
            [("headache", True), ("nausea_vomiting", True)],
        ),
        (
            "a dull ache in my chest, worse when I laugh, cough or breathe deeply",
            [("chest_pain", True)],
        ),
        # "any" stands for the thing asked only right after the denied verb
        ("Any lumps? I haven't seen a doctor about anything yet.", [("breast_lump", True)]),
        ("Any headaches? I haven't seen anyone about it.", [("headache", True)]),
        # a curly apostrophe denies as a straight one does: statements, not a list's items
        (
            "Headache; vision isn\u2019t blurred; nausea",
            [("headache", True), ("vision_changes", False), ("nausea_vomiting", True)],
        ),
    ],
)
def test_lists_feelings_and_answers_keep_to_what_they_are_said_of(text, expected):
    assert read_as(text) == expected


def test_a_range_read_either_way_round_and_one_without_a_unit_is_named():
    assert report(narrative="calcium 3.5 to 3.0 mmol/L")["facts"] == ["finding:hypercalcemia"]
    with pytest.raises(TriageError, match="has no unit"):
        report(narrative="corrected calcium 3.0 to 3.5")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # lymph nodes named only as the places examined, the list's predicate their denial
        (
            "Lymph nodes in axillary, infraclavicular, and supraclavicular regions free of "
            "lymphadenopathy.",
            [
                ("axillary_lump", False),
                ("infraclavicular_lump", False),
                ("supraclavicular_lump", False),
                ("swollen_lymph_nodes", False),
            ],
        ),
        # ... not a denial that is a list item of its own, nor nodes said enlarged
        (
            "enlarged lymph nodes in the axilla, no lymphadenopathy in the neck",
            [("axillary_lump", True), ("swollen_lymph_nodes", False)],
        ),
    ],
)
def test_lymph_nodes_examined_are_denied_with_the_swelling_denied_of_them(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # "beneath: in or to a lower position than: below; directly under" (Merriam-Webster):
        # a place said with one of the same place's words is said with each
        ("the cancer has spread to lymph nodes beneath the collarbone", "infraclavicular_lump"),
        ("a small hard lump under her right clavicle", "infraclavicular_lump"),
        ("pain underneath my ribs on the right", "abdominal_pain"),
        # the leg as the clinic names it, the lower limb or extremity
        ("numbness in the lower limbs and loss of bladder control", "spinal_cord_compression"),
    ],
)
def test_a_place_said_with_any_word_of_the_same_place(text, finding):
    assert read_as(text) == [(finding, True)]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # a tonic-clonic seizure as a witness tells it (Epilepsy Australia: "The body becomes
        # quite stiff (tonic) shortly followed by jerking of the muscles (clonic)")
        ("his body stiffened and began to shake", "convulsions"),
        ("he became unconscious and jerked uncontrollably", "convulsions"),
        ("she keeps dropping things", "ataxia"),
        ("he became increasingly agitated", "behavioral_changes"),
    ],
)
def test_what_a_witness_or_a_carer_sees(text, finding):
    assert read_as(text) == [(finding, True)]


def test_things_dropped_off_or_a_worry_are_no_finding():
    assert read("I dropped things off at my mum's") == []
    assert read("I was agitated about the results") == []


def test_a_clinical_nouns_regular_plural_is_the_noun():
    # lemminflect's dictionary lacks "lymphadenopathy"; its rules make the plural
    assert read_as("no lymphadenopathies or masses") == [("swollen_lymph_nodes", False)]
    assert read_as("there were no axillary adenopathies") == [("axillary_lump", False)]


def test_a_lumbar_punctures_opening_pressure_measures_the_pressure_in_the_head():
    assert read_as("the opening pressure was elevated") == [
        ("increased_intracranial_pressure", True)
    ]
    assert read_as("the opening pressure was normal") == [
        ("increased_intracranial_pressure", False)
    ]


@pytest.mark.parametrize(
    ("text", "present"),
    [
        # a multiple of the lab's own upper limit of normal: a finding, no value of ours
        ("ALT 5x ULN", True),
        ("ALT that is 1.5 times the upper limit of normal", True),
        ("alanine aminotransferase (ALT) greater than 3 times ULN", True),
        ("bilirubin 0.8 x ULN", False),
    ],
)
def test_a_lab_said_as_a_multiple_of_its_upper_limit_of_normal(text, present):
    runner = CliRunner()
    result = runner.invoke(main, ["assess", "--text", text, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    [piece] = report["understood"]
    assert piece["present"] is present
    assert piece["finding"] in {"elevated_liver_enzymes", "elevated_bilirubin"}
    assert not any(f.startswith("lab:") for f in report["facts"])  # no value made up


def test_a_units_micro_prefix_written_as_its_name():
    text = "Bilirubin is greater than 100 micromol/L"
    result = CliRunner().invoke(main, ["assess", "--text", text, "--format", "json"])
    assert result.exit_code == 0, result.output
    [piece] = json.loads(result.output)["understood"]
    assert (piece["finding"], piece["present"]) == ("elevated_bilirubin", True)


@pytest.mark.parametrize(
    "text",
    [
        "I need a sick note today",  # "note" is also a word of finding ("noted"): not past it
        'You do not need a "sick note" for the first seven days of your sickness absence.',
        "A fit note is a medical certificate from your GP.",
        "Duplicate fit notes can be issued if an original has been lost.",
    ],
)
def test_notes_and_absences_from_work_name_no_finding(text):
    assert read(text) == []


def test_a_fit_at_work_is_still_a_fit():
    assert read_as("she had a fit at work") == [("convulsions", True)]


def test_a_pair_of_other_senses_is_not_read_across_a_comma():
    # "back legs" is the back of the legs; "my back, legs and arms" are three places
    assert read_as("pain in my back, legs and arms") == [("bone_pain", True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the world was whirling counterclockwise", [("vertigo", True)]),
        ("my head is swooning and the world around me is twirling", [("vertigo", True)]),
        ("She twirled around the room in her new dress", []),  # a dancer, not the room
    ],
)
def test_the_world_whirling_is_vertigo(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "cough up: to give someone money ... when you do not really want to" (Longman)
        ("He finally coughed up the money he owed me", []),
        ("I had to cough up 50 bucks for parking", []),
        ("I had to cough up $50 for parking", []),  # a sum: a currency's sign, digits
        ("I cough up 5 times a day", [("chronic_cough", True)]),
        ("You lost the bet, so cough up twenty dollars", []),
        ("coughing up two teaspoons of blood", [("hemoptysis", True)]),
    ],
)
def test_money_coughed_up_is_no_cough(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("foods high in calcium", []),
        ("my blood is high in calcium", [("hypercalcemia", True)]),
        ("my calcium intake is high", []),
        ("eat calcium-rich foods", []),
        ("her calcium is high", [("hypercalcemia", True)]),
    ],
)
def test_calcium_in_food_is_not_in_the_blood(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I woke on Christmas morning to find a lump of coal in my sock", []),
        ("those chicken breasts are probably uneven", []),
        ("I found a lump of tissue in my breast", [("breast_lump", True)]),
    ],
)
def test_a_lump_of_a_substance_and_a_birds_breast_are_no_finding(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # NICE CG75: back pain with "any limb weakness ... sensory loss", told apart too
        (
            "I started getting severe back pain, then my left leg started to give way",
            {("spinal_cord_compression", True)},
        ),
        ("my back hurts and my legs are numb", {("spinal_cord_compression", True)}),
        (
            "developing spinal pain, numbness or weakness in arms or legs",
            {("spinal_cord_compression", True)},
        ),
        ("no back pain, but my legs are weak", {("bone_pain", False), ("weakness", True)}),
    ],
)
def test_back_pain_with_numb_or_weak_legs_told_apart_is_the_cords(text, expected):
    assert set(read_as(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "A corrected plasma calcium concentration above the upper limit of normal",
            [("hypercalcemia", True)],
        ),
        ("ALT above the ULN", [("elevated_liver_enzymes", True)]),
        ("calcium is normal", [("hypercalcemia", False)]),  # "normal" still denies
        ("normal LFTs", [("elevated_liver_enzymes", False)]),
    ],
)
def test_a_blood_test_above_the_upper_limit_of_normal_is_raised(text, expected):
    # a lab past its own upper limit, read as a lab value in the sentence is (case.py)
    result = CliRunner().invoke(main, ["assess", "--text", text, "--format", "json"])
    assert result.exit_code == 0, result.output
    understood = json.loads(result.output)["understood"]
    assert [(u["finding"], u["present"]) for u in understood if u["finding"]] == expected


def test_trouble_concentrating_is_a_change_of_mind():
    # "Altered mental status -- changes in concentration, memory, attention" (QBI)
    assert read_as("I can't concentrate") == [("behavioral_changes", True)]
    assert read_as("no difficulty concentrating") == [("behavioral_changes", False)]


def test_an_inability_to_remember_is_a_change_of_mind():
    # "inability to remember important events" (Duke Cancer Institute)
    assert read_as("My mum gets upset at her inability to remember") == [
        ("behavioral_changes", True)
    ]


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # a noun that is a verb's form too ("swelling") is read as its verb; so are its plurals
        ("I have swellings under my arm", "axillary_lump"),
        ("thickenings in my breast", "breast_lump"),
        # ... and a complaint shares the place of the list item after it
        ("a lump or swelling in the groin", None),
    ],
)
def test_the_plural_of_a_complaint_said_with_ing(text, finding):
    assert read_as(text) == ([(finding, True)] if finding else [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Why do I look yellowish?", [("jaundice", True)]),  # "-ish: somewhat"
        # a yellow discharge or stain: the colour is no jaundice, the discharge is read
        ("a yellow discharge from my nipple", [("nipple_discharge", True)]),
        ("I saw a yellowish stain in my bra one morning", [("nipple_discharge", True)]),
        ("dark yellow urine", []),
    ],
)
def test_yellowish_and_yellow_things(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("she has been absent from work with a cough", {("chronic_cough", True)}),
        ("absent-minded and forgetful", {("behavioral_changes", True)}),
    ],
)
def test_absent_from_a_place_or_absent_minded_denies_nothing(text, expected):
    assert set(read_as(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The anti-nausea meds are working", []),
        ("she is on anti-seizure medication", []),
        ("anti nausea pills and I still feel sick", [("nausea_vomiting", True)]),
    ],
)
def test_what_a_medicine_acts_against_is_no_complaint(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Why don't I feel good?", [("malaise", True)]),
        ("I haven't been feeling good lately", [("malaise", True)]),
        ("the news was not good", []),  # no feeling: "good" is the news'
        ("the surgery did not go well", []),  # how a thing turned out
        ("I'm not well", [("malaise", True)]),
    ],
)
def test_not_feeling_good_is_malaise_a_thing_not_good_is_not(text, expected):
    assert read_as(text) == expected


def test_a_normal_lab_said_with_its_names_words():
    assert set(
        read_as("Biochemical tests revealed normal total bilirubin, aspartate transaminase levels")
    ) == {("elevated_bilirubin", False), ("elevated_liver_enzymes", False)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the breastbone's place (BiologyInsights: "at the center of the chest")
        ("Why is there a hard lump in the middle of my chest?", [("internal_mammary_lump", True)]),
        ("pain in the middle of my chest", [("chest_pain", True)]),  # a lump's place only
    ],
)
def test_a_lump_in_the_middle_of_the_chest_is_the_breastbones(text, expected):
    assert read_as(text) == expected


def test_pain_when_breathing_in_said_with_inhale():
    assert read_as("Does pain when I inhale mean cancer?") == [("chest_pain", True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Swollen glands feel like tender, painful lumps: ... under the chin" (NHS)
        ("I felt a tender, pea-sized knot just under my jaw", [("swollen_lymph_nodes", True)]),
        ("a lump on my jaw", []),  # the jaw's own
    ],
)
def test_a_lump_under_the_chin_or_jaw_is_a_gland(text, expected):
    assert read_as(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # faults a review found in this stop's changes, each now a test
        ("my back hurts and my legs are not weak", {("bone_pain", True), ("weakness", False)}),
        ("I have been sick for 2 days", {("nausea_vomiting", True)}),
        ("the pain goes from my lower back up to my neck", {("bone_pain", True)}),
        ("I cough up fine specks of blood", {("hemoptysis", True)}),
        ("absent periods, hot flushes and back pain", {("bone_pain", True)}),
        ("I had head and shoulder massage, my knee aches", set()),
        (
            "pain in my lower back, weakness in all four limbs",
            {("bone_pain", True), ("weakness", True)},
        ),
        ("I keep dropping things off at the charity shop", set()),
        ("everything has been a whirl since the diagnosis", set()),
        ("I don't feel good about the results", set()),
    ],
)
def test_what_the_review_of_stop_27_found(text, expected):
    assert set(read_as(text)) == expected


def test_a_lab_past_its_upper_limit_in_the_urine_is_not_the_bloods():
    text = "urine calcium above the upper limit of normal"
    result = CliRunner().invoke(main, ["assess", "--text", text, "--format", "json"])
    assert result.exit_code == 2  # nothing read
