"""The engine's mechanics, with a fake tagger so each message's acts are exact."""

from __future__ import annotations

import json
import random
from collections.abc import Callable

import pytest

from coachloop.errors import PracticeError
from coachloop.practice import (
    DEFAULT_EFFECTS,
    PracticeSession,
    Reaction,
    SessionState,
    choose_line,
    classify,
)
from tests.practice.conftest import FakeTagger, make_scenario

NewSession = Callable[..., PracticeSession]


def started(new_session: NewSession, **kw: object) -> PracticeSession:
    s = new_session(**kw)
    s.start()
    return s


def test_opening_fills_placeholders_and_activates(new_session: NewSession) -> None:
    s = new_session(manager_name="Dana")
    assert s.status is SessionState.CREATED
    assert s.start().text == "Hi Dana."
    assert s.status is SessionState.ACTIVE


def test_telling_before_asking_makes_the_rep_defensive(new_session: NewSession) -> None:
    s = started(new_session)
    reply = s.send("You should call the CFO.")
    assert reply.reactions[0] == "tell_before_ask"
    assert reply.text == "Fine, whatever you say."
    eff = DEFAULT_EFFECTS[Reaction.tell_before_ask]
    assert s.rep_state.defensiveness == pytest.approx(0.3 + eff.defensiveness)
    assert s.rep_state.openness == pytest.approx(0.5 + eff.openness)


def test_advice_after_a_question_is_not_telling(new_session: NewSession) -> None:
    s = started(new_session)
    s.send("Did it go well?")
    assert s.send("You should call the CFO.").reactions[0] == "advice"


def test_vague_feedback_gets_what_do_you_mean(new_session: NewSession) -> None:
    s = started(new_session)
    assert s.send("Good job.").text == "What do you mean?"


def test_evidence_feedback_engages(new_session: NewSession) -> None:
    s = started(new_session)
    before = s.rep_state.clarity
    reply = s.send("At minute 4 you let them talk, good work.")
    assert reply.reactions[0] == "evidence_feedback"
    assert s.rep_state.clarity > before


def test_outcome_only_makes_the_rep_dwell_on_the_loss(new_session: NewSession) -> None:
    s = started(new_session)
    reply = s.send("We lost the deal.")
    assert reply.reactions == ("outcome_only",)
    assert s.rep_state.defensiveness > 0.3


def test_an_open_question_on_the_topic_reveals_the_fact(new_session: NewSession) -> None:
    s = started(new_session)
    reply = s.send("What happened with the budget?")
    assert reply.revealed == "budget_cut"
    assert reply.text.lower().endswith("their budget was cut in may.")
    assert s.unlocked == ["budget_cut"]


def test_a_closed_question_on_the_topic_reveals_nothing(new_session: NewSession) -> None:
    s = started(new_session)
    reply = s.send("Was it the budget?")
    assert reply.revealed is None
    assert s.unlocked == []


def test_an_open_question_off_topic_reveals_nothing(new_session: NewSession) -> None:
    s = started(new_session)
    reply = s.send("What's up?")
    assert reply.revealed is None
    assert reply.reactions == ("open_question",)


def test_a_fact_waits_for_enough_openness(new_session: NewSession) -> None:
    s = started(new_session)
    # openness 0.5 + 0.1 from the question = 0.6 reaches new_cfo's threshold exactly
    assert s.send("Who made the decision?").revealed == "new_cfo"
    s2 = started(new_session)
    s2.send("You should call the CFO.")  # openness drops to 0.35
    assert s2.send("Who made the decision?").revealed is None


def test_a_defensive_rep_is_guarded_even_to_the_right_question(new_session: NewSession) -> None:
    s = started(new_session)
    s.send("You should call the CFO.")
    s.send("You should call the CFO.")  # defensiveness 0.3 + 0.25 + 0.25 >= guard_at 0.7
    assert s.rep_state.defensiveness >= 0.7
    reply = s.send("What happened with the budget?")
    assert reply.reactions[0] == "guarded"
    assert reply.revealed is None


def test_same_seed_same_session_other_seed_other_lines(new_session: NewSession) -> None:
    msgs = ["Okay.", "Good job.", "We lost the deal.", "What's up?", "Okay.", "Did it go well?"]

    def run(seed: int) -> list[str]:
        s = started(new_session, seed=seed)
        return [s.send(m).text for m in msgs]

    assert run(3) == run(3)
    assert any(run(3) != run(seed) for seed in range(4, 8))


def test_no_line_repeats_even_when_the_same_reaction_recurs(new_session: NewSession) -> None:
    s = started(new_session)
    texts = [s.send("Okay.").text for _ in range(45)]
    assert len(set(texts)) == len(texts)


def test_choose_line_prefers_the_scenarios_own_lines() -> None:
    sc = make_scenario()
    fields = sc.fields_for_lines("M")
    first = choose_line(
        sc, Reaction.vague_feedback, rng=random.Random(0), used=set(), fields=fields
    )
    assert first == "What do you mean?"
    second = choose_line(
        sc, Reaction.vague_feedback, rng=random.Random(0), used={first}, fields=fields
    )
    assert second != first


@pytest.mark.parametrize(
    ("acts", "text", "asked", "expected"),
    [
        ({"advice"}, "Call them.", False, ["tell_before_ask"]),
        ({"advice"}, "Call them.", True, ["advice"]),
        ({"feedback"}, "Nice.", False, ["vague_feedback"]),
        ({"feedback", "evidence"}, "Nice call at 4:10.", False, ["evidence_feedback"]),
        ({"benchmark"}, "The team does better.", False, ["unfounded_benchmark"]),
        ({"benchmark"}, "You're at 12%, the team 21%.", False, ["benchmark"]),
        ({"outcome_talk"}, "We lost.", False, ["outcome_only"]),
        ({"commitment"}, "I'll fix it.", False, ["commitment"]),
        ({"question", "closed_question"}, "Ok?", False, ["closed_question"]),
        ({"backchannel"}, "Mm.", False, ["backchannel"]),
        (set(), "Hm.", False, ["default"]),
    ],
)
def test_classify(acts: set[str], text: str, asked: bool, expected: list[str]) -> None:
    got = classify(frozenset(acts), text, asked_before=asked, topics=frozenset())
    assert [r.value for r in got] == expected


def test_coaching_two_skills_at_once_is_scattered() -> None:
    got = classify(
        frozenset({"advice"}), "x", asked_before=True, topics=frozenset({"demo", "discovery"})
    )
    assert got[0] is Reaction.scattered
    one_more = classify(
        frozenset({"advice"}),
        "x",
        asked_before=True,
        topics=frozenset({"demo"}),
        coached_topics=frozenset({"discovery"}),
    )
    assert one_more[0] is Reaction.scattered
    same = classify(
        frozenset({"advice"}),
        "x",
        asked_before=True,
        topics=frozenset({"demo"}),
        coached_topics=frozenset({"demo"}),
    )
    assert Reaction.scattered not in same


def test_the_tagger_sees_the_new_message_last_in_a_bounded_window(
    new_session: NewSession, tagger: FakeTagger
) -> None:
    s = started(new_session)
    for _ in range(10):
        s.send("Okay.")
    s.send("Good job.")
    last = tagger.seen[-1]
    assert last.utterances[-1].text == "Good job."
    assert len(last.utterances) <= 6
    assert last.manager is not None and last.manager.label == "manager"


# -- lifecycle ----------------------------------------------------------------------------


def test_send_before_start(new_session: NewSession) -> None:
    with pytest.raises(PracticeError, match="has not started") as info:
        new_session().send("hi")
    assert info.value.code == "CL611"


def test_start_twice(new_session: NewSession) -> None:
    s = started(new_session)
    with pytest.raises(PracticeError, match="already active"):
        s.start()


def test_empty_message(new_session: NewSession) -> None:
    with pytest.raises(PracticeError, match="empty") as info:
        started(new_session).send("   ")
    assert info.value.code == "CL613"


def test_finish_before_any_message(new_session: NewSession) -> None:
    with pytest.raises(PracticeError) as info:
        started(new_session).finish()
    assert info.value.code == "CL614"
    with pytest.raises(PracticeError) as info:
        new_session().finish()
    assert info.value.code == "CL611"


def test_send_after_finish_names_the_reason(new_session: NewSession) -> None:
    s = started(new_session)
    s.send("Okay.")
    s.finish()
    assert s.status is SessionState.FINISHED
    with pytest.raises(PracticeError, match=r"has finished \(finished by the manager\)") as info:
        s.send("Okay.")
    assert info.value.code == "CL612"


def test_max_turns_ends_the_session(new_session: NewSession) -> None:
    s = started(new_session, scenario=make_scenario(end={"max_turns": 2, "clarity_at": None}))
    s.send("Okay.")
    assert s.status is SessionState.ACTIVE
    s.send("Okay.")
    assert s.status is SessionState.FINISHED
    assert s.end_reason == "2 turns reached"


def test_finish_returns_the_same_debrief_twice(new_session: NewSession) -> None:
    s = started(new_session)
    s.send("What happened with the budget?")
    assert s.finish() is s.finish()


# -- serialisation ----------------------------------------------------------------------


def test_a_restored_session_continues_exactly_like_the_original(
    new_session: NewSession, tagger: FakeTagger
) -> None:
    a = started(new_session, seed=5)
    for m in ["Okay.", "Good job.", "What's up?"]:
        a.send(m)
    saved = json.loads(json.dumps(a.to_dict()))
    b = PracticeSession.from_dict(saved, tagger=tagger)
    rest = ["Okay.", "What happened with the budget?", "We lost the deal.", "Okay."]
    assert [a.send(m).text for m in rest] == [b.send(m).text for m in rest]
    assert a.to_dict() == b.to_dict()


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.pop("turns"),
        lambda d: d.update(format="other"),
        lambda d: d.update(status="paused"),
        lambda d: d.update(unlocked=["no_such_fact"]),
    ],
)
def test_a_damaged_saved_session_is_refused(new_session: NewSession, damage: object) -> None:
    s = started(new_session)
    data = s.to_dict()
    damage(data)  # type: ignore[operator]
    with pytest.raises(PracticeError) as info:
        PracticeSession.from_dict(data)
    assert info.value.code == "CL615"


def test_to_meeting_is_a_practice_meeting_with_roles(new_session: NewSession) -> None:
    s = started(new_session, manager_name="Dana")
    s.send("What happened with the budget?")
    m = s.to_meeting()
    assert m.meta["kind"] == "practice"
    assert m.meta["facts_unlocked"] == ["budget_cut"]
    assert m.manager is not None and m.manager.name == "Dana"
    assert [u.speaker for u in m.utterances] == ["rep", "manager", "rep"]
    assert all(b.start > a.start for a, b in zip(m.utterances, m.utterances[1:], strict=False))


def test_reveal_lead_ins_are_not_repeated_either(new_session: NewSession) -> None:
    sc = make_scenario(
        facts=[
            {"id": f"f{i}", "text": f"Fact number {i}.", "about": [], "min_openness": 0.0}
            for i in range(8)
        ]
    )
    s = started(new_session, scenario=sc)
    turns = [s.send("What's up?") for _ in range(8)]
    assert [t.revealed for t in turns] == [f"f{i}" for i in range(8)]
    leads = [t.lead for t in turns]
    assert None not in leads and len(set(leads)) == len(leads)


def test_the_public_view_hides_the_facts(new_session: NewSession) -> None:
    s = started(new_session)
    s.send("What's up?")
    view = json.dumps(s.public_view())
    assert "budget was cut" not in view and "CFO froze" not in view
    assert json.loads(view)["facts_total"] == 2
    assert "budget was cut" in json.dumps(s.to_dict())  # the server-side state has them
