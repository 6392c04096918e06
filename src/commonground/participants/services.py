"""State changes of people: verification, stewardship, accounts, API tokens.

Joining a forum is ``forums.services.join_forum`` (a membership is made in a forum).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.access.members import AnyUser, require_steward, require_user
from commonground.core.errors import Conflict, InvalidInput, NotAllowed
from commonground.ledger.services import append
from commonground.participants import events
from commonground.participants.emails import clean_email, refuse_lookalike
from commonground.participants.models import ApiToken, Membership, User
from commonground.stakeholders import GROUPS, region_of


def validate_hat(stakeholder_group: str, country: str) -> tuple[str, str, str]:
    """Check a declared group and country; returns (group, COUNTRY, region)."""
    if stakeholder_group not in GROUPS:
        raise InvalidInput(
            _("Unknown stakeholder group '%(stakeholder_group)s'; choose one of %(choices)s.")
            % {"stakeholder_group": stakeholder_group, "choices": ", ".join(GROUPS)}
        )
    code = (country or "").strip().upper()
    region = region_of(code)
    if region is None:
        raise InvalidInput(
            _("Unknown country code '%(country)s'; use ISO 3166-1 alpha-2, e.g. KE.")
            % {"country": country}
        )
    return stakeholder_group, code, region


def set_verified(user: AnyUser, membership: Membership, verified: bool = True) -> Membership:
    """A steward marks a member's declared stakeholder group as verified (or not)."""
    with transaction.atomic():
        require_steward(user, membership.forum)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        membership.verified = verified
        membership.verified_at = timezone.now() if verified else None
        membership.save(update_fields=["verified", "verified_at"])
        actor_id = require_user(user).public_id
        append((events.verified if verified else events.unverified)(membership, actor_id))
    return membership


def grant_steward(actor: AnyUser | None, membership: Membership) -> Membership:
    """Make a member a steward. ``actor`` None means the operator (CLI)."""
    with transaction.atomic():
        if actor is not None:
            require_steward(actor, membership.forum)
        membership.role = Membership.Role.STEWARD
        membership.save(update_fields=["role"])
        actor_id = require_user(actor).public_id if actor is not None else None
        append(events.steward_granted(membership, actor_id))
    return membership


def create_account(email: str, password: str | None, display_name: str = "") -> User:
    """Create an account with a verified e-mail (operator path: CLI and demo).

    The address is normalized and validated as on sign-up (participants/emails.py), and
    refused when it is, or looks like, an address an account already has.
    """
    from allauth.account.models import EmailAddress

    email = clean_email(email)
    refuse_lookalike(email)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email, password, display_name=display_name)
            if password is None:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    except IntegrityError:  # the same address (or a look-alike) registered meanwhile
        raise Conflict(
            _("An account for %(email)s, or an address that looks the same, exists already.")
            % {"email": email}
        ) from None
    return user


def create_api_token(user: AnyUser, name: str = "API token") -> tuple[ApiToken, str]:
    """Issue a bearer token; the returned key is shown once and stored only hashed."""
    member = require_user(user)
    if not name.strip() or len(name) > 80:
        raise InvalidInput(_("A token name is 1 to 80 characters."))
    key = "cg_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=member, name=name.strip(), prefix=key[3:9], key_hash=ApiToken.hash_key(key)
    )
    return token, key


def revoke_api_token(user: AnyUser, token_id: int) -> None:
    """Delete one of the user's own tokens."""
    member = require_user(user)
    deleted, _by_model = ApiToken.objects.filter(user=member, pk=token_id).delete()
    if not deleted:
        raise NotAllowed(_("That token is not yours or does not exist."))


def set_language(user: AnyUser, language: str) -> User:
    """Remember the member's interface language ("" forgets it: the browser's decides).

    A private preference, like the e-mail settings: no ledger entry.
    """
    member = require_user(user)
    codes = [code for code, _name in settings.LANGUAGES]
    if language and language not in codes:
        raise InvalidInput(
            _("Unknown language '%(language)s'; choose one of %(choices)s.")
            % {"language": language[:20], "choices": ", ".join(codes)}
        )
    with transaction.atomic():
        member.language = language
        member.save(update_fields=["language"])
    return member


def update_profile(user: AnyUser, *, display_name: str, name_is_public: bool, bio: str) -> User:
    """Change one's public name, whether it is shown, and a short bio."""
    member = require_user(user)
    display_name = " ".join(display_name.split())
    if len(display_name) > 120:
        raise InvalidInput(_("A display name is at most 120 characters."))
    if len(bio) > 2000:
        raise InvalidInput(_("A bio is at most 2,000 characters."))
    with transaction.atomic():
        member.display_name = display_name
        member.name_is_public = name_is_public
        member.bio = bio.strip()
        member.save(update_fields=["display_name", "name_is_public", "bio"])
        append(events.profile_changed(member))
    return member
