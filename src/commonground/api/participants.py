"""Participant routes: public profiles and the caller's own profile."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from ninja import Router

from commonground.api.auth import AUTH
from commonground.api.schemas import ErrorOut, MeOut, ParticipantOut
from commonground.api.serializers import membership_out
from commonground.core.errors import NotFound
from commonground.participants.models import Membership, User

router = Router(tags=["participants"])

# Public ids are "p" and hex digits (participants.models.new_public_id), at most 16 long.
_PUBLIC_ID = re.compile(r"[a-z0-9]{1,16}")


def _memberships(user: User, *, own: bool) -> list[dict[str, Any]]:
    rows = (
        Membership.objects.filter(user=user)
        .select_related("forum")
        .annotate(issue_count=Count("issues"))
        .order_by("forum__slug")
    )
    return [membership_out(m, own=own, issues_raised=m.issue_count) for m in rows]


def _profile(user: User, *, own: bool) -> dict[str, Any]:
    memberships = _memberships(user, own=own)
    return {
        "id": user.public_id,
        "name": user.public_name,
        "bio": user.bio,
        "memberships": memberships,
        "issues_raised": sum(m["issues_raised"] for m in memberships),
    }


@router.get(
    "/participants/{public_id}",
    response={200: ParticipantOut, 404: ErrorOut},
    summary="A participant's public profile",
)
def participant(request: HttpRequest, public_id: str) -> dict[str, Any]:
    """What anyone may see of a participant: public name, bio, hats and issues raised.

    The e-mail address is never shown; a participant who keeps their name private
    appears under their pseudonym.
    """
    user = None
    if _PUBLIC_ID.fullmatch(public_id):
        user = User.objects.filter(public_id=public_id, is_active=True).first()
    if user is None:
        raise NotFound(f"No participant '{public_id[:40]}'.")
    return _profile(user, own=False)


@router.get("/me", auth=AUTH, response={200: MeOut, 401: ErrorOut}, summary="Your own profile")
def me(request: HttpRequest) -> dict[str, Any]:
    """The caller's own profile, with the e-mail address and each membership's status."""
    user: User = request.auth
    return {
        **_profile(user, own=True),
        "email": user.email,
        "display_name": user.display_name,
        "name_is_public": user.name_is_public,
    }
