"""The six stakeholder groups and the UN regional groups (pure data, no Django).

Both the Django apps and the numeric engines import from here, so the order of
GROUPS is the one contract for column order in every array and export.
"""

from __future__ import annotations

from typing import Final


def gettext_noop(message: str) -> str:
    """Mark a label for the translation catalogs without translating it here (no Django).

    The project's one Django-free marker: the cycle's phases (access/phases.py) and the
    open-data tables' descriptions (opendata/resources) import it too, since they are read
    without Django settings. The extraction finds the call by its name; the label is
    translated where a page, an e-mail or a chart shows it (``commonground.core.labels``).
    """
    return message


GROUPS: Final[tuple[str, ...]] = (
    "government",
    "intergovernmental",
    "internet_institution",
    "private_sector",
    "civil_society",
    "academic_technical",
)

GROUP_LABELS: Final[dict[str, str]] = {
    "government": gettext_noop("Government"),
    "intergovernmental": gettext_noop("Intergovernmental organization"),
    "internet_institution": gettext_noop("Internet institution"),
    "private_sector": gettext_noop("Private sector"),
    "civil_society": gettext_noop("Civil society"),
    "academic_technical": gettext_noop("Academic & technical community"),
}

# Short names for charts and narrow columns.
GROUP_SHORT: Final[dict[str, str]] = {
    "government": gettext_noop("Government"),
    "intergovernmental": gettext_noop("Intergovernmental"),
    "internet_institution": gettext_noop("Internet institutions"),
    "private_sector": gettext_noop("Private sector"),
    "civil_society": gettext_noop("Civil society"),
    "academic_technical": gettext_noop("Academic & technical"),
}

GROUP_INITIALS: Final[dict[str, str]] = {
    "government": "GOV",
    "intergovernmental": "IGO",
    "internet_institution": "INT",
    "private_sector": "PRI",
    "civil_society": "CSO",
    "academic_technical": "ACT",
}

# Okabe–Ito palette (colour-blind safe); always shown with the group's name or initials.
GROUP_COLOURS: Final[dict[str, str]] = {
    "government": "#0072B2",
    "intergovernmental": "#56B4E9",
    "internet_institution": "#009E73",
    "private_sector": "#E69F00",
    "civil_society": "#CC79A7",
    "academic_technical": "#D55E00",
}

REGIONS: Final[tuple[str, ...]] = ("african", "asia_pacific", "eastern_european", "grulac", "weog")

REGION_LABELS: Final[dict[str, str]] = {
    "african": gettext_noop("African Group"),
    "asia_pacific": gettext_noop("Asia-Pacific Group"),
    "eastern_european": gettext_noop("Eastern European Group"),
    "grulac": gettext_noop("Latin American and Caribbean Group (GRULAC)"),
    "weog": gettext_noop("Western European and Others Group (WEOG)"),
}

REGION_SHORT: Final[dict[str, str]] = {
    "african": gettext_noop("African"),
    "asia_pacific": gettext_noop("Asia-Pacific"),
    "eastern_european": gettext_noop("Eastern European"),
    "grulac": gettext_noop("Latin America & Caribbean"),
    "weog": gettext_noop("Western Europe & others"),
}

# UN regional groups by ISO 3166-1 alpha-2 code. The UN members of each group,
# plus observers and territories placed with the group of their geography so
# that every participant gets a region.
_REGION_MEMBERS: Final[dict[str, str]] = {
    "african": (
        "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR "
        "LY MG MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW EH RE YT"
    ),
    "asia_pacific": (
        "AF BH BD BT BN KH CN CY FJ IN ID IR IQ JP JO KZ KI KW KG LA LB MY MV MH FM MN MM NR "
        "NP KP OM PK PW PG PH QA KR WS SA SG SB LK SY TJ TH TL TO TM TV AE UZ VU VN YE PS TW "
        "HK MO NC PF CK NU"
    ),
    "eastern_european": "AL AM AZ BY BA BG HR CZ EE GE HU LV LT ME MD PL RO RU RS SK SI MK UA XK",
    "grulac": (
        "AG AR BS BB BZ BO BR CL CO CR CU DM DO EC SV GD GT GY HT HN JM MX NI PA PY PE KN LC VC "
        "SR TT UY VE PR AI AW BM KY CW GP MQ MS SX TC VG VI GF"
    ),
    "weog": (
        "AD AU AT BE CA DK FI FR DE GR IS IE IL IT LI LU MT MC NL NZ NO PT SM ES SE CH TR GB US "
        "VA GL FO GI IM JE GG"
    ),
}

COUNTRY_REGION: Final[dict[str, str]] = {
    code: region for region, codes in _REGION_MEMBERS.items() for code in codes.split()
}


def region_of(country: str) -> str | None:
    """The UN regional group of an ISO 3166-1 alpha-2 country code, or None if unknown."""
    return COUNTRY_REGION.get(country.upper())
