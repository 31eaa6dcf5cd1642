"""The validation package: tag parsing, metrics, AMI frame maths, regression check, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coachloop.cli import app
from coachloop.validation import ami, check, labelled, mrda, render_markdown
from coachloop.validation.metrics import PRF, prf

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT.parent / "shared" / "datasets"
needs_datasets = pytest.mark.skipif(not DATASETS.is_dir(), reason="no ../shared/datasets")


@pytest.mark.parametrize(
    ("tag", "question", "directive", "interrupted"),
    [
        ("qy^rt", True, False, False),
        ("s^bu|qy^d^g", True, False, False),
        ("qw.%-", True, False, True),
        ("s:qw", True, False, False),
        ("s^co", False, True, False),
        ("fg|qo^cs^t^tc", True, True, False),
        ("s^cs.%-", False, True, True),
        ("s.%--", False, False, False),
        ("b", False, False, False),
        ("%-", False, False, True),
    ],
)
def test_mrda_gold_labels(tag: str, question: bool, directive: bool, interrupted: bool) -> None:
    assert mrda.is_question(tag) is question
    assert mrda.is_directive(tag) is directive
    assert mrda.is_interrupted(tag) is interrupted


@pytest.mark.parametrize(("tag", "scored"), [("z", False), ("x", False), ("", False), ("s", True)])
def test_mrda_scored(tag: str, scored: bool) -> None:
    assert mrda.is_scored(tag) is scored


def test_read_dadb(tmp_path: Path) -> None:
    path = tmp_path / "M.dadb"
    path.write_text(
        "2.0,3.0,M-c1_1,A,2.0+2.5+o_k|2.5+3.0+right,s^bk,M-c1,me1,s^bk,,,,,\n"
        "0.5,1.5,M-c2_1,A,0.5+1.0+did|1.0+1.5+you,qy,M-c2,fe2,qy,,,,,\n"
    )
    segs = mrda.read_segments(path)
    assert [s.speaker for s in segs] == ["fe2", "me1"]
    assert segs[1].text == "ok right"
    assert mrda.to_meeting("M", segs).utterances[0].text == "did you"


@pytest.mark.parametrize(
    ("pred", "gold", "expected"),
    [
        ([True, True, False, False], [True, False, True, False], (1, 1, 1)),
        ([False, False], [False, False], (0, 0, 0)),
        ([True, True], [True, True], (2, 0, 0)),
    ],
)
def test_prf_counts(pred: list[bool], gold: list[bool], expected: tuple[int, int, int]) -> None:
    r = prf(pred, gold)
    assert (r.tp, r.fp, r.fn) == expected


def test_prf_values() -> None:
    r = PRF(tp=3, fp=1, fn=2)
    assert r.precision == pytest.approx(0.75)
    assert r.recall == pytest.approx(0.6)
    assert r.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)


def test_frame_stats_overlap_and_speaking_time() -> None:
    turns = [ami.Turn("A", 0.0, 4.0), ami.Turn("B", 3.0, 5.0), ami.Turn("A", 6.0, 7.0)]
    secs, overlap = ami.frame_stats(turns)
    assert secs == pytest.approx({"A": 5.0, "B": 2.0})
    assert overlap == pytest.approx(1.0 / 6.0)


def test_merge_turns_joins_short_pauses_of_one_speaker() -> None:
    turns = [ami.Turn("A", 0.0, 1.0), ami.Turn("B", 0.5, 0.8), ami.Turn("A", 1.5, 2.0)]
    merged = ami.merge_turns(turns, gap=1.0)
    assert merged == [ami.Turn("A", 0.0, 2.0), ami.Turn("B", 0.5, 0.8)]


def test_read_rttm(tmp_path: Path) -> None:
    path = tmp_path / "X.rttm"
    path.write_text("SPEAKER X 1 1.50 2.00 <NA> <NA> spk1 <NA> <NA>\n")
    assert ami.read_rttm(path) == [ami.Turn("spk1", 1.5, 3.5)]


FIG = {"mrda_test": {"q": {"f1": 0.7, "support": 10}}, "ami_test": {"talk_share_mae_pp": 0.1}}


@pytest.mark.parametrize(
    ("now", "problems"),
    [
        ({"mrda_test": {"q": {"f1": 0.7}}, "ami_test": {"talk_share_mae_pp": 0.1}}, 0),
        ({"mrda_test": {"q": {"f1": 0.698}}, "ami_test": {"talk_share_mae_pp": 0.1}}, 0),
        ({"mrda_test": {"q": {"f1": 0.69}}, "ami_test": {"talk_share_mae_pp": 0.1}}, 1),
        ({"mrda_test": {"q": {"f1": 0.8}}, "ami_test": {"talk_share_mae_pp": 0.2}}, 1),
        ({"mrda_test": {}, "ami_test": {"talk_share_mae_pp": 0.1}}, 1),
    ],
)
def test_check_flags_regressions(now: dict, problems: int) -> None:  # type: ignore[type-arg]
    assert len(check(now, FIG)) == problems


def test_labelled_set_is_split_and_valid() -> None:
    dev = labelled.read_labelled(labelled.DEFAULT_DIR / "dev.tsv")
    test = labelled.read_labelled(labelled.DEFAULT_DIR / "test.tsv")
    assert len(dev) + len(test) >= 300
    assert not {i.text for i in dev} & {i.text for i in test}
    assert len({i.id for i in dev + test}) == len(dev) + len(test)


RECORDED = json.loads((ROOT / "docs" / "validation.json").read_text())


@pytest.mark.parametrize("act", ["advice", "evidence", "feedback"])
def test_labelled_test_scores_hold(act: str) -> None:
    """The hand-labelled figures in docs/validation.json still hold (no datasets needed)."""
    got = labelled.score_labelled(labelled.DEFAULT_DIR / "test.tsv")[act].f1
    assert got >= RECORDED["labelled_test"][act]["f1"] - 0.005


def test_render_markdown_has_every_row() -> None:
    text = render_markdown(RECORDED, command="coachloop validate --datasets D")
    assert "interrupted segment" in text and "talk share" in text and "| advice |" in text


def test_cli_refuses_a_folder_without_data(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", "--datasets", str(tmp_path)])
    assert result.exit_code == 2


@pytest.mark.datasets
@needs_datasets
def test_mrda_and_ami_files_parse() -> None:
    name = mrda.split_meetings(DATASETS, "test")[0]
    segs = mrda.read_segments(DATASETS / "mrda" / "database" / f"{name}.dadb")
    assert len(segs) > 100 and any(mrda.is_question(s.tag) for s in segs)
    turns = ami.read_rttm(ami.rttm_paths(DATASETS, "test")[0])
    assert len({t.speaker for t in turns}) >= 3


@pytest.mark.datasets
@needs_datasets
def test_cli_check_fails_on_a_raised_bar(tmp_path: Path) -> None:
    """One run (CI runs the passing case itself through scripts/test.sh)."""
    runner = CliRunner()
    args = ["validate", "--datasets", str(DATASETS), "--check"]
    raised = json.loads((ROOT / "docs" / "validation.json").read_text())
    raised["mrda_test"]["question_unpunctuated"]["f1"] += 0.05
    bar = tmp_path / "raised.json"
    bar.write_text(json.dumps(raised))
    result = runner.invoke(app, [*args, str(bar)])
    assert result.exit_code == 1
    assert "question_unpunctuated.f1" in result.output
