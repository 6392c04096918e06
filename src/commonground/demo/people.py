"""Seed the demo's participants and their memberships, with the named demo logins first."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta
from typing import cast

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from commonground.demo import content
from commonground.forums import events as forum_events
from commonground.forums.models import Forum
from commonground.ledger.services import Event
from commonground.participants import events as people_events
from commonground.participants.emails import email_skeleton
from commonground.participants.models import Membership, User
from commonground.stakeholders import REGIONS, region_of

DEMO_PASSWORD = "common-ground-demo"
DEMO_LOGINS: list[tuple[str, str]] = [
    ("steward@demo.example.org", "steward of every forum (secretariat)"),
    ("civil@demo.example.org", "civil society participant, Kenya"),
    ("private@demo.example.org", "private sector participant, Brazil"),
    ("gov@demo.example.org", "government participant, France"),
]
PARTICIPANTS = 1500
# Uneven group sizes, as in real consultations: recognition must not care.
GROUP_WEIGHTS = {
    "government": 0.10,
    "intergovernmental": 0.06,
    "internet_institution": 0.09,
    "private_sector": 0.22,
    "civil_society": 0.33,
    "academic_technical": 0.20,
}


def _countries_by_region() -> dict[str, list[str]]:
    from commonground.stakeholders import COUNTRY_REGION

    by_region: dict[str, list[str]] = defaultdict(list)
    for code, region in sorted(COUNTRY_REGION.items()):
        by_region[region].append(code)
    return by_region


def seed_people(
    rng: random.Random, forums: dict[str, Forum], t0: datetime, events: list[Event]
) -> tuple[list[User], list[Membership]]:
    """Create the participants (the steward first) and their memberships, with their events."""
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing 600 times takes minutes
    by_region = _countries_by_region()
    national = {f.country: f for f in forums.values() if f.level == "national" and f.country}
    regional = {f.region: f for f in forums.values() if f.level == "regional"}
    global_forum = next(f for f in forums.values() if f.level == "global")
    youth = [f for f in forums.values() if f.level == "youth"]
    national_codes = sorted(national)

    specs: list[tuple[str, str, str, str]] = [  # email, name, group, country
        ("steward@demo.example.org", "Amina Diallo (Secretariat)", "intergovernmental", "CH"),
        ("civil@demo.example.org", "Wanjiru Kamau", "civil_society", "KE"),
        ("private@demo.example.org", "Rafael Souza", "private_sector", "BR"),
        ("gov@demo.example.org", "Claire Dubois", "government", "FR"),
    ]
    groups = list(GROUP_WEIGHTS)
    weights = list(GROUP_WEIGHTS.values())
    for i in range(PARTICIPANTS - len(specs)):
        group = rng.choices(groups, weights)[0]
        # Most people come from a country with a national forum, so those forums are lively.
        if rng.random() < 0.7:
            country = rng.choice(national_codes)
        else:
            country = rng.choice(by_region[rng.choice(REGIONS)])
        name = f"{rng.choice(content.FIRST_NAMES)} {rng.choice(content.LAST_NAMES)}"
        specs.append((f"participant{i + 1:04d}@demo.example.org", name, group, country))

    users = User.objects.bulk_create(
        User(
            email=email,
            email_skeleton=email_skeleton(email),  # bulk_create skips User.save()
            display_name=name,
            password=password,
            date_joined=t0,
            name_is_public=rng.random() < 0.8,
        )
        for email, name, _, _ in specs
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    memberships: list[Membership] = []
    for user, (_, _, group, country) in zip(users, specs, strict=True):
        region = region_of(country) or "weog"
        joined = t0 + timedelta(minutes=rng.randint(10, 60 * 24 * 12))
        targets = [global_forum, regional[region]]
        if country in national:
            targets.append(national[country])
        if youth and rng.random() < 0.12:
            targets.append(youth[0])
        affiliation = (
            rng.choice(content.AFFILIATIONS[cast("content.StakeholderGroup", group)])
            if rng.random() < 0.75
            else ""
        )
        for forum in targets:
            memberships.append(
                Membership(
                    forum=forum,
                    user=user,
                    stakeholder_group=group,
                    country=country,
                    region=region,
                    affiliation=affiliation,
                    verified=rng.random() < 0.45,
                    joined_at=joined,
                    verified_at=joined + timedelta(days=1),
                )
            )
    steward_user = users[0]
    for forum in forums.values():
        if not any(m.user is steward_user and m.forum is forum for m in memberships):
            memberships.append(
                Membership(
                    forum=forum,
                    user=steward_user,
                    stakeholder_group="intergovernmental",
                    country="CH",
                    region="weog",
                    joined_at=t0,
                    verified=True,
                    verified_at=t0,
                )
            )
    for m in memberships:
        if m.user is steward_user:
            m.role = Membership.Role.STEWARD
            m.verified, m.verified_at = True, m.joined_at  # verified as they join
        if not m.verified:
            m.verified_at = None
    memberships = Membership.objects.bulk_create(memberships, batch_size=2000)
    for m in memberships:
        events.append(forum_events.member_joined(m, m.joined_at))
        if m.role == Membership.Role.STEWARD:
            events.append(people_events.steward_granted(m, None, m.joined_at))
        if m.verified:  # the steward's own verification is the operator's act (actor None)
            actor = None if m.user is steward_user else steward_user.public_id
            events.append(people_events.verified(m, actor, m.verified_at))
    return users, memberships
