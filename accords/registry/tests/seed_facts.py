"""Every fact the two seed articles state about an agreement or a transfer under one.

The registry must hold each of these, credited to the seed source named. Term facts name the
term key; status facts name the status and its date; transfer facts name the transfer's date.
Dates are written exactly as in the agreement files.
"""

SEED_000 = "seed-rwanda-detention-centers"
SEED_002 = "seed-rwanda-us-pioneering-agreement"

SEED_FACTS = [
    # --- seed 000: "Federal government considers deporting illegal immigrants to detention centers in Rwanda"
    {
        "source": SEED_000,
        "agreement": "us-rwanda",
        "kind": "status",
        "status": "negotiating",
        "on": "2025-03",
        "says": "A leaked diplomatic cable says Rwanda agreed to accept deportees in exchange for "
        "financial support and integration assistance; the US is in advanced negotiations with Rwanda.",
    },
    {
        "source": SEED_000,
        "agreement": "us-rwanda",
        "kind": "term",
        "key": "money-initial-payment",
        "says": "The agreement includes an initial payment of $100,000 to cover social services and documentation.",
    },
    {
        "source": SEED_000,
        "agreement": "us-rwanda",
        "kind": "term",
        "key": "service-documents",
        "says": "The initial payment covers documentation for the people sent.",
    },
    {
        "source": SEED_000,
        "agreement": "us-rwanda",
        "kind": "term",
        "key": "only-final-removal-order",
        "says": "The plan is to take migrants with deportation orders to Rwanda.",
    },
    {
        "source": SEED_000,
        "agreement": "us-rwanda",
        "kind": "term",
        "key": "service-detention-as-headlined",
        "says": "Headline: the US government considers deporting people to detention centers in Rwanda.",
    },
    {
        "source": SEED_000,
        "agreement": "us-rwanda",
        "kind": "reported_transfer",
        "on": "2025-04",
        "says": "A first deportation has already taken place: the first known case, an individual deported to Rwanda in April 2025.",
    },
    {
        "source": SEED_000,
        "agreement": "uk-rwanda",
        "kind": "status",
        "status": "enjoined",
        "on": "2022-06-14",
        "says": "The European Court of Human Rights stopped the UK from deporting people to Rwanda (as quoted).",
    },
    {
        "source": SEED_000,
        "agreement": "uk-rwanda",
        "kind": "status",
        "status": "ruled_unlawful",
        "on": "2023-11-15",
        "says": "Court rulings brought the UK's Rwanda plans to a halt.",
    },
    {
        "source": SEED_000,
        "agreement": "uk-rwanda",
        "kind": "status",
        "status": "ended",
        "on": "2024-07-06",
        "says": "The change of government after the British elections brought the plans to a complete halt; "
        "the new government cancelled the scheme on its first day in office (as quoted).",
    },
    {
        "source": SEED_000,
        "agreement": "uk-rwanda",
        "kind": "term",
        "key": "service-housing",
        "says": "Rwanda had prepared infrastructure, with the UK's help, to house the people deported.",
    },
    # --- seed 002: "Rwanda and U.S. Collaborate on Pioneering Immigration Agreement"
    {
        "source": SEED_002,
        "agreement": "us-rwanda",
        "kind": "status",
        "status": "negotiating",
        "on": "2025-05-04",
        "says": "Rwanda's foreign minister confirmed preliminary talks with the US administration; "
        "not yet at a stage to say how things will proceed.",
    },
    {
        "source": SEED_002,
        "agreement": "us-rwanda",
        "kind": "term",
        "key": "money-stipends-considered",
        "says": "The US is considering financial support for integrating deportees in Rwanda, including stipends.",
    },
    {
        "source": SEED_002,
        "agreement": "us-rwanda",
        "kind": "term",
        "key": "money-job-assistance-considered",
        "says": "The US is considering financial support for integrating deportees in Rwanda, including job assistance.",
    },
    {
        "source": SEED_002,
        "agreement": "us-rwanda",
        "kind": "term",
        "key": "only-final-removal-order",
        "says": "The US focuses on people already processed and ordered deported, with final removal orders.",
    },
    {
        "source": SEED_002,
        "agreement": "us-rwanda",
        "kind": "term",
        "key": "accepts-criminal-record",
        "says": "The focus is particularly on individuals with criminal records.",
    },
    {
        "source": SEED_002,
        "agreement": "us-rwanda",
        "kind": "term",
        "key": "monitoring-unhcr-safety-concerns",
        "says": "UNHCR has expressed concerns about the safety of migrants relocated to Rwanda; Rwandan officials deny them.",
    },
    {
        "source": SEED_002,
        "agreement": "uk-rwanda",
        "kind": "term",
        "key": "monitoring-unhcr-safety-concerns",
        "says": "UNHCR has expressed concerns about the safety of migrants relocated to Rwanda; Rwandan officials deny them.",
    },
    {
        "source": SEED_002,
        "agreement": "uk-rwanda",
        "kind": "status",
        "status": "ruled_unlawful",
        "on": "2023-11-15",
        "says": "The UK plan was deemed unlawful by the UK Supreme Court.",
    },
    {
        "source": SEED_002,
        "agreement": "uk-rwanda",
        "kind": "status",
        "status": "ended",
        "on": "2024-07-06",
        "says": "The UK-Rwanda plan collapsed; the deal was cancelled.",
    },
    {
        "source": SEED_002,
        "agreement": "uk-rwanda",
        "kind": "term",
        "key": "service-asylum-processing",
        "says": "The British plan sought to send asylum seekers to Rwanda for processing.",
    },
    {
        "source": SEED_002,
        "agreement": "uk-rwanda",
        "kind": "term",
        "key": "money-compensation-claim",
        "says": "Rwanda is seeking compensation from Britain for the cancelled deal.",
    },
    {
        "source": SEED_002,
        "agreement": "us-el-salvador",
        "kind": "status",
        "status": "in_force",
        "on": "2025-03",
        "says": "El Salvador has already agreed to accept deportees from the US.",
    },
    {
        "source": SEED_002,
        "agreement": "us-el-salvador",
        "kind": "term",
        "key": "service-detention-cecot",
        "says": "Deportees, including members of violent gangs, are held in El Salvador's Terrorism Confinement Center.",
    },
    {
        "source": SEED_002,
        "agreement": "us-el-salvador",
        "kind": "term",
        "key": "money-fee-per-detainee",
        "says": "The US pays a modest fee to house deportees in the Terrorism Confinement Center.",
    },
    {
        "source": SEED_002,
        "agreement": "us-el-salvador",
        "kind": "reported_transfer",
        "on": "2025-03",
        "says": "El Salvador has accepted hundreds of deportees from the US, including Tren de Aragua members.",
    },
    {
        "source": SEED_002,
        "agreement": "us-libya",
        "kind": "status",
        "status": "rumoured",
        "on": "2025-04-30",
        "says": "The US administration has reportedly considered Libya as another deportation destination.",
    },
]
