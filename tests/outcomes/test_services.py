"""Messages through their services: every rule at its boundary and one step past it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from django.utils import timezone

from commonground.contributions.models import ContributionSettings
from commonground.core.errors import Conflict, InvalidInput, NotAllowed, WrongPhase
from commonground.issues.models import Issue
from commonground.ledger.models import LedgerEntry
from commonground.notifications.models import Notification
from commonground.outcomes import chairing, followup, services
from commonground.outcomes.models import Disposition, Message, Position
from commonground.participants.services import set_verified
from tests.conftest import World
from tests.outcomes.conftest import DAY, closed_and_designated, positions

US = timedelta(microseconds=1)


def actions() -> list[str]:
    return list(LedgerEntry.objects.order_by("seq").values_list("action", flat=True))


# ---------------------------------------------------------------- drafting


def test_a_steward_drafts_version_one_and_the_ledger_records_it(
    world: World, message: Message
) -> None:
    assert message.state == "draft" and message.version == 1
    assert message.versions.get().text == message.text
    assert actions()[-1] == "message.draft"


def test_a_member_who_is_no_steward_cannot_draft(world: World, agenda_issue: Issue) -> None:
    with pytest.raises(NotAllowed):
        services.draft_message(world.member["civil_society"], agenda_issue, title="T", text="x")


def test_drafting_is_refused_outside_the_messages_phase(world: World, issue: Issue) -> None:
    with pytest.raises(WrongPhase):
        services.draft_message(world.steward, issue, title="T", text="x")


def test_an_issue_off_the_published_agenda_gets_no_message(
    world: World, agenda_issue: Issue
) -> None:
    other = Issue.objects.create(
        forum=world.forum,
        cycle=world.cycle,
        title="Not on the agenda",
        description="x",
        author=world.membership["private_sector"],
    )
    with pytest.raises(Conflict, match="not on the latest published agenda"):
        services.draft_message(world.steward, other, title="T", text="x")


def test_an_unknown_session_report_is_refused(world: World, agenda_issue: Issue) -> None:
    with pytest.raises(InvalidInput, match="No session report 1"):
        services.draft_message(world.steward, agenda_issue, title="T", text="x", report_ids=[1])


def test_several_drafts_per_issue_and_revisions_keep_every_version(
    world: World, message: Message, agenda_issue: Issue
) -> None:
    second = services.draft_message(world.steward, agenda_issue, title="Other", text="y")
    assert second.pk != message.pk
    services.revise_message(world.steward, message, title=message.title, text="New text.")
    message.refresh_from_db()
    assert message.version == 2
    assert [v.number for v in message.versions.all()] == [1, 2]
    with pytest.raises(InvalidInput, match="Nothing changed"):
        services.revise_message(world.steward, message, title=message.title, text="New text.")


# ---------------------------------------------------------------- the comment window


def test_the_window_lasts_at_least_the_forum_minimum_exactly(
    world: World, message: Message, t0: datetime
) -> None:
    with pytest.raises(Conflict, match="at least 7 days"):
        services.open_comment_window(
            world.steward, message, opens_at=t0, closes_at=t0 + 7 * DAY - US, now=t0
        )
    services.open_comment_window(
        world.steward, message, opens_at=t0, closes_at=t0 + 7 * DAY, now=t0
    )
    message.refresh_from_db()
    assert message.state == "public_comment"


def test_the_minimum_is_a_forum_setting(world: World, message: Message, t0: datetime) -> None:
    settings = services.settings_of(world.forum.pk)
    settings.message_comment_min_days = 3
    settings.save()
    services.open_comment_window(
        world.steward, message, opens_at=t0, closes_at=t0 + 3 * DAY, now=t0
    )


def test_a_window_that_closes_in_the_past_is_refused(
    world: World, message: Message, t0: datetime
) -> None:
    with pytest.raises(Conflict, match="future"):
        services.open_comment_window(
            world.steward, message, opens_at=t0 - 9 * DAY, closes_at=t0 - DAY, now=t0
        )


def test_positions_are_taken_from_the_opening_up_to_not_at_the_closing(
    world: World, commenting: Message, t0: datetime
) -> None:
    gov = world.member["government"]
    with pytest.raises(WrongPhase, match="opens at"):
        services.record_position(gov, commenting, position="support", now=t0 - US)
    services.record_position(gov, commenting, position="support", now=t0)
    services.record_position(gov, commenting, position="can_live_with", now=t0 + 7 * DAY - US)
    with pytest.raises(WrongPhase, match="closed"):
        services.record_position(gov, commenting, position="support", now=t0 + 7 * DAY)
    assert Position.objects.get(message=commenting).position == "can_live_with"


def test_one_position_per_member_changed_in_place(
    world: World, commenting: Message, t0: datetime
) -> None:
    gov = world.member["government"]
    services.record_position(gov, commenting, position="support", now=t0)
    services.record_position(gov, commenting, position="object", text="Too vague.", now=t0)
    assert Position.objects.filter(message=commenting).count() == 1
    assert Position.objects.get(message=commenting).text == "Too vague."


def test_an_objection_must_say_what_the_member_cannot_live_with(
    world: World, commenting: Message, t0: datetime
) -> None:
    with pytest.raises(InvalidInput, match="cannot live with"):
        services.record_position(
            world.member["government"], commenting, position="object", text="  ", now=t0
        )
    assert not Position.objects.exists()


def test_an_outsider_records_no_position(world: World, commenting: Message, t0: datetime) -> None:
    with pytest.raises(NotAllowed):
        services.record_position(world.outsider, commenting, position="support", now=t0)


# ---------------------------------------------------------------- the suggestion


def test_the_suggestion_weighs_groups_the_same_on_hand_computed_figures(
    world: World, commenting: Message, t0: datetime
) -> None:
    # government supports, private sector can live with it, civil society objects:
    # o = 0, 0, 1 -> O = 1/3; A = 2/3 >= 0.60 -> strong support; civil society o_g = 1 >= 1/2.
    positions(
        world,
        commenting,
        {"government": "support", "private_sector": "can_live_with", "civil_society": "object"},
        t0,
    )
    suggestion = chairing.suggestion_of(commenting)
    assert suggestion.level == "strong_support_significant_opposition"
    assert suggestion.mean_o == Fraction(1, 3) and suggestion.mean_a == Fraction(2, 3)
    assert suggestion.minority_groups == ("civil_society",)
    assert set(suggestion.groups_left_out) == {
        "intergovernmental",
        "internet_institution",
        "academic_technical",
    }


def test_the_forum_thresholds_move_the_suggestion(
    world: World, commenting: Message, t0: datetime
) -> None:
    positions(
        world,
        commenting,
        {"government": "support", "private_sector": "can_live_with", "civil_society": "object"},
        t0,
    )
    settings = services.settings_of(world.forum.pk)
    settings.strong_support_min = "0.667"  # A = 2/3 = 0.6666… falls just short
    settings.save()
    assert chairing.suggestion_of(commenting).level == "divergence"


# ---------------------------------------------------------------- dispositions


def _objection(world: World, message: Message, t0: datetime) -> Position:
    return services.record_position(
        world.member["civil_society"], message, position="object", text="No funding source.",
        now=t0,
    )  # fmt: skip


def test_rejection_and_tradeoff_need_a_reason_and_the_objector_is_notified(
    world: World, commenting: Message, t0: datetime
) -> None:
    objection = _objection(world, commenting, t0)
    for kind in ("rejected", "tradeoff_acknowledged"):
        with pytest.raises(InvalidInput, match="reason"):
            chairing.record_disposition(world.steward, objection, disposition=kind, reason=" ")
    chairing.record_disposition(
        world.steward, objection, disposition="tradeoff_acknowledged", reason="Cost accepted."
    )
    note = Notification.objects.get(recipient=world.membership["civil_society"])
    assert note.kind == "message" and note.object_id == commenting.pk
    assert "Trade-off acknowledged" in note.text


def test_an_accepted_objection_links_the_new_version_that_answers_it(
    world: World, commenting: Message, t0: datetime
) -> None:
    objection = _objection(world, commenting, t0)
    with pytest.raises(Conflict, match="new version"):
        chairing.record_disposition(world.steward, objection, disposition="accepted")
    services.revise_message(world.steward, commenting, title="Connect", text="Funded by USF.")
    answer = chairing.record_disposition(world.steward, objection, disposition="accepted")
    assert answer.version == 2


def test_a_changed_objection_loses_its_old_disposition(
    world: World, commenting: Message, t0: datetime
) -> None:
    objection = _objection(world, commenting, t0)
    chairing.record_disposition(world.steward, objection, disposition="rejected", reason="No.")
    services.record_position(
        world.member["civil_society"], commenting, position="object", text="Other point.", now=t0
    )
    assert not Disposition.objects.exists()


def test_only_a_steward_answers_objections(world: World, commenting: Message, t0: datetime) -> None:
    objection = _objection(world, commenting, t0)
    with pytest.raises(NotAllowed):
        chairing.record_disposition(
            world.member["government"], objection, disposition="rejected", reason="No."
        )


# ---------------------------------------------------------------- designation


def test_the_level_is_designated_only_once_the_window_has_closed(
    world: World, commenting: Message, t0: datetime
) -> None:
    with pytest.raises(WrongPhase, match="after the comment window"):
        chairing.designate(
            world.steward, commenting, level="full_consensus", rationale="x", now=t0 + 7 * DAY - US
        )
    chairing.designate(
        world.steward, commenting, level="full_consensus", rationale="x", now=t0 + 7 * DAY
    )


def test_a_designation_needs_a_rationale_that_says_why_it_differs(
    world: World, commenting: Message, t0: datetime
) -> None:
    after = t0 + 7 * DAY
    with pytest.raises(InvalidInput, match="differs from the suggested level"):
        chairing.designate(world.steward, commenting, level="consensus", rationale="", now=after)
    with pytest.raises(InvalidInput, match="rationale"):
        chairing.designate(
            world.steward, commenting, level="full_consensus", rationale="", now=after
        )
    designation = chairing.designate(
        world.steward, commenting, level="consensus", rationale="Silence is no support.", now=after
    )
    assert designation.suggested_level == "full_consensus" and designation.differs_from_suggestion
    assert LedgerEntry.objects.get(action="message.designate").fields["suggested"]["level"] == (
        "full_consensus"
    )


def test_full_consensus_carries_no_minority_view(
    world: World, commenting: Message, t0: datetime
) -> None:
    with pytest.raises(InvalidInput, match="minority"):
        chairing.designate(
            world.steward,
            commenting,
            level="full_consensus",
            rationale="x",
            minority_view="y",
            now=t0 + 7 * DAY,
        )


# ---------------------------------------------------------------- publishing


def test_publish_names_every_missing_condition(
    world: World, message: Message, t0: datetime
) -> None:
    with pytest.raises(Conflict, match="comment window has not been opened"):
        chairing.publish_message(world.steward, message, now=t0)
    services.open_comment_window(
        world.steward, message, opens_at=t0, closes_at=t0 + 7 * DAY, now=t0
    )
    _objection(world, message, t0)
    with pytest.raises(Conflict) as refused:
        chairing.publish_message(world.steward, message, now=t0 + 7 * DAY - US)
    text = str(refused.value)
    assert "still open" in text and "1 objection without a disposition" in text
    assert "no designation" in text
    after = t0 + 7 * DAY
    objection = message.positions.get()
    chairing.record_disposition(world.steward, objection, disposition="rejected", reason="No.")
    with pytest.raises(Conflict) as refused:
        chairing.publish_message(world.steward, message, now=after)
    assert str(refused.value).endswith("no designation.")
    chairing.designate(
        world.steward, message, level="divergence", rationale="One group.", now=after
    )
    published = chairing.publish_message(world.steward, message, now=after)
    assert published.state == "published"
    assert actions()[-1] == "message.publish"


def test_a_published_message_is_frozen(world: World, commenting: Message, t0: datetime) -> None:
    closed_and_designated(world, commenting, t0)
    chairing.publish_message(world.steward, commenting, now=t0 + 8 * DAY)
    with pytest.raises(WrongPhase, match="frozen"):
        services.revise_message(world.steward, commenting, title="x", text="changed")
    with pytest.raises(Conflict, match="already published"):
        chairing.publish_message(world.steward, commenting, now=t0 + 8 * DAY)


# ---------------------------------------------------------------- referral and uptake


def _referred(world: World, message: Message, t0: datetime) -> Message:
    closed_and_designated(world, message, t0)
    chairing.publish_message(world.steward, message, now=t0 + 8 * DAY)
    followup.refer_message(world.steward, message, name="Ministry of ICT", kind="government")
    message.refresh_from_db()
    return message


def test_only_a_published_message_is_referred(
    world: World, commenting: Message, t0: datetime
) -> None:
    with pytest.raises(WrongPhase, match="published"):
        followup.refer_message(world.steward, commenting, name="ITU", kind="intergovernmental")
    with pytest.raises(InvalidInput, match="kind"):
        followup.refer_message(world.steward, commenting, name="ITU", kind="ngo")
    assert _referred(world, commenting, t0).state == "referred"


def test_uptake_is_recorded_by_government_and_igo_members_only(
    world: World, commenting: Message, t0: datetime
) -> None:
    message = _referred(world, commenting, t0)
    fields = {"action": "policy", "summary": "Adopted a rural fund.", "date": date(2026, 1, 5)}
    for group in ("government", "intergovernmental"):
        followup.record_uptake(world.member[group], message, body=f"{group} body", **fields)
    for group in ("civil_society", "private_sector"):
        with pytest.raises(NotAllowed, match="record uptake"):
            followup.record_uptake(world.member[group], message, body="x", **fields)
    assert message.uptake.count() == 2


def test_uptake_needs_verification_where_the_forum_requires_it(
    world: World, commenting: Message, t0: datetime
) -> None:
    message = _referred(world, commenting, t0)
    ContributionSettings.objects.update_or_create(
        forum=world.forum, defaults={"verified_required_for_signals_and_advice": True}
    )
    fields = {
        "body": "Ministry",
        "action": "decision",
        "summary": "Done.",
        "date": date(2026, 1, 5),
    }
    with pytest.raises(NotAllowed, match="verified"):
        followup.record_uptake(world.member["government"], message, **fields)
    set_verified(world.steward, world.membership["government"])
    followup.record_uptake(world.member["government"], message, **fields)


def test_uptake_waits_for_a_referral(world: World, commenting: Message, t0: datetime) -> None:
    with pytest.raises(WrongPhase, match="referred"):
        followup.record_uptake(
            world.member["government"],
            commenting,
            body="Ministry",
            action="decision",
            summary="Done.",
            date=date(2026, 1, 5),
        )


def test_uptake_may_be_dated_today_but_not_tomorrow(
    world: World, commenting: Message, t0: datetime
) -> None:
    """The date is judged against today, which no schema states: a conflict (409)."""
    message = _referred(world, commenting, t0)
    today = timezone.localdate()
    fields = {"body": "Ministry", "action": "decision", "summary": "Done."}
    with pytest.raises(Conflict, match="cannot be in the future"):
        followup.record_uptake(
            world.member["government"], message, date=today + timedelta(days=1), **fields
        )
    assert not message.uptake.exists()
    followup.record_uptake(world.member["government"], message, date=today, **fields)
    assert [u.date for u in message.uptake.all()] == [today]


def test_every_write_appends_its_ledger_entry(
    world: World, commenting: Message, t0: datetime
) -> None:
    _objection(world, commenting, t0)
    services.reply_to_objection(
        world.member["government"], commenting.positions.get(), text="We can fund it.", now=t0
    )
    message = _referred(world, commenting, t0)
    followup.record_uptake(
        world.member["government"],
        message,
        body="Ministry",
        action="under_consideration",
        summary="Studying it.",
        date=date(2026, 1, 5),
    )
    assert [a for a in actions() if a.startswith("message.")] == [
        "message.draft",
        "message.window",
        "message.position",
        "message.reply",
        "message.disposition",
        "message.designate",
        "message.publish",
        "message.refer",
        "message.uptake",
    ]


def test_stewards_change_the_message_settings_through_the_forum_settings(
    world: World, message: Message, t0: datetime
) -> None:
    from commonground.forums.forum_settings import current, update_settings

    assert current(world.forum)["message_comment_min_days"] == 7
    update_settings(world.steward, world.forum, {"message_comment_min_days": 2})
    with pytest.raises(Conflict, match="at least 2 days"):
        services.open_comment_window(
            world.steward, message, opens_at=t0, closes_at=t0 + 2 * DAY - US, now=t0
        )
    update_settings(world.steward, world.forum, {"strong_support_min": 0.7})
    assert chairing.consensus_settings(services.settings_of(world.forum.pk)).strong_support_min
    assert float(current(world.forum)["strong_support_min"]) == 0.7
