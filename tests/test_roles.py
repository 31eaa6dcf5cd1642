"""Speaker roles: --manager by name or label, the roster, and honest inference."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachloop.errors import InputError, RoleError
from coachloop.model import Meeting, Role, build_meeting
from coachloop.roles import Roster, RosterEntry, assign_roles, load_roster


def meeting(*rows: tuple[str, str]) -> Meeting:
    return build_meeting(
        id="m" * 12,
        title="t",
        rows=[{"speaker": s, "start": i, "end": i + 1, "text": t} for i, (s, t) in enumerate(rows)],
    )


ONE_ON_ONE = meeting(
    ("Ben Okafor", "Morning."),
    ("Ana Silva", "How did the call go?"),
    ("Ben Okafor", "Not great."),
    ("Ana Silva", "What happened?"),
)
DIARISED = meeting(
    ("SPEAKER_00", "Hi. How are you?"), ("SPEAKER_01", "Good, you?"), ("SPEAKER_00", "Fine.")
)


def roles(m: Meeting) -> dict[str, Role]:
    return {s.label: s.role for s in m.speakers}


@pytest.mark.parametrize(
    ("m", "manager", "label"),
    [
        (ONE_ON_ONE, "Ana Silva", "Ana Silva"),
        (ONE_ON_ONE, "  ana   SILVA ", "Ana Silva"),
        (DIARISED, "SPEAKER_01", "SPEAKER_01"),
        (DIARISED, "speaker_01", "SPEAKER_01"),
        (meeting(("A", "x"), ("B", "y")), "B", "B"),
        (meeting(("0", "x"), ("1", "y")), "0", "0"),
    ],
)
def test_manager_flag_matches_a_name_or_a_label(m: Meeting, manager: str, label: str) -> None:
    result = assign_roles(m, manager=manager)
    assert (result.manager_label, result.inferred) == (label, False)
    assert result.reason == f"--manager {manager.strip()!r} is speaker {label!r}"
    assert roles(result.meeting) == {
        s.label: Role.MANAGER if s.label == label else Role.REP for s in m.speakers
    }


def test_manager_flag_that_matches_nobody_is_an_error_not_a_guess() -> None:
    with pytest.raises(RoleError) as info:
        assign_roles(DIARISED, manager="Ana")
    assert str(info.value) == (
        "t: no speaker matches --manager 'Ana'; the speakers are SPEAKER_00, SPEAKER_01 "
        "(pass one of those labels or names)"
    )
    assert info.value.exit_code == 2


def test_inference_picks_the_speaker_asking_most_questions_and_says_so() -> None:
    result = assign_roles(ONE_ON_ONE)
    assert (result.manager_label, result.inferred) == ("Ana Silva", True)
    assert result.reason == (
        "inferred: Ana Silva asked the most questions (2; Ben Okafor 0); pass --manager to be sure"
    )
    assert roles(result.meeting) == {"Ben Okafor": Role.REP, "Ana Silva": Role.MANAGER}


def test_inference_tie_goes_to_who_spoke_first() -> None:
    result = assign_roles(meeting(("Ben", "Ready?"), ("Ana", "Yes. You?")))
    assert result.manager_label == "Ben"
    assert result.reason == (
        "inferred: Ben spoke first among those asking the most questions (1; Ana 1); "
        "pass --manager to be sure"
    )


def test_no_speaker_names_means_no_manager() -> None:
    result = assign_roles(meeting(("Unknown", "Hi?"), ("Unknown", "Hello")))
    assert (result.manager_label, result.inferred) == (None, False)
    assert result.reason == "no speaker names in this transcript; every speaker's role is 'other'"
    assert roles(result.meeting) == {"Unknown": Role.OTHER}


def test_unknown_speaker_stays_other_next_to_named_ones() -> None:
    result = assign_roles(meeting(("Ana", "How?"), ("Unknown", "noise"), ("Ben", "Fine")))
    assert roles(result.meeting) == {"Ana": Role.MANAGER, "Unknown": Role.OTHER, "Ben": Role.REP}


ROSTER = Roster(
    (
        RosterEntry("Ana Silva", "ana@example.com", Role.MANAGER),
        RosterEntry("Ben Okafor", "ben@example.com", Role.REP, manager_email="ana@example.com"),
        RosterEntry("Cleo Park", "cleo@example.com", Role.MANAGER),
    )
)


def test_roster_reporting_line_decides_and_fills_names_and_emails() -> None:
    result = assign_roles(ONE_ON_ONE, roster=ROSTER)
    assert (result.manager_label, result.inferred) == ("Ana Silva", False)
    assert result.reason == "roster: Ana Silva is Ben Okafor's manager"
    ana = result.meeting.speaker("Ana Silva")
    assert (ana.email, ana.role) == ("ana@example.com", Role.MANAGER)


def test_roster_lets_manager_be_an_email() -> None:
    result = assign_roles(ONE_ON_ONE, manager="ana@example.com", roster=ROSTER)
    assert result.manager_label == "Ana Silva"


def test_roster_without_a_match_falls_back_to_inference_and_says_so() -> None:
    result = assign_roles(DIARISED, roster=ROSTER)
    assert result.inferred
    assert result.reason.endswith("(the roster names no manager among the speakers)")


def test_load_roster(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        "\ufeffName,Email,Role,Manager_Email,team,cohort\n"
        "Ana Silva,ana@example.com,Manager,,east,2026a\n"
        "Ben Okafor,ben@example.com,rep,ana@example.com,east,\n",
        encoding="utf-8",
    )
    roster = load_roster(path)
    assert roster.entries == (
        RosterEntry("Ana Silva", "ana@example.com", Role.MANAGER, None, "east", "2026a"),
        RosterEntry("Ben Okafor", "ben@example.com", Role.REP, "ana@example.com", "east", None),
    )
    assert roster.find("BEN  okafor") == roster.entries[1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,email\n", "{p}, line 1: roster header lacks role, manager_email"),
        (
            "name,email,role,manager_email\nAna,,manager,\n",
            "{p}, line 2: a roster row needs a name and an email",
        ),
        (
            "name,email,role,manager_email\nAna,a@x,boss,\n",
            "{p}, line 2: role must be manager, rep or other, got 'boss'",
        ),
        (
            "name,email,role,manager_email\nAna,a@x,manager,\nAnn,A@X,rep,\n",
            "{p}, line 3: email 'A@X' is already on line 2",
        ),
    ],
)
def test_bad_roster_names_the_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(content)
    with pytest.raises(InputError) as info:
        load_roster(path)
    assert str(info.value).startswith(message.format(p=path))


def test_missing_roster(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such roster file"):
        load_roster(tmp_path / "nope.csv")


def test_roster_in_utf16_and_cp1252(tmp_path: Path) -> None:
    text = "name,email,role,manager_email\nZoë Ruiz,zoe@example.com,manager,\n"
    for i, data in enumerate((text.encode("utf-16"), text.encode("cp1252"))):
        path = tmp_path / f"r{i}.csv"
        path.write_bytes(data)
        assert load_roster(path).entries[0].name == "Zoë Ruiz"
