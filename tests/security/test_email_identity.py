"""One e-mail identity everywhere (issue 11.5): normalized, validated, no look-alikes.

The command line (``participant create``) and sign-up (django-allauth) share one normal
form (NFKC, lower case), one validation, and the refusal of an address that looks like an
existing one (a unique skeleton per account). The API has no route that takes an e-mail.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from commonground.cli import main as cli
from commonground.participants.emails import email_skeleton, normalize_email
from commonground.participants.models import User
from commonground.participants.services import create_account
from tests.conftest import World

pytestmark = pytest.mark.django_db

PASS = "a-long-pass-phrase-9"

INVALID = ["a@@x", "<script>@x.test", "a@x", "plain", "a b@x.test", "а@probe.test"]
# Each looks like (or is, once normalized) a@probe.test.
LOOKALIKES = [
    "ａ@probe.test",  # full-width a
    "a@ｐrobe.test",  # full-width p
    "a@рrobe.test",  # Cyrillic er
    "a@prоbe.test",  # Cyrillic o
    "A@PROBE.TEST",
    " a@probe.test ",
]


def create(email: str) -> int:
    return cli(["participant", "create", email, "--forum", "kenya-igf",
                "--group", "civil_society", "--country", "KE"])  # fmt: skip


def sign_up(email: str) -> int:
    response = Client().post(
        "/accounts/signup/",
        {"email": email, "display_name": "Ana", "password1": PASS, "password2": PASS},
    )
    return response.status_code


@pytest.mark.parametrize("email", INVALID)
def test_participant_create_refuses_what_is_not_an_address(
    world: World, email: str, capsys: pytest.CaptureFixture[str]
) -> None:
    users = User.objects.count()
    assert create(email) == 2
    err = capsys.readouterr().err
    assert "is not an e-mail address" in err and len(err.strip().splitlines()) == 1
    assert User.objects.count() == users


@pytest.mark.parametrize("email", LOOKALIKES)
def test_participant_create_refuses_a_lookalike_of_an_existing_address(
    world: World, email: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert create("a@probe.test") == 0
    users = User.objects.count()
    assert create(email) == 2
    assert "looks the same, exists already" in capsys.readouterr().err
    assert User.objects.count() == users


def test_participant_create_stores_the_normal_form(world: World) -> None:
    assert create("ＡＮＡ@Example.ORG") == 0
    user = User.objects.get(email="ana@example.org")
    assert EmailAddress.objects.get(user=user).email == "ana@example.org"
    assert user.email_skeleton == email_skeleton("ana@example.org")


@pytest.mark.parametrize("email", INVALID)
def test_sign_up_refuses_what_is_not_an_address(world: World, email: str) -> None:
    users = User.objects.count()
    assert sign_up(email) == 200  # the form again, with its error
    assert User.objects.count() == users


@pytest.mark.parametrize("email", [e for e in LOOKALIKES if e.strip().lower() != "a@probe.test"])
def test_sign_up_refuses_a_lookalike_of_an_existing_address(world: World, email: str) -> None:
    create_account("a@probe.test", None)
    users = User.objects.count()
    response = Client().post(
        "/accounts/signup/",
        {"email": email, "display_name": "Ana", "password1": PASS, "password2": PASS},
    )
    assert User.objects.count() == users
    # A look-alike is told so; the very same address (full-width folded) gets allauth's
    # answer that does not say whether an account exists.
    if normalize_email(email) != "a@probe.test":
        assert "looks the same as another account" in response.content.decode()


def test_sign_up_stores_the_normal_form(world: World) -> None:
    assert sign_up("ＢＯ@Example.ORG") == 302
    user = User.objects.get(email="bo@example.org")
    assert EmailAddress.objects.get(user=user).email == "bo@example.org"


def test_a_lookalike_cannot_be_stored_even_past_the_checks(world: World) -> None:
    # The skeleton is unique in the database: a path that skipped the service still fails.
    create_account("a@probe.test", None)
    with pytest.raises(Exception, match=r"(?i)unique"):
        User.objects.create_user("a@рrobe.test", None)
