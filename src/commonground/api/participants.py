"""Participant routes: public profiles and the caller's own profile."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from ninja import Router

from commonground.access.lookup import get_participant
from commonground.api.auth import AUTH, ApiRequest
from commonground.api.schemas import ErrorOut, MeOut, MePatch, ParticipantOut, errors
from commonground.api.serializers import membership_out
from commonground.participants.models import Membership, User
from commonground.participants.services import set_language

router = Router(tags=["participants"])


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
def participant(request: ApiRequest, public_id: str) -> dict[str, Any]:
    """What anyone may see of a participant: public name, bio, hats and issues raised.

    The e-mail address is never shown; a participant who keeps their name private
    appears under their pseudonym.
    """
    return _profile(get_participant(public_id), own=False)


@router.get("/me", auth=AUTH, response={200: MeOut, 401: ErrorOut}, summary="Your own profile")
def me(request: ApiRequest) -> dict[str, Any]:
    """The caller's own profile, with the e-mail address and each membership's status."""
    user: User = request.auth
    return {
        **_profile(user, own=True),
        "email": user.email,
        "display_name": user.display_name,
        "name_is_public": user.name_is_public,
        "language": user.language,
    }


@router.patch(
    "/me",
    auth=AUTH,
    response={200: MeOut, **errors(400, 401, 422)},
    summary="Change your own settings",
)
def me_update(request: ApiRequest, payload: MePatch) -> dict[str, Any]:
    """Change the caller's interface language (``language``; "" for the browser's).

    An unknown language is a 400 and changes nothing.
    """
    if payload.language is not None:
        set_language(request.auth, payload.language)
    return me(request)
