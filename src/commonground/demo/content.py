"""Demo content for Common Ground: forums, issues and the material around them, as pure data.

Nothing here imports Django, so the content can be read, tested and reused on its own. A seeder
(``commonground demo``) turns it into database rows. Everything is invented for the demo: the
organisations are fictional, the people are random combinations of common names, and the
issues, signals, solutions, advice and comments are plausible examples written for this
project, not quotations of any real forum's records.

References between constants are plain integer indexes, resolved when the module is imported
from short authoring keys: ``SIGNALS[i]["issue"]`` indexes ``ISSUES``, ``ADVICE[i]["solution"]``
indexes ``SOLUTIONS``, ``COMMENTS[i]["parent"]`` indexes ``COMMENTS`` and
``CONVERSATION["issue"]`` indexes ``ISSUES``. Every issue and solution also carries a stable
``key`` that :func:`issue_index` and :func:`solution_index` look up.
"""

from __future__ import annotations

from typing import Final, Literal, TypedDict

# ---------------------------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------------------------

StakeholderGroup = Literal[
    "government",
    "intergovernmental",
    "internet_institution",
    "private_sector",
    "civil_society",
    "academic_technical",
]
Region = Literal["african", "asia_pacific", "eastern_european", "grulac", "weog"]
ForumLevel = Literal["global", "regional", "national", "youth"]
Language = Literal["en", "fr", "es"]
Priority = Literal["low", "medium", "high", "urgent"]
Feasibility = Literal["feasible", "feasible_with_conditions", "not_feasible", "unclear"]
Stance = Literal["in_favour", "neutral", "against"]
Camp = Literal["a", "b", "both"]

STAKEHOLDER_GROUPS: Final[tuple[StakeholderGroup, ...]] = (
    "government",
    "intergovernmental",
    "internet_institution",
    "private_sector",
    "civil_society",
    "academic_technical",
)
REGIONS: Final[tuple[Region, ...]] = (
    "african",
    "asia_pacific",
    "eastern_european",
    "grulac",
    "weog",
)
FORUM_LEVELS: Final[tuple[ForumLevel, ...]] = ("global", "regional", "national", "youth")
LANGUAGES: Final[tuple[Language, ...]] = ("en", "fr", "es")
PRIORITIES: Final[tuple[Priority, ...]] = ("low", "medium", "high", "urgent")
FEASIBILITIES: Final[tuple[Feasibility, ...]] = (
    "feasible",
    "feasible_with_conditions",
    "not_feasible",
    "unclear",
)
STANCES: Final[tuple[Stance, ...]] = ("in_favour", "neutral", "against")
CAMPS: Final[tuple[Camp, ...]] = ("a", "b", "both")

#: Free topic tags an issue may carry (besides the 17 SDGs, which are numbers).
TOPICS: Final[tuple[str, ...]] = (
    "accessibility",
    "ai-governance",
    "capacity-building",
    "child-safety",
    "connectivity",
    "content-moderation",
    "cross-border-data",
    "cybersecurity",
    "data-protection",
    "digital-economy",
    "digital-inclusion",
    "digital-public-infrastructure",
    "dns",
    "encryption",
    "environment",
    "gender",
    "human-rights",
    "interoperability",
    "internet-fragmentation",
    "ipv6",
    "misinformation",
    "multilingualism",
    "open-standards",
    "platform-liability",
    "routing-security",
    "shutdowns",
    "spectrum",
    "trust-and-identity",
)


# ---------------------------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------------------------


class ForumSeed(TypedDict):
    """A standing forum; ``parent`` is another forum's slug (``None`` only for the root)."""

    slug: str
    name: str
    level: ForumLevel
    parent: str | None
    region: Region | None
    country: str | None  # ISO 3166-1 alpha-2, national forums only
    lang: Language  # main working language of the forum
    description: str


class IssueSeed(TypedDict):
    """An issue of concern raised in ``forum``; ``appeal`` drives the seeded supports."""

    key: str
    forum: str
    lang: Language
    title: str
    description: str  # Markdown
    topics: tuple[str, ...]  # 1-3 entries of TOPICS
    sdgs: tuple[int, ...]  # 0-3 SDG numbers, 1..17
    appeal: dict[StakeholderGroup, float]  # every group, 0..1


class SignalSeed(TypedDict):
    """A government's or IGO's formal signal of concern on ``ISSUES[issue]``."""

    issue: int
    jurisdiction: str  # ISO 3166-1 alpha-2 code, or an IGO acronym such as "ITU"
    group: StakeholderGroup  # "government" or "intergovernmental"
    priority: Priority
    statement: str


class SolutionSeed(TypedDict):
    """An envisaged solution to ``ISSUES[issue]``."""

    key: str
    issue: int
    title: str
    description: str
    actors: tuple[str, ...]  # who would have to act


class AdviceSeed(TypedDict):
    """A technical advisor's assessment of ``SOLUTIONS[solution]``."""

    solution: int
    feasibility: Feasibility
    conditions: str
    benefits: str
    risks: str
    affected_groups: tuple[StakeholderGroup, ...]
    evidence: tuple[str, ...]  # 0-2 URLs


class CommentSeed(TypedDict):
    """A comment on ``ISSUES[issue]``; a reply names its ``parent`` in ``COMMENTS``."""

    issue: int
    group: StakeholderGroup  # the hat the commenter wears
    stance: Stance | None
    body: str
    parent: int | None


class StatementSeed(TypedDict):
    """A Polis-style statement; ``camp`` says which opinion camp tends to agree with it."""

    text: str
    camp: Camp


class ConversationSeed(TypedDict):
    """A conversation on ``ISSUES[issue]`` whose statements split voters into two camps."""

    issue: int
    topic: str
    description: str
    camps: dict[Camp, str]  # "a" and "b" (and "both") to a short description
    statements: tuple[StatementSeed, ...]


# ---------------------------------------------------------------------------------------------
# Forums
# ---------------------------------------------------------------------------------------------


def _forum(
    slug: str,
    name: str,
    level: ForumLevel,
    parent: str | None,
    region: Region | None,
    country: str | None,
    lang: Language,
    description: str,
) -> ForumSeed:
    return ForumSeed(
        slug=slug,
        name=name,
        level=level,
        parent=parent,
        region=region,
        country=country,
        lang=lang,
        description=description,
    )


FORUMS: Final[tuple[ForumSeed, ...]] = (
    _forum(
        "igf",
        "Global Internet Governance Forum",
        "global",
        None,
        None,
        None,
        "en",
        (
            "The global forum of the network. It gathers governments, "
            "intergovernmental organizations, Internet institutions, business, "
            "civil society and the academic and technical communities once a "
            "year, builds on what the regional and national forums found, and "
            "draws the attention of decision makers to the issues they recognize "
            "together."
        ),
    ),
    _forum(
        "africa-igf",
        "African Internet Governance Forum",
        "regional",
        "igf",
        "african",
        None,
        "en",
        (
            "The regional forum for the African Group. It works in English and "
            "French, follows up on the national forums of the continent and "
            "brings their shared priorities, from affordable backbone capacity "
            "to data protection enforcement, to the global level."
        ),
    ),
    _forum(
        "asia-pacific-igf",
        "Asia-Pacific Regional Internet Governance Forum",
        "regional",
        "igf",
        "asia_pacific",
        None,
        "en",
        (
            "The regional forum for the Asia-Pacific Group, a region that spans "
            "small island states and some of the largest online markets in the "
            "world. Its discussions often turn to resilience, online fraud and "
            "the diversity of languages and legal traditions."
        ),
    ),
    _forum(
        "eeg-igf",
        "Eastern European Internet Governance Forum",
        "regional",
        "igf",
        "eastern_european",
        None,
        "en",
        (
            "The regional forum for the Eastern European Group. Recent cycles "
            "have focused on the protection of civilian networks in times of "
            "conflict, information integrity and the retention of skilled people "
            "in the digital sector."
        ),
    ),
    _forum(
        "lac-igf",
        "Latin America and Caribbean Internet Governance Forum",
        "regional",
        "igf",
        "grulac",
        None,
        "es",
        (
            "The regional forum for the Latin American and Caribbean Group "
            "(GRULAC). It works mainly in Spanish, with English and Portuguese "
            "sessions, and has a long tradition of debate on community networks, "
            "net neutrality and digital rights."
        ),
    ),
    _forum(
        "weog-igf",
        "Western European and Others Internet Governance Forum",
        "regional",
        "igf",
        "weog",
        None,
        "en",
        (
            "The regional forum for the Western European and Others Group. Much "
            "of its agenda concerns how a dense body of new digital regulation "
            "works in practice, for users, researchers and small firms alike."
        ),
    ),
    _forum(
        "kenya-igf",
        "Kenya Internet Governance Forum",
        "national",
        "africa-igf",
        "african",
        "KE",
        "en",
        (
            "Kenya's national forum, held each year in Nairobi with satellite "
            "events in other counties. Mobile access, data protection compliance "
            "and online safety during elections are recurring themes."
        ),
    ),
    _forum(
        "nigeria-igf",
        "Nigeria Internet Governance Forum",
        "national",
        "africa-igf",
        "african",
        "NG",
        "en",
        (
            "Nigeria's national forum brings together a large technology "
            "start-up scene, operators, regulators and a vocal civil society. "
            "Infrastructure protection and digital skills for young people are "
            "among its priorities."
        ),
    ),
    _forum(
        "senegal-igf",
        "Forum sur la gouvernance de l'Internet au Sénégal",
        "national",
        "africa-igf",
        "african",
        "SN",
        "fr",
        (
            "Le forum national du Sénégal réunit chaque année l'administration, "
            "les opérateurs, les universités et les associations à Dakar. Il "
            "travaille en français et traite en priorité du coût de l'accès, de "
            "la protection des données et de l'éducation numérique."
        ),
    ),
    _forum(
        "india-igf",
        "India Internet Governance Forum",
        "national",
        "asia-pacific-igf",
        "asia_pacific",
        "IN",
        "en",
        (
            "India's national forum, working across a country with many "
            "languages and scripts. It discusses digital public infrastructure, "
            "content regulation and the conditions of platform workers."
        ),
    ),
    _forum(
        "japan-igf",
        "Japan Internet Governance Forum",
        "national",
        "asia-pacific-igf",
        "asia_pacific",
        "JP",
        "en",
        (
            "Japan's national forum, where manufacturers, operators, academics "
            "and ministries look at supply-chain security and at keeping an "
            "ageing population connected."
        ),
    ),
    _forum(
        "indonesia-igf",
        "Indonesia Internet Governance Forum",
        "national",
        "asia-pacific-igf",
        "asia_pacific",
        "ID",
        "en",
        (
            "Indonesia's national forum, concerned with reaching thousands of "
            "inhabited islands and with the protection of personal data held by "
            "public and private bodies."
        ),
    ),
    _forum(
        "ukraine-igf",
        "Ukraine Internet Governance Forum",
        "national",
        "eeg-igf",
        "eastern_european",
        "UA",
        "en",
        (
            "Ukraine's national forum, which has continued to meet during the "
            "war. Its participants share practical experience on keeping "
            "networks running, defending against cyberattacks and preserving "
            "digital evidence."
        ),
    ),
    _forum(
        "poland-igf",
        "Poland Internet Governance Forum",
        "national",
        "eeg-igf",
        "eastern_european",
        "PL",
        "en",
        (
            "Poland's national forum, with an active academic community and a "
            "strong interest in the democratic oversight of surveillance and in "
            "countering health-related misinformation."
        ),
    ),
    _forum(
        "brazil-igf",
        "Brazil Internet Governance Forum",
        "national",
        "lac-igf",
        "grulac",
        "BR",
        "en",
        (
            "Brazil's national forum builds on the country's long experience of "
            "multistakeholder Internet governance. Sessions run mostly in "
            "Portuguese; the demo shows them in English."
        ),
    ),
    _forum(
        "mexico-igf",
        "Foro de Gobernanza de Internet de México",
        "national",
        "lac-igf",
        "grulac",
        "MX",
        "es",
        (
            "El foro nacional de México reúne a autoridades, empresas, academia "
            "y organizaciones sociales. Trabaja en español y se ocupa sobre todo "
            "del acceso rural, la vigilancia y la protección de datos personales."
        ),
    ),
    _forum(
        "argentina-igf",
        "Foro de Gobernanza de Internet de Argentina",
        "national",
        "lac-igf",
        "grulac",
        "AR",
        "es",
        (
            "El foro nacional de Argentina, con participación de las provincias, "
            "dedica especial atención a la inclusión digital de las personas "
            "mayores y al uso de la inteligencia artificial en el Estado."
        ),
    ),
    _forum(
        "france-igf",
        "Forum français de la gouvernance de l'Internet",
        "national",
        "weog-igf",
        "weog",
        "FR",
        "fr",
        (
            "Le forum national français rassemble pouvoirs publics, entreprises, "
            "associations et chercheurs. Ses débats récents portent sur la "
            "vérification de l'âge, la sobriété numérique et l'inclusion des "
            "personnes éloignées du numérique."
        ),
    ),
    _forum(
        "germany-igf",
        "Germany Internet Governance Forum",
        "national",
        "weog-igf",
        "weog",
        "DE",
        "en",
        (
            "Germany's national forum, where federal and state administrations "
            "meet operators, the open source community and researchers, with a "
            "focus on infrastructure rollout and public-sector software."
        ),
    ),
    _forum(
        "canada-igf",
        "Canada Internet Governance Forum",
        "national",
        "weog-igf",
        "weog",
        "CA",
        "en",
        (
            "Canada's national forum works in English and French. It gives "
            "particular weight to connectivity and data sovereignty for First "
            "Nations, Inuit and Métis communities, and to the place of news and "
            "French-language content online."
        ),
    ),
    _forum(
        "spain-igf",
        "Foro de Gobernanza de Internet de España",
        "national",
        "weog-igf",
        "weog",
        "ES",
        "es",
        (
            "El foro nacional de España reúne a administraciones, operadoras, "
            "asociaciones y universidades. Sus sesiones tratan de la protección "
            "de los menores en línea, la conectividad en zonas rurales "
            "despobladas y la inteligencia artificial en el empleo."
        ),
    ),
    _forum(
        "youth-igf",
        "Youth Internet Governance Forum",
        "youth",
        "igf",
        None,
        None,
        "en",
        (
            "The forum of young people from every region, run by young people. "
            "It prepares youth input for the global forum and trains newcomers "
            "in how Internet governance works."
        ),
    ),
)


# ---------------------------------------------------------------------------------------------
# Issues
# ---------------------------------------------------------------------------------------------


def _appeal(
    government: float,
    intergovernmental: float,
    internet_institution: float,
    private_sector: float,
    civil_society: float,
    academic_technical: float,
) -> dict[StakeholderGroup, float]:
    """How strongly each group would draw attention to an issue, in the canonical order."""
    return {
        "government": government,
        "intergovernmental": intergovernmental,
        "internet_institution": internet_institution,
        "private_sector": private_sector,
        "civil_society": civil_society,
        "academic_technical": academic_technical,
    }


def _issue(
    key: str,
    forum: str,
    lang: Language,
    title: str,
    topics: tuple[str, ...],
    sdgs: tuple[int, ...],
    appeal: dict[StakeholderGroup, float],
    description: str,
) -> IssueSeed:
    return IssueSeed(
        key=key,
        forum=forum,
        lang=lang,
        title=title,
        description=description,
        topics=topics,
        sdgs=sdgs,
        appeal=appeal,
    )


_GLOBAL_ISSUES: tuple[IssueSeed, ...] = (
    _issue(
        "shutdowns",
        "igf",
        "en",
        "Government-ordered Internet shutdowns during elections, exams and protests",
        ("shutdowns", "human-rights"),
        (16,),
        _appeal(0.25, 0.55, 0.8, 0.6, 0.95, 0.8),
        (
            "Every year, authorities in several countries switch off mobile data "
            "or block whole platforms during elections, school exams or unrest. "
            "Shutdowns cut people off from emergency information, halt mobile "
            "payments and make it harder to document abuses. Measurement groups "
            "can detect them, but there is no shared way to assess their "
            "necessity and proportionality before they happen."
        ),
    ),
    _issue(
        "meaningful-connectivity",
        "igf",
        "en",
        "Closing the gap between network coverage and meaningful connectivity",
        ("connectivity", "digital-inclusion"),
        (9, 10),
        _appeal(0.8, 0.85, 0.6, 0.65, 0.75, 0.6),
        (
            "Most people now live within reach of a mobile broadband signal, yet "
            "a large share of them do not use the Internet. The reasons are "
            "affordability of devices and data, skills, relevant local content "
            "and safety, not coverage. Targets that count only coverage hide "
            "this usage gap.\n\n- What should a national target for *meaningful* "
            "connectivity measure?\n- Who collects the data, and how often?"
        ),
    ),
    _issue(
        "ai-interop",
        "igf",
        "en",
        "Interoperability between national and regional AI governance frameworks",
        ("ai-governance", "interoperability"),
        (9, 16, 17),
        _appeal(0.85, 0.85, 0.3, 0.8, 0.5, 0.6),
        (
            "Many jurisdictions are adopting AI rules, risk classifications and "
            "assurance schemes at the same time. Developers that serve several "
            "markets face conflicting definitions and duplicate audits, and "
            "smaller countries risk becoming rule-takers. The forum could map "
            "where frameworks already align and where mutual recognition is "
            "realistic."
        ),
    ),
    _issue(
        "fragmentation",
        "igf",
        "en",
        "Risk of Internet fragmentation from national rules that reach into the technical layer",
        ("internet-fragmentation", "dns", "routing-security"),
        (17,),
        _appeal(0.55, 0.6, 0.9, 0.6, 0.55, 0.85),
        (
            "Some laws require DNS resolvers to alter answers, oblige operators "
            "to route traffic through national gateways or mandate local "
            "alternatives to global identifiers. Each measure may look limited, "
            "but together they can break the end-to-end reachability that makes "
            "the Internet one network. Policy makers rarely have a technical "
            "impact assessment in front of them when such rules are drafted."
        ),
    ),
    _issue(
        "routing-security",
        "igf",
        "en",
        "Slow adoption of routing security among network operators",
        ("routing-security", "cybersecurity"),
        (9,),
        _appeal(0.35, 0.2, 0.9, 0.55, 0.15, 0.85),
        (
            "Route leaks and hijacks still divert or blackhole traffic for whole "
            "countries several times a year. Resource Public Key Infrastructure "
            "(RPKI) and route origin validation are mature, but adoption is "
            "uneven and many operators have not published route origin "
            "authorizations. Industry initiatives such as "
            "[MANRS](https://www.manrs.org/) set out baseline actions, yet "
            "participation remains voluntary."
        ),
    ),
    _issue(
        "encryption",
        "igf",
        "en",
        "Pressure to weaken end-to-end encryption in the name of lawful access",
        ("encryption", "human-rights", "cybersecurity"),
        (16,),
        _appeal(0.45, 0.3, 0.7, 0.75, 0.9, 0.85),
        (
            "Proposals to scan private messages or to require exceptional access "
            "keep returning in several jurisdictions. Security researchers warn "
            "that any mechanism that lets a third party read encrypted content "
            "can be abused by criminals and hostile states. Law enforcement "
            "agencies, for their part, describe real difficulties in "
            "investigating serious crimes."
        ),
    ),
    _issue(
        "platform-accountability",
        "igf",
        "en",
        "Balancing platform accountability with intermediary liability protections",
        ("platform-liability", "content-moderation", "human-rights"),
        (16,),
        _appeal(0.8, 0.6, 0.5, 0.8, 0.85, 0.7),
        (
            "Legislators increasingly place duties of care, risk assessments and "
            "fast removal deadlines on online platforms. Supporters see this as "
            "overdue accountability for harms at scale; critics fear "
            "over-removal of lawful speech and barriers for smaller services. "
            "The question is which obligations improve outcomes for users "
            "without turning intermediaries into private censors."
        ),
    ),
    _issue(
        "ewaste",
        "igf",
        "en",
        "Growing volume of electronic waste and the short lifetime of connected devices",
        ("environment",),
        (12, 13),
        _appeal(0.6, 0.75, 0.3, 0.45, 0.8, 0.65),
        (
            "Electronic waste is one of the fastest-growing waste streams, and "
            "only a minority of it is formally collected and recycled. Much of "
            "the rest is shipped to countries where informal recycling harms "
            "workers' health. Short software support periods push devices out of "
            "use long before the hardware fails."
        ),
    ),
    _issue(
        "cross-border-data",
        "igf",
        "en",
        "Trusted cross-border data flows versus data localisation requirements",
        ("cross-border-data", "data-protection", "digital-economy"),
        (8, 17),
        _appeal(0.85, 0.8, 0.35, 0.9, 0.45, 0.5),
        (
            "A growing number of countries require certain data to be stored or "
            "processed locally, citing privacy, security or economic "
            "development. Companies and trade bodies argue that such rules raise "
            "costs and fragment services, while some governments see them as the "
            "only lever they have. Interoperable transfer mechanisms could offer "
            "a middle path if they are trusted on all sides."
        ),
    ),
    _issue(
        "dpi-safeguards",
        "igf",
        "en",
        "Safeguards for digital public infrastructure: identity, payments and data exchange",
        ("digital-public-infrastructure", "trust-and-identity", "data-protection"),
        (1, 9, 16),
        _appeal(0.85, 0.9, 0.4, 0.5, 0.75, 0.7),
        (
            "Governments are building shared digital rails for identity, "
            "payments and data exchange, often with donor support. Done well, "
            "these systems cut the cost of reaching people with services; done "
            "badly, they exclude those without documents and concentrate "
            "sensitive data. There is no common baseline for the safeguards, "
            "redress and oversight such systems need."
        ),
    ),
    _issue(
        "age-assurance",
        "igf",
        "en",
        "Age assurance online without mass collection of identity data",
        ("child-safety", "data-protection", "trust-and-identity"),
        (16,),
        _appeal(0.9, 0.5, 0.35, 0.6, 0.7, 0.6),
        (
            "Several jurisdictions now require services to check the age of "
            "their users before showing some content. Uploading identity "
            "documents to every website creates honeypots of personal data and "
            "shuts out people without papers. Privacy-preserving techniques "
            "exist, but their accuracy, cost and fairness across skin tones and "
            "ages are disputed."
        ),
    ),
    _issue(
        "election-integrity",
        "igf",
        "en",
        "Coordinated inauthentic behaviour and information integrity around elections",
        ("misinformation", "content-moderation"),
        (16,),
        _appeal(0.75, 0.6, 0.25, 0.55, 0.8, 0.7),
        (
            "Dozens of national elections take place every year, and networks of "
            "fake accounts, paid amplification and synthetic media target many "
            "of them. Electoral bodies, platforms and fact-checkers work on "
            "different timelines and rarely share data. Responses must protect "
            "the vote without silencing legitimate political speech."
        ),
    ),
    _issue(
        "universal-acceptance",
        "igf",
        "en",
        "Universal acceptance of internationalized domain names and email addresses",
        ("dns", "multilingualism"),
        (9, 10),
        _appeal(0.2, 0.15, 0.95, 0.2, 0.2, 0.75),
        (
            "Domain names and email addresses in non-Latin scripts have been "
            "technically possible for years, but many websites, apps and mail "
            "systems still reject them. For users who do not read Latin script "
            "this is a barrier to using the Internet in their own language. The "
            "fix lies in ordinary software, form validation and mail servers, "
            "which makes it everybody's problem and nobody's priority."
        ),
    ),
    _issue(
        "gender-gap",
        "igf",
        "en",
        "Persistent gender gap in Internet use in least developed countries",
        ("digital-inclusion", "gender"),
        (5, 10),
        _appeal(0.7, 0.85, 0.45, 0.5, 0.9, 0.6),
        (
            "Women remain less likely than men to use the Internet, and the gap "
            "is widest in the least developed countries. Cost, social norms, "
            "safety concerns and lack of relevant content all play a role. "
            "Sex-disaggregated data is often missing, which makes it hard to set "
            "targets or evaluate programmes."
        ),
    ),
    _issue(
        "leo-spectrum",
        "igf",
        "en",
        "Spectrum and orbit coordination for low-Earth-orbit satellite broadband",
        ("spectrum", "connectivity"),
        (9,),
        _appeal(0.75, 0.8, 0.35, 0.75, 0.2, 0.45),
        (
            "Large constellations of low-Earth-orbit satellites now offer "
            "broadband in places that terrestrial networks never reached. Their "
            "growth raises questions about spectrum sharing, licensing of user "
            "terminals, space debris and the ability of national regulators to "
            "enforce their rules on services operated from abroad."
        ),
    ),
    _issue(
        "cyber-norms",
        "igf",
        "en",
        "Putting agreed norms of responsible state behaviour in cyberspace into practice",
        ("cybersecurity",),
        (16,),
        _appeal(0.9, 0.9, 0.3, 0.35, 0.35, 0.55),
        (
            "States have agreed in United Nations processes on voluntary norms, "
            "such as not attacking critical infrastructure and helping victims "
            "of incidents. Implementation is hard to track, and many countries "
            "lack the institutions to apply the norms. Non-state actors who run "
            "most of the infrastructure have little formal role in the follow-up."
        ),
    ),
    _issue(
        "ai-supply-chain-labour",
        "igf",
        "en",
        "Working conditions of content moderators and data labellers in the AI supply chain",
        ("ai-governance", "human-rights"),
        (8,),
        _appeal(0.1, 0.2, 0.05, 0.1, 0.95, 0.3),
        (
            "Training and safety work for AI systems and social platforms relies "
            "on outsourced workers who label data and review disturbing content, "
            "often for low pay and with little psychological support. Many work "
            "through subcontractors in countries with weak labour protections. "
            "Their conditions are largely invisible to the users and regulators "
            "of the final products."
        ),
    ),
    _issue(
        "safe-harbours",
        "igf",
        "en",
        "Preserving liability safe harbours for hosting, caching and infrastructure providers",
        ("platform-liability", "digital-economy"),
        (8, 9),
        _appeal(0.15, 0.1, 0.3, 0.95, 0.1, 0.2),
        (
            "Conditional liability exemptions let hosting services, CDNs, "
            "registrars and cloud providers operate without reviewing every byte "
            "they carry. New laws aimed at large social platforms are sometimes "
            "drafted broadly enough to catch infrastructure providers too. "
            "Without clear safe harbours, small providers may refuse risky "
            "customers or leave a market altogether."
        ),
    ),
    _issue(
        "ipv6",
        "igf",
        "en",
        "Stalled IPv6 deployment in access and enterprise networks",
        ("ipv6", "open-standards"),
        (9,),
        _appeal(0.35, 0.3, 0.85, 0.5, 0.15, 0.8),
        (
            "IPv6 was standardised decades ago and the current specification is "
            "[RFC 8200](https://www.rfc-editor.org/rfc/rfc8200). Adoption is "
            "high in some countries and almost absent in others, while IPv4 "
            "addresses trade at rising prices. Carrier-grade NAT hides users "
            "behind shared addresses, which complicates security investigations "
            "and peer-to-peer applications."
        ),
    ),
    _issue(
        "ransomware-health",
        "igf",
        "en",
        "Ransomware attacks on hospitals and public health services",
        ("cybersecurity",),
        (3, 16),
        _appeal(0.85, 0.7, 0.5, 0.6, 0.6, 0.7),
        (
            "Hospitals and laboratories have had to cancel operations and divert "
            "ambulances after ransomware attacks. Many health providers run "
            "outdated systems and cannot afford dedicated security staff. "
            "Criminal groups operate across borders, so prevention, response and "
            "prosecution all depend on cooperation."
        ),
    ),
    _issue(
        "ai-training-data",
        "igf",
        "en",
        "Use of publicly available personal data to train AI models",
        ("ai-governance", "data-protection"),
        (16,),
        _appeal(0.65, 0.45, 0.25, 0.5, 0.8, 0.75),
        (
            "Large models are trained on text and images collected from the open "
            "web, including personal information people never expected to feed a "
            "machine. Data protection authorities disagree on whether legitimate "
            "interest is a valid basis for such processing and on how people can "
            "object. Creators raise related questions about consent and "
            "remuneration."
        ),
    ),
    _issue(
        "accessibility",
        "igf",
        "en",
        "Accessibility of public digital services for persons with disabilities",
        ("accessibility", "digital-inclusion"),
        (10,),
        _appeal(0.7, 0.6, 0.45, 0.45, 0.85, 0.6),
        (
            "As public services move online, people with disabilities face "
            "forms, captchas and documents that assistive technologies cannot "
            "read. The [Web Content Accessibility "
            "Guidelines](https://www.w3.org/WAI/standards-guidelines/wcag/) give "
            "a common yardstick, but conformance is rarely tested before a "
            "service goes live. Accessibility added at the end costs far more "
            "than accessibility designed in."
        ),
    ),
    _issue(
        "open-standards-procurement",
        "igf",
        "en",
        "Public procurement that favours open standards and interoperable systems",
        ("open-standards", "interoperability"),
        (9, 17),
        _appeal(0.3, 0.25, 0.8, 0.2, 0.35, 0.9),
        (
            "Public bodies often buy systems that lock them into one vendor's "
            "formats and interfaces for years. Requiring open standards in "
            "tenders keeps data portable and lowers switching costs, but "
            "procurement officers rarely have the expertise to write or check "
            "such requirements. Standards bodies and the technical community "
            "could help with reusable guidance."
        ),
    ),
    _issue(
        "dns-abuse",
        "igf",
        "en",
        "Shared responsibility for DNS abuse across registries, registrars and hosting providers",
        ("dns", "cybersecurity"),
        (16,),
        _appeal(0.6, 0.35, 0.85, 0.6, 0.4, 0.6),
        (
            "Phishing, malware distribution and botnet command servers rely on "
            "domain names and hosting. Registries and registrars can suspend "
            "domains, but only hosting providers can remove the content itself, "
            "and action at the wrong layer can take down innocent services. "
            "Victims and investigators struggle to know whom to notify and what "
            "evidence is needed."
        ),
    ),
    _issue(
        "commercial-spyware",
        "igf",
        "en",
        "Commercial spyware used against journalists and human rights defenders",
        ("human-rights", "cybersecurity"),
        (16,),
        _appeal(0.15, 0.3, 0.2, 0.15, 0.95, 0.7),
        (
            "Forensic investigations keep finding commercial intrusion software "
            "on the phones of reporters, lawyers and activists. The vendors sell "
            "to governments under export licences and say their products are "
            "meant for serious crime. Victims have few remedies, and the market "
            "operates with very little transparency."
        ),
    ),
    _issue(
        "network-fees",
        "igf",
        "en",
        "Should large content providers pay access networks for the traffic they send?",
        ("connectivity", "digital-economy"),
        (9,),
        _appeal(0.3, 0.15, 0.25, 0.95, 0.2, 0.3),
        (
            "Some telecom operators propose that the largest content providers "
            "contribute directly to the cost of access networks. Content and "
            "cloud providers reply that they already invest heavily in delivery "
            "infrastructure and that users pay for their connections. Consumer "
            "groups and Internet engineers worry about effects on net neutrality "
            "and on the peering market."
        ),
    ),
    _issue(
        "post-quantum",
        "igf",
        "en",
        "Migration to post-quantum cryptography for critical infrastructure",
        ("cybersecurity", "encryption", "open-standards"),
        (9,),
        _appeal(0.6, 0.35, 0.6, 0.65, 0.2, 0.85),
        (
            "Standardised post-quantum algorithms are now available, and data "
            "encrypted today could be decrypted later by a large enough quantum "
            "computer. Critical infrastructure operators often do not know where "
            "cryptography is used in their systems. A migration will take many "
            "years and needs coordinated timelines."
        ),
    ),
    _issue(
        "public-sector-algorithms",
        "igf",
        "en",
        "Transparency of automated decision-making in public services",
        ("ai-governance", "human-rights"),
        (10, 16),
        _appeal(0.65, 0.7, 0.2, 0.35, 0.85, 0.75),
        (
            "Welfare agencies, tax authorities and police forces use algorithms "
            "to score risk and allocate resources. When such systems are opaque, "
            "people cannot understand or contest decisions that affect them, and "
            "errors can spread to thousands of cases. A few administrations "
            "publish registers of the algorithms they use; most do not."
        ),
    ),
    _issue(
        "global-south-participation",
        "igf",
        "en",
        "Barriers to meaningful participation of Global South stakeholders in Internet governance",
        ("capacity-building", "digital-inclusion"),
        (10, 17),
        _appeal(0.65, 0.75, 0.55, 0.35, 0.85, 0.7),
        (
            "Visa refusals, travel costs, time zones and the sheer number of "
            "parallel processes keep many stakeholders from developing countries "
            "out of the rooms where Internet policy is shaped. Remote "
            "participation helps but is often treated as second class. The "
            "[IGF](https://www.intgovforum.org/) model depends on hearing from "
            "everyone affected."
        ),
    ),
    _issue(
        "submarine-cables",
        "igf",
        "en",
        "Resilience and repair capacity for submarine cables",
        ("connectivity", "cybersecurity"),
        (9,),
        _appeal(0.8, 0.7, 0.7, 0.75, 0.25, 0.55),
        (
            "Most intercontinental traffic runs over submarine cables, and "
            "several regions have lost much of their capacity at once when "
            "cables were cut by anchors or undersea landslides. Few repair ships "
            "serve each region, and permits to work in territorial waters can "
            "take weeks. Countries with only one or two landing stations are the "
            "most exposed."
        ),
    ),
)

_REGIONAL_ISSUES: tuple[IssueSeed, ...] = (
    # African Internet Governance Forum
    _issue(
        "africa-backbone",
        "africa-igf",
        "en",
        "Cost of cross-border fibre backbones and regional transit in Africa",
        ("connectivity", "digital-economy"),
        (9, 17),
        _appeal(0.8, 0.85, 0.7, 0.75, 0.5, 0.55),
        (
            "Traffic between neighbouring African countries still often travels "
            "through Europe because direct terrestrial links are missing or "
            "expensive. Landlocked countries pay several transit providers "
            "before reaching the sea. Cross-border fibre projects stall over "
            "permits, rights of way and the cost of crossing borders."
        ),
    ),
    _issue(
        "africa-ixps",
        "africa-igf",
        "en",
        "Keeping African traffic local through Internet exchange points and local hosting",
        ("connectivity", "interoperability"),
        (9,),
        _appeal(0.55, 0.5, 0.9, 0.7, 0.3, 0.7),
        (
            "Internet exchange points let local networks hand traffic to each "
            "other without paying for international transit, which lowers costs "
            "and latency. Many exchanges remain small because large content and "
            "cloud providers do not peer or cache there. Regulators sometimes "
            "hinder them with licensing requirements designed for telecom "
            "operators."
        ),
    ),
    _issue(
        "africa-dpa-resources",
        "africa-igf",
        "en",
        "Data protection authorities without the resources to enforce new laws",
        ("data-protection", "capacity-building"),
        (16,),
        _appeal(0.75, 0.7, 0.3, 0.45, 0.8, 0.55),
        (
            "Most African countries have now adopted data protection laws, but "
            "many of the authorities created to enforce them have a handful of "
            "staff and no independent budget. Complaints go unanswered and large "
            "processors face little scrutiny. Cooperation between authorities on "
            "cross-border cases is at an early stage."
        ),
    ),
    _issue(
        "africa-sim-swap",
        "africa-igf",
        "en",
        "SIM-swap attacks and mobile money fraud",
        ("cybersecurity", "trust-and-identity"),
        (1, 8),
        _appeal(0.7, 0.4, 0.3, 0.85, 0.6, 0.45),
        (
            "Mobile money accounts and one-time passwords sent by SMS make the "
            "SIM card a key to people's savings. Fraudsters bribe or deceive "
            "shop agents to transfer a victim's number to a new SIM and empty "
            "the account within minutes. Operators, banks and regulators each "
            "hold part of the solution."
        ),
    ),
    _issue(
        "africa-languages-mt",
        "africa-igf",
        "fr",
        "Contenus en langues africaines et outils de traduction automatique",
        ("multilingualism", "ai-governance"),
        (4, 10),
        _appeal(0.55, 0.75, 0.45, 0.4, 0.7, 0.85),
        (
            "La plupart des langues africaines sont peu présentes en ligne et "
            "mal prises en charge par les outils de traduction et de "
            "reconnaissance vocale. Les corpus nécessaires pour les entraîner "
            "sont rares, et ils sont parfois collectés sans l'accord des "
            "communautés qui les produisent. Des initiatives locales existent "
            "mais manquent de financement durable."
        ),
    ),
    _issue(
        "africa-number-resources",
        "africa-igf",
        "en",
        "Protecting Internet number resources from hijacking and misappropriation",
        ("routing-security", "ipv6"),
        (16,),
        _appeal(0.2, 0.15, 0.95, 0.3, 0.15, 0.8),
        (
            "IPv4 address blocks have become valuable assets, and cases of "
            "address space being taken over through forged documents or "
            "unauthorised route announcements have been reported. When registry "
            "records are wrong, legitimate holders struggle to prove their "
            "rights. Accurate registration data and routing security are the "
            "first line of defence."
        ),
    ),
    # Asia-Pacific Regional Internet Governance Forum
    _issue(
        "pacific-resilience",
        "asia-pacific-igf",
        "en",
        "Disaster-resilient connectivity for Pacific small island states",
        ("connectivity", "environment"),
        (9, 11, 13),
        _appeal(0.85, 0.8, 0.6, 0.55, 0.55, 0.5),
        (
            "A single cable break or cyclone can cut a Pacific island nation off "
            "from the world for days or weeks. Backup satellite capacity is "
            "costly and often not contracted in advance. Rising sea levels also "
            "threaten landing stations built close to the shore."
        ),
    ),
    _issue(
        "scam-compounds",
        "asia-pacific-igf",
        "en",
        "Online scam compounds and cross-border investment fraud",
        ("cybersecurity", "human-rights"),
        (8, 16),
        _appeal(0.85, 0.7, 0.4, 0.6, 0.75, 0.4),
        (
            "Criminal groups run large compounds where trafficked workers are "
            "forced to run romance and investment scams aimed at victims "
            "worldwide. The operations rely on messaging apps, fake trading "
            "platforms, prepaid SIM cards and cryptocurrency. Victims of the "
            "scams and victims of the trafficking both need protection."
        ),
    ),
    _issue(
        "apac-content-rules",
        "asia-pacific-igf",
        "en",
        "Divergent content regulation across Asia-Pacific jurisdictions",
        ("content-moderation", "internet-fragmentation"),
        (16,),
        _appeal(0.55, 0.45, 0.35, 0.75, 0.7, 0.5),
        (
            "Content rules in the region range from narrow court-ordered "
            "takedowns to broad obligations to remove anything deemed false or "
            "harmful. Services operating across many countries respond by "
            "geoblocking or by applying the strictest rule everywhere. Users end "
            "up with very different Internets depending on where they connect "
            "from."
        ),
    ),
    _issue(
        "apac-id-exclusion",
        "asia-pacific-igf",
        "en",
        "Digital identity schemes and the exclusion of undocumented and stateless people",
        ("trust-and-identity", "digital-public-infrastructure", "human-rights"),
        (10, 16),
        _appeal(0.55, 0.75, 0.25, 0.3, 0.9, 0.6),
        (
            "When a digital ID becomes the key to SIM registration, bank "
            "accounts and social benefits, people who cannot enrol lose access "
            "to all of them. Refugees, stateless people and migrant workers are "
            "the most affected. Fallback procedures exist on paper but often "
            "fail in practice."
        ),
    ),
    _issue(
        "apac-deepfakes",
        "asia-pacific-igf",
        "en",
        "Synthetic media and deepfakes in regional languages",
        ("misinformation", "ai-governance", "multilingualism"),
        (16,),
        _appeal(0.7, 0.5, 0.3, 0.55, 0.75, 0.7),
        (
            "Detection tools and platform policies for synthetic media are built "
            "first for English. Voice clones and manipulated videos in smaller "
            "regional languages spread on messaging apps with little "
            "fact-checking capacity. Local newsrooms and researchers need tools "
            "and data in their own languages."
        ),
    ),
    _issue(
        "apac-datacentre-energy",
        "asia-pacific-igf",
        "en",
        "Energy and water demand of data centres in fast-growing markets",
        ("environment", "digital-economy"),
        (7, 13),
        _appeal(0.7, 0.55, 0.35, 0.7, 0.6, 0.6),
        (
            "Data-centre construction is booming across the region, driven by "
            "cloud services and AI workloads. In places where the grid still "
            "relies on coal and water is scarce, new facilities compete with "
            "households and agriculture. Planning rules rarely require "
            "disclosure of energy and water use."
        ),
    ),
    # Eastern European Internet Governance Forum
    _issue(
        "conflict-infrastructure",
        "eeg-igf",
        "en",
        "Protecting civilian telecommunications infrastructure during armed conflict",
        ("connectivity", "cybersecurity", "human-rights"),
        (9, 16),
        _appeal(0.85, 0.8, 0.75, 0.65, 0.7, 0.6),
        (
            "Strikes on power plants, data centres and mobile towers cut "
            "civilians off from news, family and emergency services. "
            "International humanitarian law protects civilian objects, but its "
            "application to networks shared by civilian and military users "
            "remains contested. Operators need spare parts, fuel and safe access "
            "to repair sites."
        ),
    ),
    _issue(
        "state-disinformation",
        "eeg-igf",
        "en",
        "State-sponsored disinformation campaigns targeting neighbouring countries",
        ("misinformation", "content-moderation"),
        (16,),
        _appeal(0.85, 0.6, 0.25, 0.4, 0.7, 0.65),
        (
            "Networks of websites, channels and fake accounts linked to state "
            "actors push narratives aimed at dividing societies in neighbouring "
            "countries. They exploit gaps between platforms and move quickly "
            "when accounts are removed. Responses range from sanctions on media "
            "outlets to media literacy programmes, with very different "
            "consequences for free expression."
        ),
    ),
    _issue(
        "ict-brain-drain",
        "eeg-igf",
        "en",
        "Emigration of ICT professionals and the cybersecurity skills shortage",
        ("capacity-building", "cybersecurity"),
        (4, 8),
        _appeal(0.7, 0.45, 0.4, 0.75, 0.3, 0.7),
        (
            "Skilled engineers leave for better-paid jobs abroad, and public "
            "institutions struggle to compete for security specialists. Remote "
            "work keeps some talent connected to the region, but hollows out "
            "local teams. Universities report falling enrolment in some "
            "technical programmes."
        ),
    ),
    _issue(
        "data-retention",
        "eeg-igf",
        "en",
        "Mandatory telecom data retention and its compatibility with the right to privacy",
        ("data-protection", "human-rights"),
        (16,),
        _appeal(0.5, 0.45, 0.5, 0.55, 0.85, 0.6),
        (
            "Several countries require operators to keep traffic and location "
            "data on all subscribers for months or years. Courts in the region "
            "have struck down blanket retention more than once, yet similar "
            "rules return under new names. Operators bear the storage costs and "
            "the risk of breaches."
        ),
    ),
    _issue(
        "eeca-rural-broadband",
        "eeg-igf",
        "en",
        "Rural broadband gaps in Eastern Europe and the Caucasus",
        ("connectivity", "digital-inclusion"),
        (9, 10),
        _appeal(0.8, 0.7, 0.45, 0.65, 0.55, 0.45),
        (
            "Capitals enjoy fast fixed and mobile broadband while mountain and "
            "rural areas remain poorly served. Subsidy programmes exist but are "
            "complex to access for small local operators. Depopulation makes the "
            "business case weaker every year."
        ),
    ),
    _issue(
        "single-upstream",
        "eeg-igf",
        "en",
        "Dependence on a single upstream provider as a national resilience risk",
        ("routing-security", "internet-fragmentation"),
        (9,),
        _appeal(0.3, 0.2, 0.9, 0.35, 0.15, 0.85),
        (
            "In some countries almost all international traffic passes through "
            "one or two upstream providers, sometimes state-controlled. A single "
            "failure, or a political decision, can then isolate the whole "
            "country. Diversity of routes, exchange points and operators is a "
            "technical as much as a governance question."
        ),
    ),
    # Latin America and Caribbean Internet Governance Forum
    _issue(
        "latam-indigenous-gap",
        "lac-igf",
        "es",
        "Brecha digital en comunidades indígenas y rurales de América Latina",
        ("digital-inclusion", "connectivity", "multilingualism"),
        (9, 10),
        _appeal(0.75, 0.8, 0.5, 0.45, 0.9, 0.65),
        (
            "Muchas comunidades indígenas y rurales de la región siguen sin "
            "acceso asequible a Internet o dependen de una sola antena de baja "
            "calidad. Los contenidos y servicios públicos rara vez están "
            "disponibles en lenguas originarias. Las políticas de conectividad "
            "deberían diseñarse con las propias comunidades y no solo para ellas."
        ),
    ),
    _issue(
        "latam-gender-violence",
        "lac-igf",
        "es",
        "Violencia digital de género contra periodistas y defensoras de derechos humanos",
        ("gender", "human-rights", "content-moderation"),
        (5, 16),
        _appeal(0.6, 0.65, 0.25, 0.4, 0.9, 0.6),
        (
            "Periodistas, políticas y defensoras de derechos humanos reciben "
            "campañas coordinadas de acoso, amenazas y difusión de imágenes "
            "íntimas sin consentimiento. Muchas abandonan las redes o se "
            "autocensuran. Los mecanismos de denuncia de las plataformas y de la "
            "justicia son lentos y poco adaptados a estos ataques."
        ),
    ),
    _issue(
        "community-networks-spectrum",
        "lac-igf",
        "en",
        "Community networks and access to shared and unlicensed spectrum",
        ("spectrum", "connectivity"),
        (9, 10),
        _appeal(0.3, 0.3, 0.35, 0.15, 0.9, 0.75),
        (
            "Community networks built and run by local people connect villages "
            "that commercial operators ignore. They need affordable access to "
            "spectrum, but licences are designed for national operators and "
            "priced accordingly. A few regulators have created special licences "
            "for social use; most have not."
        ),
    ),
    _issue(
        "latam-zero-rating",
        "lac-igf",
        "en",
        "Zero-rating and net neutrality in Latin American mobile markets",
        ("connectivity", "digital-economy"),
        (10,),
        _appeal(0.5, 0.35, 0.45, 0.75, 0.75, 0.6),
        (
            "Prepaid plans that give unlimited access to a few social and "
            "messaging apps while charging for everything else are widespread in "
            "the region. For many users these apps effectively are the Internet, "
            "including for news. Regulators differ on whether such offers "
            "violate net neutrality rules."
        ),
    ),
    _issue(
        "latam-cybercrime-laws",
        "lac-igf",
        "en",
        "Cybercrime laws with overly broad offences",
        ("cybersecurity", "human-rights"),
        (16,),
        _appeal(0.6, 0.55, 0.4, 0.45, 0.85, 0.7),
        (
            "New cybercrime laws sometimes criminalise vague conduct such as "
            "spreading false news or accessing systems without authorisation, "
            "with no exception for security research or journalism. Prosecutors "
            "have used such provisions against critics. Clear definitions and "
            "safeguards would serve both security and rights."
        ),
    ),
    _issue(
        "lithium-extraction",
        "lac-igf",
        "en",
        "Environmental and social impact of lithium extraction for digital devices",
        ("environment", "human-rights"),
        (6, 12, 15),
        _appeal(0.55, 0.6, 0.15, 0.45, 0.8, 0.6),
        (
            "Batteries for phones, laptops and electric vehicles depend on "
            "lithium, much of it extracted from salt flats in South America. "
            "Local and Indigenous communities raise concerns about water use and "
            "consultation. The digital sector's climate commitments seldom cover "
            "these upstream impacts."
        ),
    ),
    # Western European and Others Internet Governance Forum
    _issue(
        "regulatory-overlap",
        "weog-igf",
        "en",
        "Compliance burden of overlapping digital regulations for small firms",
        ("digital-economy", "interoperability"),
        (8,),
        _appeal(0.35, 0.2, 0.2, 0.95, 0.1, 0.25),
        (
            "A small software company may now have to follow data protection, "
            "platform, AI, cybersecurity and accessibility rules, each with its "
            "own definitions, reports and authorities. Large firms hire "
            "compliance teams; start-ups divert scarce engineering time or avoid "
            "certain markets. Consolidated guidance and shared templates would "
            "help."
        ),
    ),
    _issue(
        "researcher-data-access",
        "weog-igf",
        "en",
        "Researcher access to platform data for public-interest research",
        ("content-moderation", "data-protection"),
        (16,),
        _appeal(0.3, 0.25, 0.2, 0.15, 0.8, 0.95),
        (
            "Independent research on disinformation, recommender systems and "
            "online harms depends on access to platform data. Access programmes "
            "have been narrowed or closed in recent years, and scraping carries "
            "legal risk. New legal rights to data access are only slowly being "
            "implemented."
        ),
    ),
    _issue(
        "recommenders-youth",
        "weog-igf",
        "en",
        "Recommender systems and the mental health of young users",
        ("child-safety", "content-moderation"),
        (3,),
        _appeal(0.85, 0.55, 0.25, 0.5, 0.75, 0.7),
        (
            "Parents, teachers and clinicians report that endless feeds and "
            "engagement-optimised recommendations harm some young people's "
            "sleep, self-image and mood. The research evidence is mixed and "
            "debated. Proposals range from default chronological feeds to bans "
            "for younger teenagers."
        ),
    ),
    _issue(
        "digital-sovereignty",
        "weog-igf",
        "en",
        "Digital sovereignty policies and their effect on the open Internet",
        ("internet-fragmentation", "cross-border-data"),
        (9, 17),
        _appeal(0.8, 0.55, 0.6, 0.65, 0.45, 0.6),
        (
            "Governments seek more control over the cloud, chips and platforms "
            "their economies depend on. Some measures, such as funding open "
            "source or common data spaces, strengthen the open Internet; others, "
            "such as exclusive local champions, may fragment it. The forum can "
            "help distinguish the two."
        ),
    ),
    _issue(
        "datacentre-efficiency",
        "weog-igf",
        "en",
        "Energy efficiency and heat reuse requirements for data centres",
        ("environment",),
        (7, 12, 13),
        _appeal(0.75, 0.5, 0.35, 0.7, 0.55, 0.6),
        (
            "Data centres use a growing share of electricity in several "
            "countries. New rules ask operators to report energy use and to "
            "recover waste heat where a district heating network is nearby. "
            "Operators ask for metrics that are comparable and for time to adapt "
            "existing sites."
        ),
    ),
    _issue(
        "automated-hate-moderation",
        "weog-igf",
        "en",
        "Online hate against minorities and the limits of automated moderation",
        ("content-moderation", "human-rights"),
        (10, 16),
        _appeal(0.7, 0.5, 0.2, 0.55, 0.85, 0.65),
        (
            "Automated classifiers remove large amounts of hateful content but "
            "miss coded language and often flag the speech of the minorities "
            "they should protect. Appeals are slow and opaque. Affected "
            "communities ask to be involved in writing the rules and testing the "
            "tools."
        ),
    ),
)

_NATIONAL_ISSUES: tuple[IssueSeed, ...] = (
    # Kenya
    _issue(
        "ke-device-affordability",
        "kenya-igf",
        "en",
        "Affordability of smartphones for low-income households",
        ("digital-inclusion", "connectivity"),
        (1, 10),
        _appeal(0.75, 0.55, 0.4, 0.7, 0.75, 0.5),
        (
            "Many Kenyans live within range of 4G but still use basic feature "
            "phones because a smartphone costs several weeks of income. "
            "Pay-as-you-go device financing has grown, yet defaults can lock "
            "phones remotely. Import duties and taxes add to the price."
        ),
    ),
    _issue(
        "ke-sme-data-protection",
        "kenya-igf",
        "en",
        "Data protection compliance for small businesses under the national law",
        ("data-protection", "capacity-building"),
        (8, 16),
        _appeal(0.7, 0.25, 0.3, 0.75, 0.5, 0.45),
        (
            "Small shops, clinics and schools that keep customer records must "
            "now register and comply with data protection rules. Many do not "
            "know what is required and cannot pay consultants. Simple templates "
            "and guidance in Swahili and English would raise compliance more "
            "than fines."
        ),
    ),
    _issue(
        "ke-election-harassment",
        "kenya-igf",
        "en",
        "Online harassment of women candidates ahead of general elections",
        ("gender", "misinformation"),
        (5, 16),
        _appeal(0.6, 0.45, 0.2, 0.4, 0.9, 0.55),
        (
            "Women running for office face coordinated insults, doctored images "
            "and threats on social media and in group chats. Some withdraw from "
            "public debate or from the race. Electoral authorities and platforms "
            "have so far treated this as an individual matter rather than an "
            "election integrity issue."
        ),
    ),
    # Nigeria
    _issue(
        "ng-infrastructure-vandalism",
        "nigeria-igf",
        "en",
        "Theft and vandalism of fibre cables and telecom base stations",
        ("connectivity",),
        (9,),
        _appeal(0.8, 0.4, 0.55, 0.9, 0.35, 0.4),
        (
            "Operators report thousands of fibre cuts a year, many caused by "
            "road works and theft of equipment and diesel from base stations. "
            "Each incident degrades service for whole neighbourhoods and raises "
            "operating costs. Designating telecom infrastructure as critical "
            "national infrastructure has been discussed for years."
        ),
    ),
    _issue(
        "ng-platform-bans",
        "nigeria-igf",
        "en",
        "Economic and social cost of nationwide social media suspensions",
        ("shutdowns", "human-rights", "digital-economy"),
        (8, 16),
        _appeal(0.3, 0.5, 0.65, 0.8, 0.9, 0.6),
        (
            "When a major social platform is blocked nationwide, small "
            "businesses that sell through it lose income overnight and VPN use "
            "surges. Suspensions have been ordered without a clear legal basis "
            "or time limit. Courts have later questioned their lawfulness, but "
            "damage to trust remains."
        ),
    ),
    _issue(
        "ng-youth-skills",
        "nigeria-igf",
        "en",
        "Digital skills for out-of-school young people",
        ("capacity-building", "digital-inclusion"),
        (4, 8),
        _appeal(0.8, 0.65, 0.35, 0.6, 0.75, 0.6),
        (
            "Millions of young Nigerians are out of school, and most digital "
            "skills programmes assume a secondary education and a laptop. "
            "Training delivered on phones, in local languages and linked to real "
            "jobs reaches further. Programmes rarely track what happens to "
            "participants afterwards."
        ),
    ),
    # Senegal
    _issue(
        "sn-cout-acces-rural",
        "senegal-igf",
        "fr",
        "Coût élevé de l'accès mobile pour les ménages ruraux",
        ("connectivity", "digital-inclusion"),
        (1, 9, 10),
        _appeal(0.75, 0.6, 0.45, 0.55, 0.8, 0.5),
        (
            "Dans les zones rurales, les forfaits de données représentent une "
            "part importante du revenu des ménages. Les offres les moins chères "
            "expirent en quelques jours et la couverture reste inégale. Les "
            "associations demandent une meilleure transparence des prix et un "
            "usage plus efficace du fonds de service universel."
        ),
    ),
    _issue(
        "sn-donnees-services-publics",
        "senegal-igf",
        "fr",
        "Protection des données personnelles dans les services publics numériques",
        ("data-protection", "digital-public-infrastructure"),
        (16,),
        _appeal(0.7, 0.5, 0.3, 0.4, 0.8, 0.6),
        (
            "La numérisation de l'état civil, de la santé et des services "
            "fiscaux multiplie les bases de données contenant des informations "
            "sensibles. Les citoyens savent rarement qui y a accès et comment "
            "exercer leurs droits. L'autorité de protection des données demande "
            "des moyens pour contrôler les administrations comme les entreprises."
        ),
    ),
    _issue(
        "sn-desinformation-messageries",
        "senegal-igf",
        "fr",
        "Désinformation sur les messageries en période électorale",
        ("misinformation",),
        (16,),
        _appeal(0.7, 0.45, 0.2, 0.45, 0.75, 0.65),
        (
            "Pendant les campagnes électorales, de fausses informations et des "
            "audios manipulés circulent surtout dans les groupes de messagerie, "
            "en français comme en wolof. Ces échanges chiffrés échappent à la "
            "modération classique. Les journalistes et les vérificateurs de "
            "faits manquent de relais pour diffuser les corrections au même "
            "rythme."
        ),
    ),
    _issue(
        "sn-ecoles-connectees",
        "senegal-igf",
        "fr",
        "Connexion des écoles publiques et formation des enseignants au numérique",
        ("connectivity", "capacity-building"),
        (4, 9),
        _appeal(0.8, 0.75, 0.4, 0.5, 0.7, 0.7),
        (
            "Une grande partie des écoles publiques n'a ni connexion Internet ni "
            "matériel en état de marche. Lorsque l'équipement arrive, les "
            "enseignants ne sont pas toujours formés pour l'utiliser en classe. "
            "Un programme durable doit prévoir la maintenance, l'électricité et "
            "des contenus pédagogiques adaptés.\n\n- raccordement des "
            "établissements\n- formation continue des enseignants\n- ressources "
            "libres en français et en langues nationales"
        ),
    ),
    # India
    _issue(
        "in-blocking-transparency",
        "india-igf",
        "en",
        "Transparency of website and account blocking orders",
        ("content-moderation", "human-rights"),
        (16,),
        _appeal(0.3, 0.35, 0.5, 0.6, 0.9, 0.75),
        (
            "Blocking orders for websites and social media accounts are often "
            "confidential, so neither users nor the authors of the blocked "
            "content learn why. Some platforms have challenged orders in court. "
            "Publishing orders, or at least statistics, would allow public "
            "scrutiny without compromising investigations."
        ),
    ),
    _issue(
        "in-indic-domains",
        "india-igf",
        "en",
        "Indic-script domain names and multilingual content",
        ("dns", "multilingualism"),
        (9, 10),
        _appeal(0.5, 0.3, 0.85, 0.35, 0.45, 0.7),
        (
            "Domain names are available in several Indian scripts, but few "
            "websites use them and many applications do not handle them "
            "properly. Government services could lead by offering addresses and "
            "content in the languages people read. Universal acceptance testing "
            "should be part of public procurement."
        ),
    ),
    _issue(
        "in-gig-workers",
        "india-igf",
        "en",
        "Algorithmic management of gig workers on delivery and ride-hailing platforms",
        ("ai-governance", "human-rights", "digital-economy"),
        (8, 10),
        _appeal(0.35, 0.2, 0.05, 0.2, 0.95, 0.35),
        (
            "Delivery riders and drivers are assigned jobs, rated and "
            "deactivated by algorithms they cannot see or question. Pay per task "
            "changes without notice, and there is often no human to appeal to. "
            "Worker groups ask for transparency about how the systems decide and "
            "for a right to human review."
        ),
    ),
    # Japan
    _issue(
        "jp-sme-supply-chain",
        "japan-igf",
        "en",
        "Cyber resilience of small suppliers in manufacturing supply chains",
        ("cybersecurity",),
        (9,),
        _appeal(0.75, 0.35, 0.35, 0.85, 0.2, 0.6),
        (
            "Attackers increasingly enter large manufacturers through their "
            "smaller suppliers, some of which have no security staff at all. A "
            "ransomware attack on a single parts supplier has been enough to "
            "halt production lines. Shared security services and simple baseline "
            "requirements could help smaller firms."
        ),
    ),
    _issue(
        "jp-ageing-literacy",
        "japan-igf",
        "en",
        "Keeping an ageing population connected to digital public services",
        ("digital-inclusion", "accessibility"),
        (10,),
        _appeal(0.8, 0.45, 0.3, 0.5, 0.75, 0.55),
        (
            "As administrative procedures and health records move online, many "
            "older people depend on relatives or shop staff to use them. Older "
            "users are also frequent targets of phone and online fraud. Local "
            "support desks and simpler interfaces benefit everyone, not only "
            "seniors."
        ),
    ),
    # Indonesia
    _issue(
        "id-public-breaches",
        "indonesia-igf",
        "en",
        "Personal data breaches in public sector databases",
        ("data-protection", "cybersecurity"),
        (16,),
        _appeal(0.75, 0.45, 0.4, 0.55, 0.85, 0.65),
        (
            "Several large leaks of citizen records from government systems have "
            "been offered for sale online in recent years. Affected people are "
            "rarely notified and face phishing and identity fraud. The new data "
            "protection law applies to public bodies, but its supervisory "
            "authority is still being set up."
        ),
    ),
    _issue(
        "id-remote-islands",
        "indonesia-igf",
        "en",
        "Connecting remote islands in eastern Indonesia",
        ("connectivity", "spectrum"),
        (9, 10),
        _appeal(0.85, 0.6, 0.45, 0.65, 0.6, 0.45),
        (
            "Thousands of villages in the eastern provinces still lack reliable "
            "mobile data. Terrain, distance and low population density make "
            "terrestrial networks expensive, so satellite and microwave links "
            "fill the gaps. Ensuring that public towers are maintained after "
            "construction is as important as building them."
        ),
    ),
    # Ukraine
    _issue(
        "ua-frontline-connectivity",
        "ukraine-igf",
        "en",
        "Restoring connectivity in frontline and de-occupied areas",
        ("connectivity",),
        (9, 11),
        _appeal(0.9, 0.75, 0.7, 0.8, 0.6, 0.45),
        (
            "Returning residents often find mobile towers and fibre destroyed "
            "and the power grid unreliable. Operators share infrastructure and "
            "use generators and satellite backhaul, but repair crews face mines "
            "and shelling. Coordinated reconstruction planning could avoid "
            "rebuilding the same vulnerabilities."
        ),
    ),
    _issue(
        "ua-grid-cyberattacks",
        "ukraine-igf",
        "en",
        "Cyberattacks against the energy grid and other critical infrastructure",
        ("cybersecurity",),
        (7, 16),
        _appeal(0.9, 0.7, 0.5, 0.7, 0.35, 0.65),
        (
            "Power distribution companies have been hit by destructive "
            "cyberattacks designed to cause outages in winter. Attacks on energy "
            "and on telecoms reinforce each other, because networks need power "
            "and the grid needs communications. Lessons learned here matter for "
            "operators everywhere."
        ),
    ),
    _issue(
        "ua-war-evidence",
        "ukraine-igf",
        "en",
        "Platform takedowns that destroy digital evidence of war crimes",
        ("content-moderation", "human-rights"),
        (16,),
        _appeal(0.3, 0.3, 0.1, 0.2, 0.9, 0.8),
        (
            "Videos and photos documenting attacks on civilians are removed by "
            "platforms under violent content rules, sometimes within minutes. "
            "Once deleted, they may be lost to investigators and courts. "
            "Archiving mechanisms that preserve removed content for "
            "accountability purposes are still ad hoc."
        ),
    ),
    # Poland
    _issue(
        "pl-surveillance-oversight",
        "poland-igf",
        "en",
        "Independent oversight of state use of surveillance and intrusion tools",
        ("human-rights", "cybersecurity"),
        (16,),
        _appeal(0.45, 0.4, 0.25, 0.2, 0.85, 0.7),
        (
            "Revelations about spyware used against politicians and lawyers "
            "prompted calls for stronger oversight of the security services. "
            "Existing control bodies lack technical expertise and access to "
            "classified operations. Notification of targets after an "
            "investigation ends is rarely required."
        ),
    ),
    _issue(
        "pl-5g-health-myths",
        "poland-igf",
        "en",
        "Health-related misinformation slowing the rollout of mobile networks",
        ("misinformation", "connectivity"),
        (3, 9),
        _appeal(0.7, 0.4, 0.45, 0.75, 0.35, 0.55),
        (
            "Local protests fuelled by false claims about radiation have delayed "
            "permits for new mobile sites. Municipal officials often lack clear "
            "information to answer residents' questions. Trusted local voices, "
            "such as doctors and teachers, are more persuasive than national "
            "campaigns."
        ),
    ),
    # Brazil
    _issue(
        "br-platform-regulation",
        "brazil-igf",
        "en",
        "Platform regulation after election-related misinformation",
        ("platform-liability", "misinformation"),
        (16,),
        _appeal(0.85, 0.45, 0.4, 0.75, 0.8, 0.7),
        (
            "Brazil's debate on platform rules intensified after successive "
            "elections were marked by coordinated misinformation. Courts have "
            "ordered removals and suspensions, while a comprehensive law has "
            "been discussed for years. The debate turns on liability, "
            "transparency duties and who should supervise platforms."
        ),
    ),
    _issue(
        "br-open-government-apis",
        "brazil-igf",
        "en",
        "Open government data and public APIs for civic technology",
        ("open-standards", "digital-public-infrastructure"),
        (16, 17),
        _appeal(0.65, 0.35, 0.4, 0.45, 0.75, 0.8),
        (
            "Brazil publishes large volumes of public data, but formats change "
            "without notice and some datasets disappear after a change of "
            "administration. Journalists and civic developers depend on stable "
            "APIs. A commitment to versioned, documented interfaces would make "
            "transparency sustainable."
        ),
    ),
    _issue(
        "br-amazon-connectivity",
        "brazil-igf",
        "en",
        "Connectivity for riverside communities in the Amazon",
        ("connectivity", "environment"),
        (9, 10, 15),
        _appeal(0.8, 0.6, 0.45, 0.55, 0.75, 0.55),
        (
            "Subfluvial fibre along the rivers and satellite links are bringing "
            "the Internet to towns in the Amazon region for the first time. "
            "Connectivity supports telehealth, education and monitoring of "
            "deforestation. Communities want a say in how the networks are run "
            "and what they cost."
        ),
    ),
    # Mexico
    _issue(
        "mx-redes-comunitarias",
        "mexico-igf",
        "es",
        "Acceso a Internet en comunidades rurales mediante redes comunitarias",
        ("connectivity", "spectrum"),
        (9, 10),
        _appeal(0.6, 0.45, 0.4, 0.3, 0.9, 0.7),
        (
            "En varias regiones de México, comunidades indígenas operan sus "
            "propias redes de telefonía e Internet. Estas redes enfrentan "
            "trámites costosos, falta de acceso a infraestructura de transporte "
            "y tarifas mayoristas elevadas. Un marco regulatorio estable "
            "permitiría que crezcan sin depender de excepciones."
        ),
    ),
    _issue(
        "mx-software-espia",
        "mexico-igf",
        "es",
        "Uso de software espía contra periodistas y rendición de cuentas",
        ("human-rights", "cybersecurity"),
        (16,),
        _appeal(0.25, 0.35, 0.2, 0.15, 0.95, 0.65),
        (
            "Investigaciones periodísticas y forenses han documentado "
            "infecciones con software espía en teléfonos de periodistas y "
            "defensores de derechos humanos en México. Las víctimas denuncian "
            "que las investigaciones avanzan poco. Se necesitan controles "
            "judiciales efectivos y transparencia sobre las compras de estas "
            "herramientas."
        ),
    ),
    _issue(
        "mx-registro-telefonia",
        "mexico-igf",
        "es",
        "Registros obligatorios de usuarios de telefonía móvil y protección de datos",
        ("data-protection", "trust-and-identity"),
        (16,),
        _appeal(0.55, 0.3, 0.35, 0.6, 0.85, 0.6),
        (
            "Las propuestas de vincular cada línea móvil con datos biométricos o "
            "de identidad prometen reducir la extorsión, pero concentran "
            "información sensible en bases de datos vulnerables. Experiencias "
            "anteriores con padrones similares terminaron en filtraciones. "
            "Quienes no tienen documentos podrían quedar sin servicio."
        ),
    ),
    # Argentina
    _issue(
        "ar-personas-mayores",
        "argentina-igf",
        "es",
        "Inclusión digital de las personas mayores",
        ("digital-inclusion", "accessibility"),
        (10,),
        _appeal(0.75, 0.5, 0.35, 0.45, 0.8, 0.55),
        (
            "Cada vez más trámites, turnos médicos y pagos solo pueden hacerse "
            "en línea. Muchas personas mayores no tienen dispositivos adecuados "
            "o no se sienten seguras usándolos, y son blanco frecuente de "
            "estafas. Los programas de acompañamiento en centros de jubilados y "
            "bibliotecas dan buenos resultados, pero tienen poca continuidad."
        ),
    ),
    _issue(
        "ar-ia-sector-publico",
        "argentina-igf",
        "es",
        "Inteligencia artificial en el sector público y transparencia algorítmica",
        ("ai-governance", "human-rights"),
        (16,),
        _appeal(0.65, 0.5, 0.2, 0.4, 0.85, 0.75),
        (
            "Organismos nacionales y provinciales comienzan a usar sistemas "
            "automatizados para asignar ayudas, priorizar inspecciones o atender "
            "consultas. La ciudadanía casi nunca sabe cuándo interviene un "
            "algoritmo ni cómo impugnar sus resultados. Un registro público de "
            "estos sistemas sería un primer paso."
        ),
    ),
    _issue(
        "ar-ciberseguridad-provincias",
        "argentina-igf",
        "es",
        "Ciberseguridad en los organismos públicos provinciales y municipales",
        ("cybersecurity", "capacity-building"),
        (16,),
        _appeal(0.85, 0.4, 0.4, 0.55, 0.45, 0.65),
        (
            "Varios organismos provinciales y municipios sufrieron ataques de "
            "secuestro de datos que paralizaron servicios durante semanas. "
            "Muchos no cuentan con personal especializado ni copias de seguridad "
            "probadas. Compartir capacidades entre jurisdicciones sería más "
            "eficiente que que cada una empiece de cero."
        ),
    ),
    # France
    _issue(
        "fr-verification-age",
        "france-igf",
        "fr",
        "Vérification de l'âge sur les sites pour adultes et respect de la vie privée",
        ("child-safety", "data-protection", "trust-and-identity"),
        (16,),
        _appeal(0.9, 0.4, 0.35, 0.55, 0.7, 0.65),
        (
            "La loi impose désormais aux sites pornographiques de vérifier que "
            "leurs visiteurs sont majeurs. Les solutions proposées vont de "
            "l'envoi d'une pièce d'identité à des attestations anonymes "
            "délivrées par un tiers. Le débat porte sur l'efficacité réelle de "
            "ces dispositifs et sur le risque de constituer des fichiers "
            "sensibles."
        ),
    ),
    _issue(
        "fr-sobriete-numerique",
        "france-igf",
        "fr",
        "Sobriété numérique et empreinte environnementale des services en ligne",
        ("environment",),
        (12, 13),
        _appeal(0.7, 0.5, 0.35, 0.5, 0.75, 0.7),
        (
            "La fabrication des terminaux représente l'essentiel de l'empreinte "
            "environnementale du numérique, devant les réseaux et les centres de "
            "données. Allonger la durée de vie des équipements et alléger les "
            "services en ligne sont donc des leviers majeurs. Les entreprises "
            "demandent des méthodes de mesure communes pour comparer leurs "
            "efforts."
        ),
    ),
    _issue(
        "fr-hebergement-sante",
        "france-igf",
        "fr",
        "Souveraineté numérique et hébergement des données de santé",
        ("cross-border-data", "data-protection"),
        (3, 16),
        _appeal(0.8, 0.45, 0.3, 0.65, 0.7, 0.6),
        (
            "Le choix d'hébergeurs étrangers pour des plateformes publiques de "
            "données de santé a suscité une forte controverse. Certains "
            "demandent que ces données soient confiées exclusivement à des "
            "prestataires soumis au seul droit européen. D'autres craignent des "
            "retards et des surcoûts pour la recherche médicale."
        ),
    ),
    _issue(
        "fr-illectronisme",
        "france-igf",
        "fr",
        "Inclusion des personnes éloignées du numérique face à la dématérialisation",
        ("digital-inclusion", "accessibility"),
        (10,),
        _appeal(0.75, 0.45, 0.3, 0.4, 0.85, 0.55),
        (
            "Une part importante de la population rencontre des difficultés pour "
            "accomplir ses démarches administratives en ligne. La suppression "
            "des guichets physiques laisse ces personnes dépendantes de proches "
            "ou d'associations. Les médiateurs numériques jouent un rôle "
            "essentiel mais leur financement reste précaire."
        ),
    ),
    # Germany
    _issue(
        "de-open-source-administration",
        "germany-igf",
        "en",
        "Open source software in public administration",
        ("open-standards", "interoperability"),
        (9, 16),
        _appeal(0.4, 0.2, 0.35, 0.3, 0.75, 0.9),
        (
            "Some administrations, including at least one federal state, are "
            "replacing proprietary office and collaboration software with open "
            "source alternatives. Supporters cite cost, security and independence; "
            "critics point to migration effort and staff training. Sharing code "
            "between administrations is still the exception."
        ),
    ),
    _issue(
        "de-rural-fibre",
        "germany-igf",
        "en",
        "Delays in fibre rollout in rural Germany",
        ("connectivity",),
        (9,),
        _appeal(0.85, 0.3, 0.4, 0.8, 0.45, 0.4),
        (
            "Fibre-to-the-home coverage in Germany has long lagged behind many "
            "European neighbours, especially outside cities. Permit procedures, "
            "a shortage of civil engineering capacity and overbuilding by "
            "competing operators slow progress. Municipalities want more say in "
            "where networks are built."
        ),
    ),
    # Canada
    _issue(
        "ca-indigenous-data",
        "canada-igf",
        "en",
        "Indigenous data sovereignty and connectivity in northern communities",
        ("connectivity", "data-protection", "digital-inclusion"),
        (9, 10),
        _appeal(0.7, 0.4, 0.4, 0.45, 0.85, 0.7),
        (
            "Many First Nations, Inuit and Métis communities, especially in the "
            "North, still have slow and costly connections. At the same time, "
            "data about these communities is often collected and held by others. "
            "Indigenous organisations have set out principles for community "
            "ownership and control of their data."
        ),
    ),
    _issue(
        "ca-online-news",
        "canada-igf",
        "en",
        "Online news, platform payments and access to journalism",
        ("platform-liability", "digital-economy"),
        (16,),
        _appeal(0.8, 0.3, 0.3, 0.85, 0.55, 0.5),
        (
            "A law requiring large platforms to negotiate payments with news "
            "outlets led one major platform to stop showing news links in the "
            "country. Local publishers lost traffic while others received new "
            "funding. The episode raises wider questions about how to sustain "
            "journalism without fragmenting access to information."
        ),
    ),
    _issue(
        "ca-decouvrabilite",
        "canada-igf",
        "fr",
        "Découvrabilité des contenus francophones sur les plateformes numériques",
        ("multilingualism", "content-moderation"),
        (4, 10),
        _appeal(0.8, 0.55, 0.3, 0.5, 0.65, 0.55),
        (
            "Les algorithmes de recommandation mettent rarement en avant la "
            "musique, les séries et l'information produites en français au "
            "Canada. Les créateurs francophones y voient une menace pour la "
            "vitalité de leur langue. Les plateformes rappellent qu'elles "
            "répondent d'abord aux préférences de leurs utilisateurs."
        ),
    ),
    # Spain
    _issue(
        "es-menores-control-parental",
        "spain-igf",
        "es",
        "Protección de los menores en línea y herramientas de control parental",
        ("child-safety", "data-protection"),
        (3, 4),
        _appeal(0.85, 0.45, 0.3, 0.55, 0.7, 0.6),
        (
            "Los menores acceden a Internet cada vez más jóvenes, a menudo con "
            "su propio teléfono. Las herramientas de control parental existen, "
            "pero son complejas y poco usadas. Las familias y los centros "
            "educativos piden orientación clara y configuraciones seguras por "
            "defecto en los dispositivos."
        ),
    ),
    _issue(
        "es-espana-vaciada",
        "spain-igf",
        "es",
        "Despoblación rural y conectividad en la España vaciada",
        ("connectivity", "digital-inclusion"),
        (9, 11),
        _appeal(0.8, 0.4, 0.45, 0.65, 0.7, 0.45),
        (
            "Muchos municipios pequeños del interior pierden población desde "
            "hace décadas. Una buena conexión puede atraer a teletrabajadores y "
            "mantener servicios, pero las últimas viviendas dispersas siguen sin "
            "fibra. Los ayuntamientos piden que las ayudas lleguen también a los "
            "núcleos más pequeños."
        ),
    ),
    _issue(
        "es-ia-seleccion-personal",
        "spain-igf",
        "es",
        "Uso de inteligencia artificial en los procesos de selección de personal",
        ("ai-governance", "human-rights"),
        (5, 8),
        _appeal(0.6, 0.35, 0.15, 0.6, 0.8, 0.7),
        (
            "Cada vez más empresas usan sistemas automáticos para filtrar "
            "currículos y analizar entrevistas en vídeo. Las personas candidatas "
            "rara vez saben que un algoritmo las ha descartado ni por qué. "
            "Existe el riesgo de reproducir sesgos de género, edad u origen "
            "presentes en los datos históricos."
        ),
    ),
)

_YOUTH_ISSUES: tuple[IssueSeed, ...] = (
    _issue(
        "youth-participation",
        "youth-igf",
        "en",
        "Meaningful youth participation in Internet governance decision-making",
        ("capacity-building",),
        (4, 16, 17),
        _appeal(0.45, 0.6, 0.5, 0.35, 0.85, 0.65),
        (
            "Young people are the largest group of Internet users but are rarely "
            "more than a panel slot in policy processes. Youth delegates need "
            "travel support, mentoring and a real chance to shape outcomes. "
            "Youth forums could send formal input to regional and global agendas."
        ),
    ),
    _issue(
        "youth-social-media-design",
        "youth-igf",
        "en",
        "Design of social media and the mental health of young users",
        ("child-safety", "content-moderation"),
        (3,),
        _appeal(0.7, 0.45, 0.25, 0.45, 0.8, 0.65),
        (
            "Young people want safer platforms, not only bans decided for them "
            "by adults. Features such as streaks, infinite scroll and public "
            "like counts keep users online longer than they intend. Young users "
            "ask to be involved in testing design changes."
        ),
    ),
    _issue(
        "youth-green-skills",
        "youth-igf",
        "en",
        "Digital skills for green jobs",
        ("capacity-building", "environment"),
        (4, 8, 13),
        _appeal(0.65, 0.7, 0.3, 0.6, 0.6, 0.6),
        (
            "The energy transition creates jobs that combine technical and "
            "digital skills, from smart grid maintenance to environmental data "
            "analysis. School curricula and vocational training have not caught "
            "up. Young people ask for free, recognised courses linked to local "
            "employers."
        ),
    ),
    _issue(
        "youth-edtech-data",
        "youth-igf",
        "en",
        "Student data collected by educational technology platforms",
        ("data-protection", "child-safety"),
        (4, 16),
        _appeal(0.6, 0.45, 0.2, 0.4, 0.85, 0.7),
        (
            "Schools adopted many online learning tools quickly, often without "
            "checking what data they collect on pupils. Some apps track "
            "behaviour well beyond what teaching requires and share it with "
            "advertisers. Students and parents have little say in these choices."
        ),
    ),
)

#: Every issue of concern, global first, then regional, national and youth.
ISSUES: Final[tuple[IssueSeed, ...]] = (
    _GLOBAL_ISSUES + _REGIONAL_ISSUES + _NATIONAL_ISSUES + _YOUTH_ISSUES
)

_ISSUE_INDEX: Final[dict[str, int]] = {issue["key"]: i for i, issue in enumerate(ISSUES)}


def issue_index(key: str) -> int:
    """Index in ``ISSUES`` of the issue with this ``key`` (``KeyError`` if unknown)."""
    return _ISSUE_INDEX[key]


# ---------------------------------------------------------------------------------------------
# Signals of concern (governments and IGOs)
# ---------------------------------------------------------------------------------------------


#: Jurisdictions that are intergovernmental organizations, not countries. "AU" here is the
#: African Union (not Australia), which is why every signal also names its ``group``.
IGO_JURISDICTIONS: Final[tuple[str, ...]] = ("AU", "EU", "ITU", "OECD", "UNESCO")


def _signal(issue_key: str, jurisdiction: str, priority: Priority, statement: str) -> SignalSeed:
    is_igo = jurisdiction in IGO_JURISDICTIONS
    group: StakeholderGroup = "intergovernmental" if is_igo else "government"
    return SignalSeed(
        issue=issue_index(issue_key),
        jurisdiction=jurisdiction,
        group=group,
        priority=priority,
        statement=statement,
    )


SIGNALS: Final[tuple[SignalSeed, ...]] = (
    _signal(
        "shutdowns",
        "EU",
        "high",
        (
            "Network disruptions ordered during elections undermine the "
            "integrity of the vote. We call for any restriction to be lawful, "
            "necessary, proportionate and publicly notified in advance."
        ),
    ),
    _signal(
        "shutdowns",
        "CA",
        "medium",
        (
            "Canada is concerned by the growing number of shutdowns and supports "
            "independent measurement of their scale and impact."
        ),
    ),
    _signal(
        "meaningful-connectivity",
        "ITU",
        "high",
        (
            "Universal and meaningful connectivity remains a priority for our "
            "membership. Usage targets, not coverage alone, should guide "
            "investment."
        ),
    ),
    _signal(
        "meaningful-connectivity",
        "KE",
        "medium",
        (
            "Kenya will review its national broadband targets to include "
            "affordability of devices and data, and invites partners to share "
            "measurement methods."
        ),
    ),
    _signal(
        "ai-interop",
        "OECD",
        "high",
        (
            "Interoperable approaches to trustworthy AI reduce costs for "
            "developers and help smaller economies. We will contribute our "
            "comparative work on national frameworks."
        ),
    ),
    _signal(
        "ai-interop",
        "JP",
        "high",
        (
            "Japan considers interoperability between AI governance frameworks "
            "essential and supports continued multistakeholder work on common "
            "reporting."
        ),
    ),
    _signal(
        "submarine-cables",
        "ITU",
        "high",
        (
            "Recent multi-cable outages show that repair capacity and permitting "
            "are global concerns. We encourage administrations to streamline "
            "repair authorisations."
        ),
    ),
    _signal(
        "submarine-cables",
        "CI",
        "high",
        (
            "Côte d'Ivoire was affected by simultaneous cable cuts along the West "
            "African coast and calls for regional cooperation on route diversity "
            "and repair."
        ),
    ),
    _signal(
        "ransomware-health",
        "DE",
        "urgent",
        (
            "Attacks on hospitals put lives at risk. Germany calls on all states "
            "to deny safe haven to ransomware groups and to support health "
            "providers with basic protection."
        ),
    ),
    _signal(
        "cyber-norms",
        "AU",
        "medium",
        (
            "The African Union encourages member states to establish national "
            "points of contact and to report on their implementation of agreed "
            "cyber norms."
        ),
    ),
    _signal(
        "dpi-safeguards",
        "IN",
        "high",
        (
            "India is ready to share its experience with open, interoperable "
            "digital public infrastructure and supports common safeguards for "
            "privacy and inclusion."
        ),
    ),
    _signal(
        "age-assurance",
        "FR",
        "high",
        (
            "France considers effective age verification necessary to protect "
            "minors and supports methods that do not reveal users' identity to "
            "the services they visit."
        ),
    ),
    _signal(
        "age-assurance",
        "ES",
        "medium",
        (
            "Spain is testing privacy-preserving age credentials and will share "
            "results with other administrations."
        ),
    ),
    _signal(
        "ewaste",
        "ITU",
        "medium",
        (
            "Electronic waste collection and recycling rates remain far below "
            "targets. Better data on e-waste flows is a shared responsibility."
        ),
    ),
    _signal(
        "conflict-infrastructure",
        "UA",
        "urgent",
        (
            "Deliberate strikes on energy and telecommunications infrastructure "
            "endanger the civilian population. Ukraine calls for their "
            "protection under international humanitarian law."
        ),
    ),
    _signal(
        "ua-frontline-connectivity",
        "UA",
        "urgent",
        (
            "Restoring connectivity in liberated communities is a precondition "
            "for the return of residents and public services."
        ),
    ),
    _signal(
        "africa-backbone",
        "AU",
        "high",
        (
            "Affordable cross-border backbone capacity is central to the "
            "continent's digital single market. We urge member states to "
            "harmonise permits for cross-border fibre."
        ),
    ),
    _signal(
        "africa-dpa-resources",
        "NG",
        "medium",
        (
            "Nigeria recognises that data protection enforcement needs adequate "
            "resources and supports cooperation among African data protection "
            "authorities."
        ),
    ),
    _signal(
        "pacific-resilience",
        "FJ",
        "high",
        (
            "For Pacific island states, connectivity resilience is a matter of "
            "disaster preparedness. Fiji supports pre-arranged backup capacity "
            "for the region."
        ),
    ),
    _signal(
        "recommenders-youth",
        "EU",
        "high",
        (
            "Systemic risks to minors' well-being from recommender systems must "
            "be assessed and mitigated. We will continue supervision and "
            "dialogue with services and experts."
        ),
    ),
    _signal(
        "public-sector-algorithms",
        "UNESCO",
        "medium",
        (
            "Transparency and human oversight of AI systems used by public "
            "authorities are central to the ethical use of AI."
        ),
    ),
    _signal(
        "gender-gap",
        "BR",
        "medium",
        (
            "Brazil supports the collection of sex-disaggregated data on "
            "Internet use as a basis for targeted inclusion policies."
        ),
    ),
    _signal(
        "fragmentation",
        "CA",
        "low",
        (
            "Canada will consider technical impact assessments when preparing "
            "legislation that may affect the Internet's core functions."
        ),
    ),
    _signal(
        "latam-indigenous-gap",
        "MX",
        "high",
        (
            "Mexico supports connectivity policies designed with Indigenous "
            "communities and the provision of public services in Indigenous "
            "languages."
        ),
    ),
)


# ---------------------------------------------------------------------------------------------
# Envisaged solutions
# ---------------------------------------------------------------------------------------------


def _solution(
    key: str, issue_key: str, title: str, description: str, actors: tuple[str, ...]
) -> SolutionSeed:
    return SolutionSeed(
        key=key,
        issue=issue_index(issue_key),
        title=title,
        description=description,
        actors=actors,
    )


SOLUTIONS: Final[tuple[SolutionSeed, ...]] = (
    _solution(
        "shutdown-impact-assessment",
        "shutdowns",
        "Public impact assessment and notice before any network restriction",
        (
            "Any order to restrict connectivity would have to be based on law, "
            "assessed for necessity and proportionality, limited in time and "
            "place, and published. Operators would be allowed to inform their "
            "customers of the order and its legal basis."
        ),
        ("national governments", "telecom regulators", "mobile network operators"),
    ),
    _solution(
        "shutdown-observatory",
        "shutdowns",
        "Independent shutdown observatory with open measurement data",
        (
            "Measurement researchers, civil society and Internet institutions "
            "would pool their vantage points and publish a shared record of "
            "disruptions with open data. Decision makers and courts could rely "
            "on a neutral, verifiable account of what happened."
        ),
        ("measurement researchers", "civil society organisations", "regional Internet registries"),
    ),
    _solution(
        "usf-last-mile",
        "meaningful-connectivity",
        "Redirect universal service funds to last-mile and community networks",
        (
            "Universal service funds collected from operators often sit unused "
            "for years. Opening them to small operators, community networks and "
            "device-financing schemes would target the usage gap rather than "
            "coverage alone."
        ),
        ("ministries of ICT", "telecom regulators", "community network operators"),
    ),
    _solution(
        "meaningful-targets",
        "meaningful-connectivity",
        "Meaningful connectivity targets in national broadband plans",
        (
            "National plans would set targets for daily use, adequate speed, an "
            "owned smartphone and unlimited access at home, measured through "
            "household surveys. Progress would be reported every year."
        ),
        ("national statistics offices", "ministries of ICT", "intergovernmental organizations"),
    ),
    _solution(
        "rov-everywhere",
        "routing-security",
        "Publish route origin authorizations and validate route origins",
        (
            "Every network would create RPKI route origin authorizations for the "
            "prefixes it announces and drop invalid routes at its borders. "
            "Internet exchange points would apply validation on their route "
            "servers."
        ),
        ("network operators", "regional Internet registries", "Internet exchange points"),
    ),
    _solution(
        "routing-procurement",
        "routing-security",
        "Routing security requirements in public procurement of connectivity",
        (
            "Public bodies buying transit or hosting would require providers to "
            "sign their routes and filter invalid ones. The purchasing power of "
            "the state would create a market incentive without new regulation."
        ),
        ("public procurement agencies", "network operators"),
    ),
    _solution(
        "client-side-scanning",
        "encryption",
        "Mandatory scanning of private messages on user devices before encryption",
        (
            "Messaging services would be required to check content on the user's "
            "device against lists of known illegal material before it is "
            "encrypted and sent. Matches would be reported to a designated "
            "authority."
        ),
        ("legislators", "messaging service providers", "law enforcement agencies"),
    ),
    _solution(
        "targeted-lawful-access",
        "encryption",
        "Targeted device access under judicial warrant instead of weakened encryption",
        (
            "Investigators would rely on targeted access to specific suspects' "
            "devices, authorised by a judge and subject to oversight, rather "
            "than on systemic changes to encryption. Vulnerabilities used would "
            "be reviewed for disclosure."
        ),
        ("law enforcement agencies", "courts", "oversight bodies"),
    ),
    _solution(
        "systemic-risk-audits",
        "platform-accountability",
        "Systemic risk assessments and independent audits for the largest platforms",
        (
            "Very large platforms would assess risks to rights, elections and "
            "public health each year, take mitigation measures and submit to "
            "independent audits. Smaller services would be exempt."
        ),
        ("legislators", "platform operators", "independent auditors"),
    ),
    _solution(
        "notice-and-action",
        "platform-accountability",
        "Notice-and-action with counter-notice, reasons and appeal",
        (
            "Platforms would act on precise notices of illegal content, tell the "
            "uploader why content was removed, and offer a counter-notice and an "
            "appeal to an independent body. Liability protection would depend on "
            "following the procedure."
        ),
        ("platform operators", "legislators", "out-of-court dispute settlement bodies"),
    ),
    _solution(
        "repair-and-updates",
        "ewaste",
        "Right to repair and minimum software update periods for connected devices",
        (
            "Manufacturers would make spare parts and repair manuals available "
            "and guarantee security updates for a minimum number of years. The "
            "remaining update period would be shown at the point of sale."
        ),
        ("manufacturers", "consumer protection authorities", "legislators"),
    ),
    _solution(
        "datacentre-reporting",
        "datacentre-efficiency",
        "Standard public reporting of data-centre energy and water use",
        (
            "Operators above a size threshold would report energy consumption, "
            "share of renewable energy, water use and heat reuse with common "
            "metrics. A public registry would allow comparison across sites and "
            "countries."
        ),
        ("data-centre operators", "energy regulators", "standards bodies"),
    ),
    _solution(
        "transfer-mutual-recognition",
        "cross-border-data",
        "Interoperable transfer mechanisms based on mutual recognition of privacy frameworks",
        (
            "Jurisdictions with comparable protections would recognise each "
            "other's certification schemes and contractual clauses. Companies "
            "could then rely on one compliance effort to transfer data across "
            "several markets."
        ),
        ("data protection authorities", "trade ministries", "businesses"),
    ),
    _solution(
        "dpi-building-blocks",
        "dpi-safeguards",
        "Open, modular DPI building blocks with privacy by design and redress",
        (
            "Identity, payment and data-exchange components would be built on "
            "open standards, collect minimal data and include a human channel "
            "for complaints and corrections. Independent oversight would be "
            "required before launch."
        ),
        ("national governments", "development partners", "open source communities"),
    ),
    _solution(
        "privacy-age-credentials",
        "age-assurance",
        "Privacy-preserving age credentials issued once and shown without identity",
        (
            "A trusted issuer would check a person's age once and issue a "
            "credential that proves only that the holder is over a threshold. "
            "Websites would verify the credential without learning who the user "
            "is."
        ),
        ("identity providers", "online services", "data protection authorities"),
    ),
    _solution(
        "id-upload-everywhere",
        "age-assurance",
        "Mandatory identity document upload for every social media account",
        (
            "All users of social media services would have to upload a "
            "government identity document when opening an account. Services "
            "would keep proof of the check for inspection by authorities."
        ),
        ("legislators", "social media services"),
    ),
    _solution(
        "ua-public-sector",
        "universal-acceptance",
        "Universal acceptance readiness for government websites and email",
        (
            "Public bodies would test their web forms and mail systems against "
            "internationalized domain names and email addresses and fix what "
            "fails. Tender specifications would require universal acceptance."
        ),
        ("public administrations", "software vendors", "domain name registries"),
    ),
    _solution(
        "ipv6-only-nat64",
        "ipv6",
        "IPv6-only access with NAT64 and DNS64 for new deployments",
        (
            "New mobile and enterprise networks would run IPv6 only, with "
            "translation for the remaining IPv4-only services. This avoids "
            "buying more IPv4 addresses and simplifies operations."
        ),
        ("mobile network operators", "enterprise network teams", "equipment vendors"),
    ),
    _solution(
        "ipv6-procurement",
        "ipv6",
        "IPv6 support as a requirement in public procurement",
        (
            "Governments would require IPv6 support for all network equipment, "
            "hosting and connectivity they buy, and enable it on public "
            "websites. A public dashboard would track progress."
        ),
        ("public procurement agencies", "ministries of ICT"),
    ),
    _solution(
        "trusted-notifiers",
        "dns-abuse",
        "Trusted notifier programmes with evidence standards and appeal",
        (
            "Registries and registrars would act quickly on abuse reports from "
            "accredited notifiers who meet published evidence standards. "
            "Registrants would be informed and could appeal a suspension."
        ),
        ("domain registries", "registrars", "security researchers"),
    ),
    _solution(
        "phishing-timelines",
        "dns-abuse",
        "Act on clear phishing and malware domains within defined time frames",
        (
            "Registrars would commit to investigate and, where abuse is clear, "
            "suspend phishing and malware domains within a set number of hours. "
            "Hosting providers would be notified in parallel to remove the "
            "content."
        ),
        ("registrars", "hosting providers", "domain registries"),
    ),
    _solution(
        "hospital-baseline",
        "ransomware-health",
        "Funded cybersecurity baseline for small hospitals and clinics",
        (
            "Health ministries would fund a minimum package of offline backups, "
            "multi-factor authentication, patching support and incident response "
            "retainer for small providers. National computer emergency teams "
            "would run exercises with them."
        ),
        ("health ministries", "national CERTs", "hospital associations"),
    ),
    _solution(
        "ransom-payment-ban",
        "ransomware-health",
        "Ban on ransom payments by public bodies",
        (
            "Public institutions, including public hospitals, would be "
            "prohibited from paying ransoms. The aim is to remove the financial "
            "incentive for attacks on the public sector."
        ),
        ("legislators", "public institutions"),
    ),
    _solution(
        "pqc-roadmaps",
        "post-quantum",
        "National post-quantum migration roadmaps starting with cryptographic inventories",
        (
            "Critical infrastructure operators would first list where and how "
            "they use cryptography, then follow a staged plan towards "
            "standardised post-quantum algorithms. Hybrid schemes would be used "
            "during the transition."
        ),
        ("cybersecurity agencies", "critical infrastructure operators", "vendors"),
    ),
    _solution(
        "technical-impact-assessment",
        "fragmentation",
        "Technical impact assessments for laws that touch the Internet's core functions",
        (
            "Draft laws affecting naming, addressing, routing or encryption "
            "would be reviewed by independent technical experts before adoption. "
            "The assessment would be published with the draft."
        ),
        ("legislators", "technical community", "Internet institutions"),
    ),
    _solution(
        "cable-repair-pooling",
        "submarine-cables",
        "Regional pooling of cable repair ships and pre-authorised repair permits",
        (
            "Cable owners in a region would share the cost of standby repair "
            "ships, and coastal states would grant standing permits for "
            "emergency repairs. Landing stations would be diversified where "
            "possible."
        ),
        ("cable consortia", "coastal states", "maritime authorities"),
    ),
    _solution(
        "social-use-spectrum",
        "community-networks-spectrum",
        "Social-use spectrum licences and dynamic spectrum sharing",
        (
            "Regulators would reserve spectrum or offer low-cost licences for "
            "community and small rural operators, and allow use of idle spectrum "
            "through geolocation databases. Licences would come with light "
            "reporting duties."
        ),
        ("telecom regulators", "community networks", "spectrum database operators"),
    ),
    _solution(
        "algorithm-register",
        "public-sector-algorithms",
        "Public register of algorithms used in public administration",
        (
            "Every public body would list the automated systems it uses for "
            "decisions about people, what they do, who supplies them and how to "
            "contest results. Higher-risk systems would include an impact "
            "assessment."
        ),
        ("public administrations", "ombudsman offices", "supervisory authorities"),
    ),
    _solution(
        "election-cooperation",
        "election-integrity",
        (
            "Election integrity cooperation between electoral bodies and "
            "platforms with public reporting"
        ),
        (
            "Electoral bodies and major platforms would agree, before each "
            "election, on contact points, escalation procedures and data sharing "
            "on coordinated campaigns. A public report would follow every "
            "election."
        ),
        ("electoral management bodies", "platforms", "fact-checking organisations"),
    ),
    _solution(
        "prebunking",
        "election-integrity",
        "Pre-bunking and media literacy campaigns ahead of elections",
        (
            "Short campaigns would explain common manipulation techniques before "
            "they are used, through schools, broadcasters and popular creators. "
            "Evaluations would measure whether people become better at spotting "
            "them."
        ),
        ("educators", "public broadcasters", "civil society organisations"),
    ),
    _solution(
        "wcag-public-services",
        "accessibility",
        "WCAG 2.1 AA conformance for all public websites and apps, tested with users",
        (
            "Public bodies would require conformance to WCAG 2.1 level AA in "
            "every new service, publish an accessibility statement and test with "
            "disabled users before launch. A feedback channel would let users "
            "report barriers."
        ),
        ("public administrations", "web developers", "disability organisations"),
    ),
    _solution(
        "remote-hubs-fellowships",
        "global-south-participation",
        "Remote participation hubs and travel fellowships for under-represented stakeholders",
        (
            "Forums would fund local hubs with good connectivity and "
            "interpretation, and travel fellowships prioritising first-time "
            "participants from developing countries. Remote speakers would have "
            "equal speaking time."
        ),
        ("forum secretariats", "donors", "national and regional forums"),
    ),
    _solution(
        "protected-infrastructure",
        "conflict-infrastructure",
        "Recognise core Internet infrastructure as protected civilian objects",
        (
            "States would declare, individually or jointly, that they consider "
            "civilian telecommunications and Internet infrastructure protected "
            "under international humanitarian law. Operators would receive safe "
            "access for repairs."
        ),
        ("states", "international humanitarian organisations", "network operators"),
    ),
    _solution(
        "ixp-local-caching",
        "africa-ixps",
        "Support neutral exchange points and local caching of popular content",
        (
            "Regulators would exempt neutral exchange points from operator "
            "licensing, and governments would host public services locally. "
            "Content providers would be invited to place caches at the exchanges."
        ),
        ("telecom regulators", "Internet exchange points", "content providers"),
    ),
    _solution(
        "points-of-contact",
        "cyber-norms",
        "National points of contact and tested incident-sharing channels",
        (
            "Each state would designate a technical and a diplomatic point of "
            "contact for cyber incidents and test the channels regularly. "
            "Summaries of exercises would be shared with the multistakeholder "
            "community."
        ),
        ("foreign ministries", "national CERTs", "regional organisations"),
    ),
    _solution(
        "evidence-archive",
        "ua-war-evidence",
        "Preservation archive for removed content with evidentiary value",
        (
            "Platforms would keep removed content that may document war crimes "
            "in a secure archive instead of deleting it, and give accredited "
            "investigators access under clear rules. Public visibility would "
            "stay restricted."
        ),
        ("platform operators", "international courts", "human rights investigators"),
    ),
)

_SOLUTION_INDEX: Final[dict[str, int]] = {s["key"]: i for i, s in enumerate(SOLUTIONS)}


def solution_index(key: str) -> int:
    """Index in ``SOLUTIONS`` of the solution with this ``key`` (``KeyError`` if unknown)."""
    return _SOLUTION_INDEX[key]


# ---------------------------------------------------------------------------------------------
# Technical advice on solutions
# ---------------------------------------------------------------------------------------------


def _advice(
    solution_key: str,
    feasibility: Feasibility,
    conditions: str,
    benefits: str,
    risks: str,
    affected_groups: tuple[StakeholderGroup, ...],
    evidence: tuple[str, ...] = (),
) -> AdviceSeed:
    return AdviceSeed(
        solution=solution_index(solution_key),
        feasibility=feasibility,
        conditions=conditions,
        benefits=benefits,
        risks=risks,
        affected_groups=affected_groups,
        evidence=evidence,
    )


ADVICE: Final[tuple[AdviceSeed, ...]] = (
    _advice(
        "shutdown-impact-assessment",
        "feasible_with_conditions",
        (
            "Works only where courts can review orders quickly and operators are "
            "legally allowed to disclose them."
        ),
        (
            "Makes the legal basis and scope of each restriction visible, which "
            "discourages blanket shutdowns."
        ),
        (
            "Governments may treat a published assessment as a formality that "
            "legitimises disruptions."
        ),
        ("government", "private_sector", "civil_society"),
    ),
    _advice(
        "shutdown-observatory",
        "feasible",
        "Needs stable funding and agreement on a shared data format and publication delay.",
        (
            "Gives decision makers and courts a neutral account of disruptions, "
            "based on several independent vantage points."
        ),
        (
            "Volunteers who run measurement probes in restrictive countries can "
            "be exposed to legal risk."
        ),
        ("civil_society", "academic_technical", "internet_institution"),
        ("https://ooni.org/",),
    ),
    _advice(
        "usf-last-mile",
        "feasible_with_conditions",
        (
            "Eligibility rules must admit small and non-profit operators, and "
            "disbursement must be audited."
        ),
        "Unlocks money that is already collected for exactly this purpose.",
        (
            "Funds can be captured by incumbents or spent on towers that nobody "
            "maintains after the grant ends."
        ),
        ("government", "private_sector", "civil_society"),
    ),
    _advice(
        "meaningful-targets",
        "feasible",
        "Requires regular household surveys with sex-disaggregated results.",
        "Shifts attention from coverage maps to whether people can actually use the Internet.",
        (
            "Survey costs may be hard to sustain for smaller statistics offices "
            "without donor support."
        ),
        ("government", "intergovernmental", "civil_society"),
    ),
    _advice(
        "rov-everywhere",
        "feasible",
        "Operators need current router software and staff trained to monitor validation results.",
        "Stops most accidental origin hijacks and many route leaks from propagating.",
        (
            "Misconfigured or expired authorizations can make legitimate routes "
            "invalid and unreachable."
        ),
        ("internet_institution", "private_sector", "academic_technical"),
        (
            "https://www.rfc-editor.org/rfc/rfc6811",
            "https://www.rfc-editor.org/rfc/rfc6480",
        ),
    ),
    _advice(
        "routing-procurement",
        "feasible",
        "Requirements should reference existing baselines rather than invent new ones.",
        (
            "Creates a commercial incentive without legislation, and spreads to "
            "suppliers of public bodies."
        ),
        "Small regional providers may need time and help to meet the requirements.",
        ("government", "private_sector"),
        ("https://www.manrs.org/",),
    ),
    _advice(
        "client-side-scanning",
        "not_feasible",
        (
            "No known design limits scanning to the intended material while "
            "preserving the confidentiality users expect."
        ),
        "Could detect some known illegal images that are shared without modification.",
        (
            "Creates a surveillance capability on every device that can be "
            "widened to other content, and hash lists can be evaded or abused to "
            "cause false matches."
        ),
        ("civil_society", "private_sector", "academic_technical", "government"),
        (
            "https://www.rfc-editor.org/rfc/rfc7258",
            "https://www.rfc-editor.org/rfc/rfc8890",
        ),
    ),
    _advice(
        "client-side-scanning",
        "unclear",
        (
            "Depends on independent verification of accuracy rates at scale, "
            "which has not been published."
        ),
        "Proponents argue it would restore some investigative capacity lost to encryption.",
        "False positives would send private images of innocent users to reviewers.",
        ("civil_society", "government"),
    ),
    _advice(
        "targeted-lawful-access",
        "feasible_with_conditions",
        (
            "Requires strict judicial authorisation, independent oversight and a "
            "policy for disclosing vulnerabilities."
        ),
        "Keeps encryption strong for everyone while allowing investigation of specific suspects.",
        "Stockpiled vulnerabilities can leak and be reused by criminals.",
        ("government", "civil_society", "academic_technical"),
    ),
    _advice(
        "systemic-risk-audits",
        "feasible_with_conditions",
        "Auditors need access to data and methods, and audit standards must mature.",
        (
            "Turns vague duties into documented, comparable assessments that "
            "regulators and researchers can check."
        ),
        "Audits may become box-ticking exercises if the auditors are paid by the audited.",
        ("private_sector", "government", "civil_society"),
        ("https://eur-lex.europa.eu/eli/reg/2022/2065/oj",),
    ),
    _advice(
        "notice-and-action",
        "feasible",
        "Notice formats must be precise enough that providers can assess them without guesswork.",
        "Gives users reasons and a route to appeal, and gives providers legal certainty.",
        "Fast deadlines encourage removal of anything notified, including lawful content.",
        ("private_sector", "civil_society"),
    ),
    _advice(
        "repair-and-updates",
        "feasible",
        (
            "Minimum update periods must be enforceable against manufacturers "
            "outside the jurisdiction."
        ),
        (
            "Extends device lifetimes, which is the largest lever on the "
            "sector's footprint, and improves security."
        ),
        "Costs may be passed to consumers through higher initial prices.",
        ("private_sector", "civil_society", "government"),
    ),
    _advice(
        "datacentre-reporting",
        "feasible",
        "Metrics must be defined precisely, including how renewable energy purchases are counted.",
        "Allows planners and the public to compare sites and track progress.",
        (
            "Disclosing exact energy use of individual sites may reveal "
            "commercially or security-sensitive information."
        ),
        ("private_sector", "government"),
    ),
    _advice(
        "transfer-mutual-recognition",
        "feasible_with_conditions",
        (
            "Frameworks must offer comparable, enforceable rights and effective "
            "redress for people abroad."
        ),
        "Lowers compliance costs for firms and keeps data flows open without lowering protection.",
        "Recognition can be withdrawn after a court judgement, leaving firms in legal limbo.",
        ("government", "private_sector", "civil_society"),
        ("https://eur-lex.europa.eu/eli/reg/2016/679/oj",),
    ),
    _advice(
        "dpi-building-blocks",
        "feasible_with_conditions",
        (
            "Needs an independent oversight body and an offline alternative for "
            "people who cannot enrol."
        ),
        "Open components reduce lock-in and let countries reuse and audit each other's work.",
        (
            "Central identity systems remain attractive targets and can enable "
            "profiling if purposes are not limited."
        ),
        ("government", "intergovernmental", "civil_society"),
    ),
    _advice(
        "privacy-age-credentials",
        "feasible_with_conditions",
        (
            "Requires trusted issuers, interoperable wallet formats and an "
            "alternative for people without documents."
        ),
        "Services learn only that a user is over the threshold, not who they are.",
        "If only a few issuers are accepted, access to large parts of the web may depend on them.",
        ("government", "private_sector", "civil_society"),
        ("https://www.w3.org/TR/vc-data-model/",),
    ),
    _advice(
        "id-upload-everywhere",
        "not_feasible",
        (
            "Would require every service, including small forums, to store and "
            "secure identity documents."
        ),
        "Would make it harder to open throwaway accounts.",
        (
            "Creates large stores of identity documents open to breaches, "
            "excludes people without papers and ends anonymous speech."
        ),
        ("civil_society", "private_sector", "government"),
    ),
    _advice(
        "ua-public-sector",
        "feasible",
        (
            "Testing tools and checklists should be made available in the local "
            "languages of developers."
        ),
        (
            "Public services become usable for people whose names and addresses "
            "are not in Latin script."
        ),
        "Legacy systems may need costly upgrades, especially mail servers.",
        ("government", "internet_institution", "private_sector"),
        (
            "https://www.rfc-editor.org/rfc/rfc5890",
            "https://www.rfc-editor.org/rfc/rfc6531",
        ),
    ),
    _advice(
        "ipv6-only-nat64",
        "feasible",
        "Some legacy applications need an IPv4 literal workaround on the device.",
        "Avoids buying IPv4 addresses and removes a layer of carrier-grade NAT.",
        "Translation adds a component that must be scaled and monitored.",
        ("private_sector", "internet_institution"),
        (
            "https://www.rfc-editor.org/rfc/rfc6146",
            "https://www.rfc-editor.org/rfc/rfc6147",
        ),
    ),
    _advice(
        "ipv6-procurement",
        "feasible",
        'Tender templates must specify testable requirements, not just "IPv6 ready" labels.',
        "The public sector's buying power pulls vendors and hosting providers along.",
        "Without enforcement, suppliers may tick the box and never enable IPv6.",
        ("government", "private_sector"),
        ("https://www.rfc-editor.org/rfc/rfc8200",),
    ),
    _advice(
        "trusted-notifiers",
        "feasible_with_conditions",
        (
            "Accreditation criteria and evidence standards must be public, and "
            "notifiers reviewed periodically."
        ),
        "Speeds up action on clear abuse while giving registrants a route to appeal.",
        "Notifier status can be sought by actors wishing to suppress legitimate sites.",
        ("internet_institution", "private_sector", "civil_society"),
    ),
    _advice(
        "phishing-timelines",
        "feasible",
        (
            "Applies only where abuse is evident; compromised legitimate domains "
            "need contact with the owner first."
        ),
        "Shortens the life of phishing campaigns and protects victims.",
        (
            "Suspending a compromised domain can take down an innocent "
            "organisation's email and website."
        ),
        ("internet_institution", "private_sector"),
    ),
    _advice(
        "hospital-baseline",
        "feasible",
        "Funding must cover staff time and maintenance, not just licences.",
        (
            "Basic controls such as offline backups and multi-factor "
            "authentication prevent or limit most attacks."
        ),
        "A baseline may be treated as a ceiling rather than a floor.",
        ("government", "private_sector"),
    ),
    _advice(
        "ransom-payment-ban",
        "unclear",
        (
            "Would need to be paired with recovery support, or institutions may "
            "face impossible choices."
        ),
        "Could make the public sector a less attractive target over time.",
        (
            "In a life-threatening situation a ban could delay recovery of "
            "patient systems, and payments may move underground."
        ),
        ("government", "civil_society"),
    ),
    _advice(
        "pqc-roadmaps",
        "feasible",
        "Start with an inventory and with systems that protect long-lived secrets.",
        "Reduces the risk that data recorded today is decrypted later.",
        "Early adopters may face interoperability issues and larger keys in constrained devices.",
        ("government", "private_sector", "academic_technical"),
        ("https://csrc.nist.gov/pubs/fips/203/final",),
    ),
    _advice(
        "technical-impact-assessment",
        "feasible_with_conditions",
        "Reviewers must be independent and given enough time before a vote.",
        "Helps legislators avoid rules that break interoperability or security by accident.",
        "Could be seen as giving technical experts a veto over democratic choices.",
        ("government", "internet_institution", "academic_technical"),
        ("https://www.rfc-editor.org/rfc/rfc8890",),
    ),
    _advice(
        "cable-repair-pooling",
        "feasible_with_conditions",
        "Cable owners must agree on cost sharing, and coastal states on standing permits.",
        "Cuts repair times from weeks to days in regions with few ships.",
        "Shared ships may still be unavailable if several regions are hit at once.",
        ("private_sector", "government"),
    ),
    _advice(
        "social-use-spectrum",
        "feasible",
        "Licensing must be simple and cheap enough for village cooperatives.",
        "Enables local operators to serve places that national operators do not.",
        "Interference management requires some technical capacity from small operators.",
        ("civil_society", "government", "private_sector"),
    ),
    _advice(
        "algorithm-register",
        "feasible",
        "Registers must be kept up to date and include contact points for contesting decisions.",
        "Lets people and journalists know where automated decisions are made.",
        "A register without impact assessments may give a false sense of accountability.",
        ("government", "civil_society"),
    ),
    _advice(
        "election-cooperation",
        "feasible_with_conditions",
        (
            "Cooperation must be transparent and must not become a channel for "
            "the government of the day to remove opposition speech."
        ),
        "Faster response to coordinated campaigns during critical periods.",
        "Informal removal requests can bypass legal safeguards.",
        ("government", "private_sector", "civil_society"),
    ),
    _advice(
        "prebunking",
        "feasible",
        "Messages should be tested with the audiences they target, in their languages.",
        "Builds resilience without any content removal.",
        "Effects may fade over time and reach mostly people who are already well informed.",
        ("civil_society", "academic_technical"),
    ),
    _advice(
        "wcag-public-services",
        "feasible",
        (
            "Procurement must include accessibility from the start and budgets "
            "for testing with users."
        ),
        (
            "Public services become usable for people with disabilities, and "
            "usually for everyone else too."
        ),
        "Retrofitting older services is costly if not planned.",
        ("government", "civil_society", "private_sector"),
        ("https://www.w3.org/TR/WCAG21/",),
    ),
    _advice(
        "remote-hubs-fellowships",
        "feasible",
        (
            "Hubs need reliable power and connectivity, and session chairs must "
            "call on remote participants."
        ),
        "Broadens who takes part at a fraction of the cost of travel.",
        "Remote participants may still be sidelined in informal discussions.",
        ("civil_society", "academic_technical", "government"),
        ("https://www.intgovforum.org/",),
    ),
    _advice(
        "protected-infrastructure",
        "unclear",
        "Depends on states accepting that dual-use networks remain civilian objects.",
        "Strengthens the case for protecting networks and for safe access for repair crews.",
        "Declarations without enforcement may change little on the ground.",
        ("government", "intergovernmental", "private_sector"),
    ),
    _advice(
        "ixp-local-caching",
        "feasible",
        "Exchange points must stay neutral and financially sustainable.",
        "Lowers latency and transit costs for local users.",
        "Caches hosted by a few large providers can increase dependence on them.",
        ("internet_institution", "private_sector", "government"),
    ),
    _advice(
        "points-of-contact",
        "feasible",
        "Channels must be tested regularly, and contacts kept current.",
        "Lowers the risk of escalation during incidents.",
        "Points of contact may not answer when political relations are tense.",
        ("government", "intergovernmental"),
    ),
    _advice(
        "evidence-archive",
        "feasible_with_conditions",
        (
            "Requires clear rules on access, retention periods and the privacy "
            "of people shown in the content."
        ),
        "Preserves material that courts and investigators may need years later.",
        "Archives of violent content must be protected from leaks and misuse.",
        ("private_sector", "civil_society", "intergovernmental"),
    ),
)


# ---------------------------------------------------------------------------------------------
# Comments
# ---------------------------------------------------------------------------------------------

_Reply = tuple[StakeholderGroup, Stance | None, str]
_Top = tuple[StakeholderGroup, Stance | None, str, tuple[_Reply, ...]]

# (issue key, top-level comments); each top-level comment carries its replies.
_COMMENT_THREADS: tuple[tuple[str, tuple[_Top, ...]], ...] = (
    (
        "shutdowns",
        (
            (
                "civil_society",
                "in_favour",
                (
                    "During the last shutdown in our country, midwives could not call "
                    "ambulances and market traders lost a week of sales. This belongs on "
                    "the agenda."
                ),
                (
                    (
                        "government",
                        "against",
                        (
                            "Our authorities restricted networks only when violence was being "
                            "organised online. The issue should also consider the security "
                            "context governments face."
                        ),
                    ),
                    (
                        "academic_technical",
                        "neutral",
                        (
                            "Our measurements showed that the restriction covered the whole "
                            "country for four days, far beyond the affected district. "
                            "Proportionality can be checked with data."
                        ),
                    ),
                ),
            ),
            (
                "private_sector",
                "in_favour",
                (
                    "Operators receive these orders by phone, with no written legal "
                    "basis, and are forbidden to tell customers. We need a clear process."
                ),
                (),
            ),
        ),
    ),
    (
        "meaningful-connectivity",
        (
            (
                "intergovernmental",
                "in_favour",
                (
                    "Coverage maps look good in reports, but household surveys tell a "
                    "different story. Usage targets would change where money goes."
                ),
                (
                    (
                        "private_sector",
                        "neutral",
                        (
                            "Agreed, as long as operators are not held responsible for device "
                            "prices and digital skills they do not control."
                        ),
                    ),
                ),
            ),
            (
                "civil_society",
                "in_favour",
                (
                    "In our rural programme, the main reason people gave for not going "
                    "online was the cost of a phone, not the signal."
                ),
                (),
            ),
        ),
    ),
    (
        "ai-interop",
        (
            (
                "private_sector",
                "in_favour",
                (
                    "We currently run three different risk assessments for the same "
                    "product in three markets. A common core would free time for actual "
                    "safety work."
                ),
                (
                    (
                        "civil_society",
                        "neutral",
                        "Interoperability must not mean harmonising down to the weakest framework.",
                    ),
                ),
            ),
            (
                "government",
                "in_favour",
                (
                    "Smaller countries cannot write a full AI law from scratch. A shared "
                    "mapping would help us decide what to adopt."
                ),
                (),
            ),
        ),
    ),
    (
        "routing-security",
        (
            (
                "internet_institution",
                "in_favour",
                (
                    "Creating route origin authorizations takes minutes in the registry "
                    "portal. The harder part is convincing management that it matters."
                ),
                (
                    (
                        "private_sector",
                        "neutral",
                        (
                            "For a small provider the risk is misconfiguration. A bad "
                            "authorization can take our customers offline."
                        ),
                    ),
                    (
                        "academic_technical",
                        "in_favour",
                        (
                            "Monitoring tools now warn before an authorization invalidates live "
                            "routes. Training would remove most of that fear."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "encryption",
        (
            (
                "academic_technical",
                "against",
                (
                    "There is no way to build a door that only the good guys can open. "
                    "Any scanning or key escrow mechanism becomes a target."
                ),
                (
                    (
                        "government",
                        "neutral",
                        (
                            "Investigators still need some way to act on serious crimes. We "
                            "would welcome proposals that do not weaken encryption."
                        ),
                    ),
                ),
            ),
            (
                "civil_society",
                "against",
                (
                    "Journalists and their sources depend on end-to-end encryption. "
                    "Weakening it would chill reporting everywhere."
                ),
                (),
            ),
        ),
    ),
    (
        "platform-accountability",
        (
            (
                "civil_society",
                "in_favour",
                (
                    "Self-regulation has had two decades. Risk assessments and "
                    "independent audits are the minimum for services used by billions."
                ),
                (
                    (
                        "private_sector",
                        "against",
                        (
                            "Obligations written for the largest platforms land on small forums "
                            "and start-ups too, unless thresholds are set carefully."
                        ),
                    ),
                    (
                        "academic_technical",
                        "neutral",
                        (
                            "The evidence on which measures reduce harm is still thin. Audits "
                            "should produce data that researchers can evaluate."
                        ),
                    ),
                ),
            ),
            (
                "government",
                "in_favour",
                (
                    "Users need to know why their content was removed and how to appeal. "
                    "Transparency is common ground here."
                ),
                (),
            ),
        ),
    ),
    (
        "ewaste",
        (
            (
                "civil_society",
                "in_favour",
                (
                    "Phones are discarded because updates stop, not because they break. "
                    "Longer support would make a real difference."
                ),
                (
                    (
                        "private_sector",
                        "neutral",
                        (
                            "Longer updates are possible for flagship devices; for entry-level "
                            "phones the cost would raise prices for the poorest buyers."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "cross-border-data",
        (
            (
                "private_sector",
                "in_favour",
                "Local storage rules multiply our infrastructure costs without improving security.",
                (
                    (
                        "government",
                        "against",
                        (
                            "When our citizens' data is abroad, our courts and regulators cannot "
                            "reach it. Localisation is sometimes the only tool we have."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "dpi-safeguards",
        (
            (
                "government",
                "in_favour",
                (
                    "Our identity platform has halved the time to open a bank account. "
                    "We support common safeguards so that others can learn from our "
                    "mistakes too."
                ),
                (
                    (
                        "civil_society",
                        "neutral",
                        (
                            "Please include the people who were turned away because their "
                            "fingerprints could not be read. Redress is the weakest part of most "
                            "systems."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "age-assurance",
        (
            (
                "government",
                "in_favour",
                (
                    "Children should not meet adult content by accident. The question is "
                    "how, not whether."
                ),
                (
                    (
                        "academic_technical",
                        "neutral",
                        (
                            "Age estimation from faces has error margins of several years for "
                            "teenagers. That matters when the threshold is 16 or 18."
                        ),
                    ),
                ),
            ),
            (
                "civil_society",
                "against",
                (
                    "Requiring ID for ordinary browsing would end anonymous access for "
                    "everyone, including victims seeking help."
                ),
                (),
            ),
        ),
    ),
    (
        "universal-acceptance",
        (
            (
                "internet_institution",
                "in_favour",
                (
                    "We registered thousands of domains in local scripts, and their "
                    "holders cannot use them as email addresses on major services."
                ),
                (
                    (
                        "academic_technical",
                        "in_favour",
                        (
                            "Most failures come from outdated validation code in web forms. A "
                            "public test suite would help developers fix it."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "ai-supply-chain-labour",
        (
            (
                "civil_society",
                "in_favour",
                (
                    "Moderators we interviewed review hundreds of violent videos per "
                    "shift with no counselling. This is a labour rights issue."
                ),
                (
                    (
                        "private_sector",
                        "neutral",
                        (
                            "Several outsourcing firms now provide wellness programmes. "
                            "Standards across the industry would level the playing field."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "safe-harbours",
        (
            (
                "private_sector",
                "in_favour",
                (
                    "As a small hosting company we cannot review customer sites. Without "
                    "a safe harbour we would have to stop hosting forums and blogs."
                ),
                (
                    (
                        "civil_society",
                        "neutral",
                        (
                            "Safe harbours are important, but they should come with a duty to "
                            "act on court orders."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "ipv6",
        (
            (
                "academic_technical",
                None,
                (
                    "Our campus has run IPv6 for years. The problems were not technical "
                    "but about training helpdesk staff."
                ),
                (),
            ),
            (
                "private_sector",
                "neutral",
                (
                    "Customers do not ask for IPv6, so it never wins a budget round. "
                    "Public procurement could change that."
                ),
                (),
            ),
        ),
    ),
    (
        "ransomware-health",
        (
            (
                "government",
                "in_favour",
                (
                    "After the attack on our regional hospital, patients were moved to "
                    "other cities for two weeks."
                ),
                (
                    (
                        "academic_technical",
                        None,
                        (
                            "Most health sector incidents we analysed started with a password "
                            "reused on a remote access service."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "commercial-spyware",
        (
            (
                "civil_society",
                "in_favour",
                (
                    "Three colleagues of ours were infected after reporting on "
                    "corruption. None of the investigations has named a customer."
                ),
                (),
            ),
        ),
    ),
    (
        "network-fees",
        (
            (
                "private_sector",
                "in_favour",
                (
                    "A handful of services generate most of the traffic on our networks. "
                    "A fair contribution would accelerate rural rollout."
                ),
                (
                    (
                        "academic_technical",
                        "against",
                        (
                            "Traffic is requested by users who already pay for access. Direct "
                            "payments risk weakening net neutrality and the peering system."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "submarine-cables",
        (
            (
                "private_sector",
                None,
                (
                    "We waited several weeks for a repair ship after the last cut. A "
                    "regional arrangement would have saved our customers a lot."
                ),
                (),
            ),
        ),
    ),
    (
        "africa-backbone",
        (
            (
                "internet_institution",
                "in_favour",
                (
                    "Traffic between two neighbouring capitals still travels through "
                    "Europe. Cross-border fibre is the missing link."
                ),
                (
                    (
                        "government",
                        "in_favour",
                        "We are ready to simplify permits if our neighbours do the same.",
                    ),
                ),
            ),
        ),
    ),
    (
        "africa-languages-mt",
        (
            (
                "academic_technical",
                "in_favour",
                (
                    "Nous constituons un corpus en pulaar avec des enseignants, mais le "
                    "financement s'arrête à la fin de l'année."
                ),
                (
                    (
                        "civil_society",
                        "neutral",
                        (
                            "Il faut aussi garantir que les communautés gardent le contrôle des "
                            "données qu'elles produisent."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "scam-compounds",
        (
            (
                "civil_society",
                "in_favour",
                (
                    "Many of the people forced to run scams are themselves trafficking "
                    "victims. Policy should treat them as such."
                ),
                (),
            ),
        ),
    ),
    (
        "conflict-infrastructure",
        (
            (
                "private_sector",
                "in_favour",
                (
                    "Our engineers repair towers under shelling. Recognition of their "
                    "protected status would matter."
                ),
                (
                    (
                        "intergovernmental",
                        "neutral",
                        (
                            "The legal questions are complex when the same network carries "
                            "military traffic, but clarifying them is overdue."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "latam-indigenous-gap",
        (
            (
                "civil_society",
                "in_favour",
                (
                    "En nuestra comunidad la única conexión está en la escuela y se "
                    "corta cuando llueve."
                ),
                (
                    (
                        "government",
                        "in_favour",
                        (
                            "El programa federal de conectividad debe incluir consulta previa "
                            "con las comunidades."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "latam-gender-violence",
        (
            (
                "civil_society",
                "in_favour",
                (
                    "Acompañamos a periodistas que recibieron cientos de amenazas en una "
                    "sola noche. Las plataformas tardaron semanas en responder."
                ),
                (),
            ),
        ),
    ),
    (
        "regulatory-overlap",
        (
            (
                "private_sector",
                "in_favour",
                (
                    "We are twelve people and we now have five regulators. One reporting "
                    "portal would help more than any new guidance."
                ),
                (
                    (
                        "government",
                        "neutral",
                        (
                            "Several authorities are working on joint guidance. Concrete "
                            "examples from small firms would help us."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "researcher-data-access",
        (
            (
                "academic_technical",
                "in_favour",
                (
                    "Our study of election misinformation was cancelled when the "
                    "platform closed its research interface."
                ),
                (),
            ),
        ),
    ),
    (
        "ke-election-harassment",
        (
            (
                "civil_society",
                "in_favour",
                (
                    "We monitored the last election and found that women candidates "
                    "received far more abusive messages than men."
                ),
                (),
            ),
        ),
    ),
    (
        "sn-cout-acces-rural",
        (
            (
                "civil_society",
                "in_favour",
                (
                    "Au village, on achète des forfaits d'une journée parce qu'on n'a "
                    "pas de quoi payer le mois."
                ),
                (
                    (
                        "private_sector",
                        "neutral",
                        (
                            "Les taxes sur les services de télécommunication représentent une "
                            "part importante du prix final."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "sn-ecoles-connectees",
        (
            (
                "academic_technical",
                "in_favour",
                (
                    "Les ordinateurs livrés l'an dernier sont encore dans leurs cartons "
                    "faute d'électricité dans les salles."
                ),
                (),
            ),
        ),
    ),
    (
        "in-gig-workers",
        (
            (
                "civil_society",
                "in_favour",
                (
                    "Riders are deactivated overnight for low ratings with no "
                    "explanation. A human review would be a start."
                ),
                (),
            ),
        ),
    ),
    (
        "ua-war-evidence",
        (
            (
                "civil_society",
                "in_favour",
                (
                    "We lost dozens of videos of attacks on residential buildings "
                    "because they were removed before we could archive them."
                ),
                (
                    (
                        "private_sector",
                        None,
                        (
                            "Platforms must balance the interests of victims shown in the "
                            "footage. A restricted archive could work."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "mx-software-espia",
        (
            (
                "civil_society",
                "in_favour",
                (
                    "Después de años de denuncias, casi nadie ha rendido cuentas. La "
                    "impunidad es el verdadero problema."
                ),
                (),
            ),
        ),
    ),
    (
        "fr-verification-age",
        (
            (
                "government",
                "in_favour",
                (
                    "Le principe du double anonymat permet de vérifier l'âge sans que le "
                    "site connaisse l'identité de l'utilisateur."
                ),
                (
                    (
                        "civil_society",
                        "against",
                        (
                            "Les mineurs contourneront le dispositif avec un VPN, tandis que les "
                            "adultes devront confier des données sensibles à des tiers."
                        ),
                    ),
                ),
            ),
        ),
    ),
    (
        "fr-illectronisme",
        (
            (
                "civil_society",
                "in_favour",
                (
                    "Dans notre permanence, la moitié des demandes concernent des "
                    "démarches administratives impossibles à faire sans aide."
                ),
                (),
            ),
        ),
    ),
    (
        "es-espana-vaciada",
        (
            (
                "government",
                "in_favour",
                "En nuestro municipio la fibra llega al polígono, pero no a las casas del pueblo.",
                (),
            ),
        ),
    ),
    (
        "youth-participation",
        (
            (
                "civil_society",
                "in_favour",
                (
                    "Youth delegates are invited to speak but not to draft. We want a "
                    "seat at the table where outcomes are written."
                ),
                (
                    (
                        "intergovernmental",
                        None,
                        "We would welcome formal youth input to our consultations.",
                    ),
                ),
            ),
        ),
    ),
)


def _flatten_comments() -> tuple[CommentSeed, ...]:
    comments: list[CommentSeed] = []
    for issue_key, tops in _COMMENT_THREADS:
        issue = issue_index(issue_key)
        for group, stance, body, replies in tops:
            parent = len(comments)
            comments.append(
                CommentSeed(issue=issue, group=group, stance=stance, body=body, parent=None)
            )
            for reply_group, reply_stance, reply_body in replies:
                comments.append(
                    CommentSeed(
                        issue=issue,
                        group=reply_group,
                        stance=reply_stance,
                        body=reply_body,
                        parent=parent,
                    )
                )
    return tuple(comments)


#: Comments in thread order: a reply always follows its parent, on the same issue.
COMMENTS: Final[tuple[CommentSeed, ...]] = _flatten_comments()


# ---------------------------------------------------------------------------------------------
# Conversation (Polis-style)
# ---------------------------------------------------------------------------------------------

_STATEMENTS: tuple[tuple[Camp, str], ...] = (
    (
        "a",
        (
            "Large platforms should be legally responsible for harms their "
            "recommendation systems amplify."
        ),
    ),
    ("a", "Voluntary codes of conduct have failed; binding obligations are needed."),
    (
        "a",
        (
            "Platforms should have to remove clearly illegal content within 24 "
            "hours of a valid notice."
        ),
    ),
    (
        "a",
        (
            "A duty of care towards users is a reasonable obligation for any "
            "service with millions of users."
        ),
    ),
    (
        "a",
        (
            "Regulators should be able to fine platforms a percentage of their "
            "global turnover for systemic failures."
        ),
    ),
    (
        "a",
        (
            "Platforms profit from engagement, so they should bear the cost of "
            "the harm that engagement causes."
        ),
    ),
    ("a", "Independent auditors should have full access to platform algorithms and data."),
    (
        "a",
        (
            "Anonymous accounts make abuse easier; platforms should verify the "
            "identity of their users."
        ),
    ),
    (
        "a",
        (
            "Platforms should be liable when they fail to act on repeated "
            "reports about the same abusive account."
        ),
    ),
    ("a", "The business model of targeted advertising is the root cause of most online harms."),
    (
        "a",
        (
            "Countries should be able to require platforms to have a legal "
            "representative who can be held accountable locally."
        ),
    ),
    ("a", "Platforms that refuse to comply with court orders should be blocked."),
    (
        "a",
        (
            "Self-assessment of risks by platforms is not enough; regulators "
            "must approve mitigation plans."
        ),
    ),
    (
        "a",
        (
            "Harm to children justifies stricter rules even if some lawful "
            "content is removed by mistake."
        ),
    ),
    ("a", "Platforms should be required to label all AI-generated content."),
    (
        "a",
        (
            "Content moderation decisions on political speech are too important "
            "to be left to private companies alone."
        ),
    ),
    (
        "a",
        (
            "Platforms should have to pay for the public cost of fighting the "
            "misinformation they spread."
        ),
    ),
    (
        "a",
        (
            "Search engines and social networks should be treated as publishers "
            "when they rank content."
        ),
    ),
    (
        "b",
        (
            "Making platforms liable for user content will lead them to remove "
            "lawful speech to be safe."
        ),
    ),
    ("b", "Intermediary liability protections are what allowed the open web to grow."),
    (
        "b",
        (
            "Only a court, not a platform or a government agency, should decide "
            "what speech is illegal."
        ),
    ),
    ("b", "Short removal deadlines push platforms to delete first and think later."),
    (
        "b",
        (
            "Rules designed for the biggest platforms end up burdening small "
            "services and non-profits."
        ),
    ),
    (
        "b",
        (
            "Anonymity protects whistleblowers, dissidents and survivors of "
            "abuse; it must not be abolished."
        ),
    ),
    (
        "b",
        (
            "Infrastructure providers such as DNS operators and CDNs should "
            "never be asked to moderate content."
        ),
    ),
    (
        "b",
        (
            "Vague concepts like 'harmful but legal' content give governments "
            "too much power over speech."
        ),
    ),
    (
        "b",
        (
            "Mandatory upload filters cannot tell satire, news reporting or "
            "evidence from illegal content."
        ),
    ),
    (
        "b",
        (
            "Laws that threaten platform staff with prison are used to pressure "
            "companies into silencing critics."
        ),
    ),
    (
        "b",
        (
            "Blocking a whole platform to punish non-compliance hurts users far "
            "more than the company."
        ),
    ),
    ("b", "Users, not governments, should choose how their feeds are ranked."),
    (
        "b",
        (
            "Strict liability would entrench the largest platforms, which are "
            "the only ones able to afford compliance."
        ),
    ),
    ("b", "Encrypted messaging services should be kept out of content moderation obligations."),
    (
        "b",
        (
            "Better enforcement of existing laws against the authors of illegal "
            "content is more effective than new platform duties."
        ),
    ),
    (
        "b",
        (
            "A free and open Internet requires that intermediaries are not "
            "treated as the authors of what they carry."
        ),
    ),
    ("both", "Users should always be told why their content was removed and how to appeal."),
    ("both", "Platforms should publish regular transparency reports with comparable figures."),
    ("both", "Vetted researchers should have access to platform data to study online harms."),
    (
        "both",
        (
            "Government requests to remove content should be published, except "
            "where a court orders secrecy."
        ),
    ),
    ("both", "Any obligation should be proportionate to the size and risk of the service."),
    (
        "both",
        (
            "People affected by moderation decisions should be able to reach an "
            "independent dispute body."
        ),
    ),
    ("both", "Content moderators deserve fair pay and psychological support."),
    (
        "both",
        (
            "Rules should be developed with input from all stakeholder groups, "
            "not by governments alone."
        ),
    ),
    ("both", "Platform rules should be written in the languages their users speak."),
    (
        "both",
        (
            "Evidence of war crimes and human rights abuses should be preserved "
            "even when it is removed from public view."
        ),
    ),
    ("both", "Child sexual abuse material must be removed quickly wherever it is found."),
    ("both", "International human rights law is the right benchmark for content rules."),
)

#: The demo conversation: statements tagged with the camp that tends to agree with them.
CONVERSATION: Final[ConversationSeed] = ConversationSeed(
    issue=issue_index("platform-accountability"),
    topic="How should online platforms be held accountable without undermining free expression?",
    description=(
        "Vote on short statements about platform accountability and "
        "intermediary liability. Agree, disagree or pass; add a statement of "
        "your own if something is missing. The opinion map will show where "
        "groups differ and where they agree."
    ),
    camps={
        "a": (
            "Platform accountability: binding duties, fast removal and strong "
            "enforcement on large platforms."
        ),
        "b": (
            "Intermediary protection: limited liability, judicial oversight and "
            "caution about over-removal."
        ),
        "both": (
            "Bridging statements on transparency, due process and "
            "proportionality that both camps tend to accept."
        ),
    },
    statements=tuple(StatementSeed(text=text, camp=camp) for camp, text in _STATEMENTS),
)


# ---------------------------------------------------------------------------------------------
# People and organisations (all fictional)
# ---------------------------------------------------------------------------------------------

#: Given names from every UN region; combined at random with LAST_NAMES.
FIRST_NAMES: Final[tuple[str, ...]] = (
    # African
    "Amina",
    "Kwame",
    "Chidi",
    "Wanjiru",
    "Fatou",
    "Tendai",
    "Thabo",
    "Aïssatou",
    "Yusuf",
    "Nia",
    "Ebere",
    "Kofi",
    "Zanele",
    "Moussa",
    "Selam",
    "Ayodele",
    # Asia-Pacific
    "Aiko",
    "Haruto",
    "Priya",
    "Arjun",
    "Mei",
    "Wei",
    "Siti",
    "Budi",
    "Linh",
    "Tanvir",
    "Farhana",
    "Ravi",
    "Sione",
    "Ji-woo",
    "Layla",
    "Omar",
    "Dilnoza",
    "Malakai",
    # Eastern European
    "Olena",
    "Taras",
    "Katarzyna",
    "Piotr",
    "Nino",
    "Giorgi",
    "Irina",
    "Milan",
    "Jelena",
    "Andrei",
    "Lucie",
    "Armen",
    # Latin American and Caribbean
    "Camila",
    "Mateo",
    "Valentina",
    "Joaquín",
    "Luana",
    "Thiago",
    "Ximena",
    "Diego",
    "Renata",
    "Andrés",
    "Keisha",
    "Marisol",
    # Western European and Others
    "Emma",
    "Lukas",
    "Sofia",
    "Liam",
    "Chloé",
    "Jonas",
    "Ingrid",
    "Pierre",
    "Siobhan",
    "Noah",
    "Elena",
    "Matteo",
    "Aroha",
    "Hannah",
)

#: Family names from every UN region.
LAST_NAMES: Final[tuple[str, ...]] = (
    # African
    "Okafor",
    "Mensah",
    "Kamau",
    "Diallo",
    "Ndlovu",
    "Abebe",
    "Traoré",
    "Mwangi",
    "Adeyemi",
    "Boateng",
    "Haddad",
    "El Amrani",
    "Sow",
    "Banda",
    # Asia-Pacific
    "Sato",
    "Tanaka",
    "Kim",
    "Park",
    "Sharma",
    "Patel",
    "Iyer",
    "Chen",
    "Wang",
    "Nguyen",
    "Santoso",
    "Rahman",
    "Hossain",
    "Fifita",
    "Karimova",
    "Al-Farsi",
    # Eastern European
    "Nowak",
    "Kovalenko",
    "Shevchenko",
    "Petrović",
    "Horvat",
    "Beridze",
    "Popescu",
    "Novák",
    "Sargsyan",
    "Kaminski",
    "Ozola",
    # Latin American and Caribbean
    "Silva",
    "Santos",
    "Oliveira",
    "González",
    "Rodríguez",
    "Hernández",
    "Quispe",
    "Mamani",
    "Castillo",
    "Morales",
    "Baptiste",
    "Campbell",
    # Western European and Others
    "Müller",
    "Schmidt",
    "Dubois",
    "Lefèvre",
    "Rossi",
    "Jensen",
    "O'Brien",
    "Andersson",
    "van den Berg",
    "Walker",
    "Ngata",
    "Cohen",
    "Demir",
    "Fernandes",
)

#: Plausible, invented organisations for each stakeholder group.
AFFILIATIONS: Final[dict[StakeholderGroup, tuple[str, ...]]] = {
    "government": (
        "Ministry of ICT, Kenya",
        "Ministry of Communications and Digital Economy, Nigeria",
        "Ministry of Digital Economy, Senegal",
        "Department of Telecommunications, India",
        "Ministry of Internal Affairs and Communications, Japan",
        "Ministry of Digital Transformation, Ukraine",
        "Ministry of Digital Affairs, Poland",
        "Ministry of Communications, Brazil",
        "Digital Government Agency, Mexico",
        "Secretariat of Innovation, Argentina",
        "Ministry of the Economy and Digital Sovereignty, France",
        "Federal Ministry for Digital Affairs, Germany",
        "Department of Innovation and Digital Policy, Canada",
        "Ministry of Digital Transformation, Spain",
    ),
    "intergovernmental": (
        "Regional Telecommunications Union",
        "Intergovernmental Council for Digital Cooperation",
        "Continental Commission for Infrastructure and Digital Affairs",
        "Council of Pacific Island States, Digital Unit",
        "Multilateral Fund for Digital Inclusion",
        "Interregional Organisation for Data Policy",
        "Southern Development Bank, Digital Infrastructure Division",
        "Regional Cybersecurity Coordination Centre",
        "Interparliamentary Assembly on Technology",
        "Commission for Economic Cooperation of the Andes and Caribbean",
        "Organisation for Education, Culture and the Information Society",
    ),
    "internet_institution": (
        "Savannah Internet Exchange Point",
        "Andean Regional Network Registry",
        "Coral Sea Domain Registry",
        "Open Routing Collaborative",
        "Root Server Operations Collective",
        "Sahel Network Operators Group",
        "Meridian Top-Level Domain Registry",
        "Baltic-Pontic Internet Exchange",
        "Highlands Network Operators Forum",
        "Caribbean Peering Association",
        "Universal Acceptance Working Circle",
    ),
    "private_sector": (
        "Kilima Mobile Networks",
        "Baobab Cloud Services",
        "Tessera Data Centres",
        "Quetzal Payments",
        "Harbourline Subsea Systems",
        "Mosaic Social Apps",
        "Ardent Cybersecurity Labs",
        "Pampas Telecom Cooperative",
        "Sakura Edge Computing",
        "Vistula Software House",
        "Brightpath Satellite Broadband",
        "Small Hosters Alliance",
    ),
    "civil_society": (
        "Open Voices Digital Rights Collective",
        "Women in Connectivity Network",
        "Coalition for Accessible Technology",
        "Free Press Defenders Alliance",
        "Rural Access Foundation",
        "Youth for Digital Futures",
        "Indigenous Networks Alliance",
        "Consumer Digital Watch",
        "Children Online Advocacy Trust",
        "Red de Derechos Digitales del Sur",
        "Association pour un numérique solidaire",
        "Humanitarian Data Ethics Forum",
    ),
    "academic_technical": (
        "Centre for Internet and Society Studies, Lakeside University",
        "Network Measurement Lab, Riverbend Institute of Technology",
        "Faculty of Law and Technology, Coastal State University",
        "Cryptography Research Group, Northern Polytechnic",
        "Observatory on Platform Governance, Meridian University",
        "AI Ethics Lab, Andes Technical University",
        "Digital Development Research Centre",
        "Internet Standards Study Group",
        "Laboratoire de recherche sur les réseaux, Université du Fleuve",
        "Grupo de Estudios en Gobernanza de Internet, Universidad del Pacífico Sur",
        "Centre for Critical Infrastructure Research",
    ),
}
