"""One walk through the public services that writes an entry of every core ledger action.

The walk uses the shared personas and fixed inputs only, so the entries it writes are the
same on every run once what depends on time or on database ids is taken out
(``normalized_entries``): times are dropped, object ids become their order of first
appearance per kind, and the personas' public ids become their names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from commonground.contributions import moderation as queue
from commonground.contributions import services as contributions
from commonground.dialogue import services as dialogue
from commonground.forums import forum_settings
from commonground.forums.services import advance_cycle, update_recognition_settings
from commonground.issues import translations
from commonground.issues.services import edit_issue, raise_issue, support_issue, withdraw_support
from commonground.ledger.models import LedgerEntry
from commonground.opendata.polis_import import import_polis
from commonground.participants.services import set_verified, update_profile
from commonground.recognition.services import publish_agenda
from tests.conftest import World

# Fields that name another object, and the kind of object they name.
ID_FIELDS: dict[str, str] = {
    "issue": "issue",
    "solution": "solution",
    "conversation": "conversation",
    "parent": "comment",
    "snapshot": "snapshot",
    "statement": "statement",
    "cycle": "cycle",
}
# Fields that list other objects by id.
ID_LIST_FIELDS: dict[str, str] = {"agenda": "issue"}


def polis_export(folder: Path) -> Path:
    """A small Polis export: six statements (one moderated out), twelve voters."""
    folder.mkdir()
    lines = ["comment-id,moderated,comment-body"]
    lines += [f"{cid},{-1 if cid == 5 else 1},Polis statement {cid}" for cid in range(6)]
    (folder / "comments.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    votes = ["timestamp,comment-id,voter-id,vote"]
    stamp = 1000
    for voter in range(12):
        for cid in range(6):
            stamp += 1
            value = 1 if (cid < 3) == (voter < 6) else -1
            votes.append(f"{stamp},{cid},{100 + voter},{value}")
    (folder / "votes.csv").write_text("\n".join(votes) + "\n", encoding="utf-8")
    (folder / "summary.csv").write_text("topic,Two camps\n", encoding="utf-8")
    return folder


def walk(world: World, tmp_path: Path) -> None:
    """Call every core service that writes the ledger, with fixed inputs."""
    steward, member, membership, forum = world.steward, world.member, world.membership, world.forum
    # people
    set_verified(steward, membership["government"])
    set_verified(steward, membership["academic_technical"])
    set_verified(steward, membership["intergovernmental"])
    set_verified(steward, membership["intergovernmental"], False)
    update_profile(
        member["civil_society"], display_name="Cecile Civil", name_is_public=True, bio="Dakar."
    )
    # settings
    forum_settings.update_settings(steward, forum, {"report_threshold": 2})
    contributions.update_settings(steward, forum, verified_required=False, report_threshold=2)
    update_recognition_settings(
        steward, forum, min_groups=2, min_supporters=2, min_share=0.05, agenda_slots=5
    )
    # issues and support
    issue = raise_issue(
        member["civil_society"],
        forum,
        title="Affordable rural connectivity",
        description="Villages pay **more** for less bandwidth.",
        topics=["SDG 9", "access"],
    )
    edit_issue(
        member["civil_society"],
        issue,
        title="Affordable rural connectivity for all",
        description="Villages pay more for less bandwidth.",
        topics=["SDG 9"],
    )
    support_issue(member["private_sector"], issue)
    support_issue(member["government"], issue)
    withdraw_support(member["government"], issue)
    support_issue(member["academic_technical"], issue)
    translation = translations.add_translation(
        member["government"], issue, language="fr", title="Connectivité rurale", description="Cher."
    )
    translations.edit_translation(
        member["government"],
        translation,
        title="Connectivité rurale abordable",
        description="Cher.",
    )
    translations.moderate_translation(steward, translation, hide=True, reason="Check")
    translations.moderate_translation(steward, translation, hide=False, reason="Checked")
    # contributions
    signal = contributions.signal_concern(
        member["government"], issue, jurisdiction="ke", priority="high", statement="Costs rise."
    )
    contributions.edit_signal(
        member["government"], signal, jurisdiction="KE", priority="urgent", statement="Costs."
    )
    contributions.withdraw_signal(member["government"], signal)
    contributions.signal_concern(
        member["government"], issue, jurisdiction="KE", priority="low", statement="Again."
    )
    solution = contributions.propose_solution(
        member["private_sector"],
        issue,
        title="Shared  towers",
        description="Operators share **towers**.",
        actors=["Operators", "Regulator"],
    )
    contributions.edit_solution(
        member["private_sector"], solution, title="Shared towers", description="Share.", actors=[]
    )
    advice = contributions.give_advice(
        member["academic_technical"],
        solution,
        feasibility="feasible_with_conditions",
        conditions="Spectrum rules.",
        benefits="Cheaper.",
        risks="",
        affected_groups=["civil_society", "government"],
        evidence=["https://example.org/towers"],
    )
    contributions.revise_advice(
        member["academic_technical"], advice, feasibility="feasible", affected_groups=[]
    )
    comment = contributions.add_comment(
        member["civil_society"], issue=issue, body="Yes, **please**.", stance="in_favour"
    )
    reply = contributions.add_comment(
        member["private_sector"], issue=issue, body="We agree.", parent=comment
    )
    on_solution = contributions.add_comment(
        member["government"], solution=solution, body="Which towers?", stance=""
    )
    contributions.edit_comment(member["private_sector"], reply, body="We agree fully.")
    contributions.delete_comment(member["private_sector"], reply)
    # moderation: two reports hide a comment at the threshold; a steward restores it
    contributions.report(member["government"], "comment", comment, reason="spam", note="Ads.")
    contributions.report(member["intergovernmental"], "comment", comment, reason="off_topic")
    contributions.moderate(steward, "comment", comment, hide=False, reason="It is on topic.")
    contributions.moderate(steward, "solution", solution, hide=True, reason="Duplicate.")
    contributions.report(member["civil_society"], "comment", on_solution, reason="other")
    queue.dismiss_reports(steward, "comment", on_solution, reason="A fair question.")
    contributions.set_suspended(
        steward, membership["private_sector"], suspended=True, reason="Spam."
    )
    contributions.set_suspended(
        steward, membership["private_sector"], suspended=False, reason="Appealed."
    )
    # dialogue
    conversation = dialogue.open_conversation(
        steward, issue, topic="How to share towers", description="Say what you think."
    )
    accepted = dialogue.add_statement(steward, conversation, "Towers should be shared.")
    pending = dialogue.add_statement(member["civil_society"], conversation, "Prices must fall.")
    dialogue.moderate_statement(steward, pending, "accepted")
    rejected = dialogue.add_statement(member["government"], conversation, "Off topic here.")
    dialogue.moderate_statement(steward, rejected, "rejected")
    for group, value in (("civil_society", 1), ("government", -1), ("academic_technical", 0)):
        dialogue.cast_vote(member[group], accepted, value)
        dialogue.cast_vote(member[group], pending, -value)
    dialogue.cast_vote(member["civil_society"], accepted, "disagree")
    dialogue.recompute_opinion_map(conversation)
    import_polis(polis_export(tmp_path / "polis"), forum, issue=issue, topic="From Polis")
    # the cycle: on to agenda setting, and the agenda (the later phases are the sessions'
    # and messages' apps, which record their own actions)
    advance_cycle(steward, forum)
    publish_agenda(steward, forum)


def _normalize(value: Any, people: dict[str, str]) -> Any:
    if isinstance(value, str):
        return people.get(value, value)
    if isinstance(value, list):
        return [_normalize(v, people) for v in value]
    if isinstance(value, dict):
        return {k: _normalize(v, people) for k, v in value.items()}
    return value


def normalized_entries(world: World) -> list[dict[str, Any]]:
    """Every entry in order, without what depends on time or ids (see the module's doc)."""
    people = {user.public_id: name for name, user in world.member.items()}
    people[world.steward.public_id] = "steward"
    people[world.outsider.public_id] = "outsider"
    ordinals: dict[str, dict[str, int]] = {}

    def ordinal(kind: str, value: Any) -> Any:
        if value is None or not str(value).isdigit():
            return value
        seen = ordinals.setdefault(kind, {})
        return f"{kind}#{seen.setdefault(str(value), len(seen) + 1)}"

    out = []
    for entry in LedgerEntry.objects.order_by("seq"):
        fields = {}
        for name, value in entry.fields.items():
            if name in ID_FIELDS:
                value = ordinal(ID_FIELDS[name], value)
            elif name in ID_LIST_FIELDS:
                value = [ordinal(ID_LIST_FIELDS[name], v) for v in value]
            fields[name] = value
        out.append(
            {
                "action": entry.action,
                "actor": people.get(entry.actor or "", entry.actor),
                "object": [
                    entry.object_type,
                    people.get(entry.object_id) or ordinal(entry.object_type, entry.object_id),
                ],
                "forum": entry.forum,
                "fields": _normalize(fields, people),
            }
        )
    return out
