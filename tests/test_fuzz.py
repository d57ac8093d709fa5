"""Property-based tests: generated cases, files and command lines, valid and broken.

About 2,350 generated inputs in the long profile (the budgets below:
`pytest --hypothesis-profile=long tests/test_fuzz.py`), a twentieth of that in `make test`'s quick
profile (tests/conftest.py). The same properties run for as long as you like with `make fuzz`.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .conftest import budget
from .strategies import (
    assess_args,
    broken_cases,
    case_texts,
    check_bad_input,
    check_broken_case,
    check_case_as_validated,
    check_cohort,
    check_command_line,
    check_damaged_cache,
    check_file,
    check_file_names,
    check_hostile_case,
    check_lookup,
    check_valid_case,
    cohort_bytes,
    damaged_caches,
    file_names,
    hostile_cases,
    invoke,
    json_objects,
    no_traceback,
    valid_cases,
    write,
)


@budget(550)
@given(case=valid_cases(), seed=st.integers(0, 2**32))
def test_a_valid_case_gives_a_report_of_proofs_whatever_the_order_of_its_lists(case, seed):
    check_valid_case(case, seed)


@budget(550)
@given(case=broken_cases())
def test_a_case_with_one_thing_wrong_is_refused_in_one_line(case):
    check_broken_case(case)


@budget(300)
@given(case=st.one_of(valid_cases(), broken_cases(), hostile_cases(), json_objects()))
def test_a_case_is_read_as_its_validation_reads_it(case):
    check_case_as_validated(case)


# Shapes at the edge of what parse_case builds without validating: each read as validated.
EDGE_CASES = [
    {"id": "a"},
    {"id": "a\n"},
    {"id": "a b"},
    {"id": ""},
    {"id": 3},
    {"title": "no id"},
    {"id": "a", "title": None},
    {"id": "a", "title": "T\u2028"},
    {"id": "a", "title": "\u00e9t\u00e9"},
    {"id": "a", "findings": None},
    {"id": "a", "findings": "jaundice"},
    {"id": "a", "findings": ["jaundice"] * 101},
    {"id": "a", "findings": ["x" * 201]},
    {"id": "a", "findings": ["\x1b[31m"]},
    {"id": "a", "findings": [3]},
    {"id": "a", "labs": {"calcium": True}},
    {"id": "a", "labs": {"calcium": 3}},
    {"id": "a", "labs": {"calcium": 3.5}},
    {"id": "a", "labs": {"calcium": "3 mmol/L"}},
    {"id": "a", "labs": {"calcium": None}},
    {"id": "a", "labs": {f"lab{i}": 1 for i in range(21)}},
    {"id": "a", "receptors": {"er": "positive"}},
    {"id": "a", "receptors": {}},
    {"id": "a", "receptors": None},
    {"id": "a", "receptors": {"er": ["positive"]}},
    {"id": "a", "receptors": {"xr": "positive"}},
    {"id": "a", "progression": "rapid"},
    {"id": "a", "progression": "fast"},
    {"id": "a", "progression": ["rapid"]},
    {"id": "a", "narrative": "she has had a cough for weeks"},
    {"id": "a", "narrative": "a cough\tfor weeks"},
    {"id": "a", "narrative": "x" * 10_001},
    {"id": "a", "tags": ["bone"], "notes": "n", "confirmed_sites": ["bone"]},
    {"id": "a", "history": [], "absent": [], "labs": {}},
    {"id": "a", "extra": 1},
]


@pytest.mark.parametrize("case", EDGE_CASES)
def test_a_case_at_the_edge_of_the_plain_shape_is_read_as_its_validation_reads_it(case):
    check_case_as_validated(case)


@budget(150)
@given(case=valid_cases(), as_json=st.booleans())
def test_a_valid_case_file_gives_the_same_report_as_the_library(case, as_json):
    import yaml

    with tempfile.TemporaryDirectory() as folder:
        name, text = ("c.json", json.dumps(case)) if as_json else ("c.yaml", yaml.safe_dump(case))
        result = check_file(write(Path(folder), name, text.encode()))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == check_valid_case(case, 0)


@budget(100)
@given(case=broken_cases())
def test_a_broken_case_file_is_one_error_line_naming_it(case):
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), "bad.json", json.dumps(case).encode())
        check_bad_input(invoke(["run", str(path)]), str(path))


@budget(400)
@given(file=case_texts())
def test_any_file_gives_a_report_or_one_error_line(file):
    suffix, content = file
    with tempfile.TemporaryDirectory() as folder:
        check_file(write(Path(folder), "case" + suffix, content))


@budget(300)
@given(args=assess_args())
def test_any_command_line_gives_a_report_or_one_error_line(args):
    check_command_line(args)


@budget(150)
@given(
    command=st.sampled_from([["vocab"], ["rules", "show"]]),
    word=st.text(max_size=40) | st.sampled_from(["jaundice", "site.bone.bone-pain", "ca"]),
)
def test_any_word_looked_up_gives_an_answer_or_one_error_line(command, word):
    check_lookup(command, word)


@budget(60)
@given(files=st.lists(st.one_of(valid_cases(), broken_cases()), min_size=2, max_size=5))
def test_one_broken_file_does_not_stop_the_others(files):
    with tempfile.TemporaryDirectory() as folder:
        paths = [
            write(Path(folder), f"{i}.json", json.dumps(case).encode())
            for i, case in enumerate(files)
        ]
        result = invoke(["run", *map(str, paths), "--format", "json"])
    no_traceback(result)
    answered = [json.loads(line)["case_id"] for line in result.stdout.splitlines()]
    errors = result.stderr.splitlines()
    bad = [str(p) for p in paths if any(line.startswith(f"error: {p}: ") for line in errors)]
    good = [case["id"] for case, p in zip(files, paths, strict=True) if str(p) not in bad]
    assert answered == good
    if bad:
        assert result.exit_code == 2
        assert errors[-1] == f"{len(good)} evaluated, {len(bad)} bad"
        assert len(errors) == len(bad) + 1
    else:
        assert result.exit_code == 0 and errors == []


# -- the edges -----------------------------------------------------------------------------


@budget(40)
@given(data=cohort_bytes())
def test_any_cohort_gives_one_valid_json_line_per_case_in_order(data):
    check_cohort(data)


@budget(40)
@given(case=hostile_cases())
def test_hostile_text_in_a_case_leaves_every_output_parseable(case):
    check_hostile_case(case)


@budget(10)
@given(names=file_names)
def test_case_files_with_names_of_any_bytes_give_parseable_outputs(names):
    with tempfile.TemporaryDirectory() as folder:
        cases = Path(folder) / "cases"
        cases.mkdir()
        check_file_names(names, cases)


@budget(10)
@given(damaged=damaged_caches())
def test_a_damaged_knowledge_cache_is_rebuilt_never_trusted(damaged):
    check_damaged_cache(*damaged)
