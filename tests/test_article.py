"""What the report says is what the article says, where it says it (issue 11's statements)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from triage.cli import main
from triage.errors import KnowledgeError
from triage.knowledge import default_rules_dir, load
from triage.lint import lint

from .conftest import status

PALLIATIVE = "palliative: they relieve symptoms, not cure"
MASTECTOMY = "the local recurrence is treated with mastectomy"


def text_report(*words: str) -> str:
    """The text report with its explanation, its lines joined (wrapping and marks aside)."""
    result = CliRunner().invoke(main, ["assess", *words, "--explain"])
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.replace("*", "").split())  # `*`: only suspected


def test_the_mastectomy_line_is_shown_only_after_lumpectomy_and_radiation():
    armpit = text_report("lump in my armpit")
    assert "Surgery indicated Spread to the axillary nodes alone" in armpit
    assert MASTECTOMY not in armpit
    recurrence = text_report(
        "a lump in the breast that persists", "--history", "lumpectomy_and_radiation"
    )
    assert "Surgery indicated A local recurrence after lumpectomy" in recurrence
    assert f'- "If the initial cancer was treated with lumpectomy and radiation, {MASTECTOMY}' in (
        recurrence
    )


def test_axillary_spread_is_curable_by_surgery_only_without_distant_spread(assess):
    alone = assess(findings=["lump in my armpit"])
    assert status(alone, "surgery") == "indicated"
    assert "treatment.surgery.axillary-nodes" in alone.rules_fired()
    with_bone = assess(findings=["lump in my armpit", "pathological fracture"])
    assert with_bone.prognosis.level == "distant_organs"
    assert status(with_bone, "surgery") == "not_indicated"
    assert "treatment.surgery.axillary-nodes" not in with_bone.rules_fired()


def test_with_distant_spread_surgery_may_reduce_symptoms(assess):
    report = assess(
        findings=["lump in my armpit", "pathological fracture"], history=["severe_symptoms"]
    )
    surgery = next(t for t in report.treatments if t.id == "surgery")
    assert surgery.status == "indicated"
    assert [s.rule for s in surgery.trace if s.concludes.startswith("treatment:")] == [
        "treatment.surgery.reduce-symptoms"
    ]
    assert surgery.trace[-1].quote.startswith("Surgery is indicated in certain conditions")


def test_palliative_is_said_only_of_spread_to_distant_organs():
    assert PALLIATIVE in text_report("pathological fracture")
    assert PALLIATIVE not in text_report("lump in my armpit")
    assert PALLIATIVE not in text_report("tiredness")


def test_hormone_therapy_that_has_become_ineffective_is_said_beside_it_and_not_decided():
    text = text_report(
        "severe and increasing bone pain",
        "--er",
        "positive",
        "--history",
        "hormone_therapy_ineffective",
    )
    hormone = text.split("Hormone therapy indicated")[1].split("Radiation therapy")[0]
    assert "has become ineffective" in hormone
    assert "beyond the article" in hormone
    assert "Chemotherapy indicated" in text


def test_mri_is_suggested_for_the_lungs(assess):
    report = assess(findings=["coughing up blood", "breathless"])
    mri = next(t for t in report.tests if t.id == "mri")
    assert "test.mri.lung" in {step.rule for step in mri.trace}


def test_tumour_markers_are_suggested_once_with_what_they_cannot_show(assess):
    report = assess(findings=["pathological fracture", "tiredness"])
    markers = [t for t in report.tests if t.id == "tumor_markers"]
    assert len(markers) == 1
    notes = {step.note for step in markers[0].trace if step.concludes == "test:tumor_markers"}
    assert notes and all("neither show where" in note and "nor confirm" in note for note in notes)


def test_no_test_is_suggested_whose_result_the_case_gives(assess):
    markers = assess(findings=["pathological fracture"], labs={"cea": "2 ng/mL"})
    assert "tumor_markers" not in {t.id for t in markers.tests}
    assert [t.id for t in markers.tests_given] == ["tumor_markers"]
    xray = assess(findings=["chronic cough", "chest x-ray shows metastasis"])
    assert "chest_xray" not in {t.id for t in xray.tests}
    without = assess(findings=["chronic cough"])
    assert "chest_xray" in {t.id for t in without.tests}


def test_why_not_a_test_says_the_case_gives_its_result():
    result = CliRunner().invoke(
        main, ["assess", "chronic cough", "chest x-ray shows metastasis", "--why-not", "chest_xray"]
    )
    assert "chest_xray is not suggested: the case gives its result" in result.stdout
    assert "test.chest-xray.result-given" in result.stdout


def test_every_pet_ct_suggestion_cites_a_reference_for_its_case(kb):
    pet_ct = [rule for rule in kb.rules if rule.then == "test:pet_ct"]
    assert pet_ct and all(rule.reference for rule in pet_ct)


def test_lymph_node_spread_cites_the_lymphatic_route_to_other_parts_of_the_body(assess):
    report = assess(findings=["lump above the collar bone"])
    pet_ct = next(t for t in report.tests if t.id == "pet_ct")
    quotes = " ".join(step.quote or "" for step in pet_ct.trace)
    assert "through the lymphatic circulatory system, they settle in different parts" in quotes


def test_radiation_for_cord_compression_quotes_the_lead_in_with_its_item(kb):
    quote = kb.rule("treatment.radiation.spinal-cord-compression").quote
    assert quote.startswith("Commonly, the following metastases are treated with this therapy")
    assert quote.endswith("Spinal cord compression")


def test_the_gnrh_medicines_are_named_as_the_article_names_them_with_a_cited_note():
    text = text_report("severe and increasing bone pain", "--er", "positive")
    assert '"Gonadotropin-releasing hormone antagonists medications are given' in text
    assert "GnRH (LHRH) agonists" in text and "Front Oncol 2021" in text
    assert "block the estrogen receptor" in text and "NCI Dictionary" in text


def test_the_urgent_grade_of_a_suspected_site_says_it_is_not_from_the_article():
    text = text_report("severe and increasing bone pain")
    summary = text.split("Urgency:")[1].split("Extent:")[0]
    assert summary.startswith(" urgent.") and "this project's choice, not the article's" in summary
    assert "note: Urgent is this project's choice, not the article's" in text


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), folder, ignore=shutil.ignore_patterns("*.py"))
    return folder


def _replace(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_lint_names_a_rule_whose_quote_is_about_something_else(rules_copy):
    _replace(
        rules_copy,
        "tests.yaml",
        '"the suspected organs are subjected to the following tests. • Bone scan"',
        '"History and symptoms act as pointers to the likely site of metastasis and the'
        ' suspected organs are subjected to the following tests."',
    )
    problems = [p for p in lint(rules_copy, []) if p.code == "quote-off-subject"]  # no library
    assert [p.where for p in problems] == ["tests.yaml: rule test.bone-scan.bone"]
    assert "bone scan" in problems[0].message


def test_each_site_rule_takes_its_certainty_from_its_grade(kb):
    grades = kb.catalogue.grades
    assert set(grades) == {"strong", "medium", "weak"}
    assert grades["weak"].cf < grades["medium"].cf < grades["strong"].cf
    # That each graded rule's cf is its grade's is a load check (the test below).
    assert kb.rule("site.bone.spinal-cord-compression").grade == "strong"
    assert kb.rule("site.lung.chest-pain").grade == "weak"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("grade: strong\n", "grade: strong\n    cf: 0.7\n", "field cf: 0.7 is not its grade's"),
        ("grade: strong\n", "grade: firm\n", "field grade: unknown grade 'firm'"),
        ("grade: strong\n", "cf: 0.8\n", "field grade: missing"),
    ],
)
def test_a_site_rule_whose_cf_is_not_its_grade_is_refused(rules_copy, old, new, message):
    _replace(rules_copy, "sites.yaml", old, new)
    with pytest.raises(KnowledgeError, match=message):
        load(rules_copy)
