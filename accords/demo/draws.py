"""The draws behind each section of a synthetic case, on whole columns of one chunk.

Each function takes the chunk's random generator and `people` (the person-level arrays that
`caseload._people` drew) and returns that section's rows, keyed by `case`. Shares are chosen
so every gate of the safeguards engine meets cases that pass it, wait on it and are blocked by
it. Most dates fall in 2022 to LAST_DAY, and they keep the order the law gives them: an order
is final after it is entered, a fear is screened after it is stated, a stay ends after it
begins.
"""

import numpy as np
import polars as pl

from accords.demo.origins import (
    DESTINATIONS,
    NAMES,
    OFFENCES,
    STATELESS_PROFILES,
    STAY_GRANTORS,
    STAY_SCOPES,
    UK_PROFILES,
    US_PROFILES,
)

LAST_DAY = np.datetime64("2026-10-31", "D")
NO_DAY = np.datetime64("NaT", "D")
NO_INSTANT = np.datetime64("NaT", "us")
NO_COUNTRIES = pl.lit([], dtype=pl.List(pl.String))

PROFILES = [*US_PROFILES, *UK_PROFILES, *STATELESS_PROFILES]
BIRTH = np.array([p.birth for p in PROFILES])
NATIONALITY = np.array([p.nationality for p in PROFILES])
SECOND = np.array([p.second for p in PROFILES])
LANGUAGE = np.array([p.languages[0] for p in PROFILES])
GROUP = np.array([list(NAMES).index(p.names) for p in PROFILES])
SPEAKS_ENGLISH = np.array(["en" in p.languages for p in PROFILES])
_DESTINATIONS = np.array(list(DESTINATIONS))


def shares(weights) -> np.ndarray:
    w = np.array(list(weights), dtype=float)
    return w / w.sum()


def choose(rng: np.random.Generator, options: dict, size: int) -> np.ndarray:
    return rng.choice(np.array(list(options)), size, p=shares(options.values()))


def profile(rng, k: int, uk: np.ndarray, stateless: np.ndarray) -> np.ndarray:
    """Each unit's origin profile (an index into PROFILES)."""
    us_p = rng.choice(len(US_PROFILES), k, p=shares(p.weight for p in US_PROFILES))
    uk_p = rng.choice(len(UK_PROFILES), k, p=shares(p.weight for p in UK_PROFILES))
    none_p = rng.choice(len(STATELESS_PROFILES), k, p=shares(p.weight for p in STATELESS_PROFILES))
    return np.where(
        uk,
        len(US_PROFILES) + uk_p,
        np.where(stateless, len(PROFILES) - len(STATELESS_PROFILES) + none_p, us_p),
    )


def between(rng, start, end, size: int) -> np.ndarray:
    """Days drawn evenly from start to end inclusive (scalars or arrays of valid days)."""
    start, end = np.asarray(start, "datetime64[D]"), np.asarray(end, "datetime64[D]")
    span = (end - start).astype(np.int64) + 1
    return start + (rng.random(size) * span).astype(np.int64)


def after(rng, day: np.ndarray, low: int, high: int) -> np.ndarray:
    """`day` plus low..high days, no later than LAST_DAY; a missing day stays missing."""
    return np.minimum(day + rng.integers(low, high + 1, day.size), LAST_DAY)


def before(rng, day: np.ndarray, low: int, high: int) -> np.ndarray:
    return day - rng.integers(low, high + 1, day.size)


def at_minute(day: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    return (day.astype("datetime64[m]") + minutes).astype("datetime64[us]")


def pick(rng, choices: list[np.ndarray], group: np.ndarray) -> np.ndarray:
    """One of `choices[g]` for each g in `group`."""
    counts = np.array([len(c) for c in choices])
    starts = np.cumsum(counts) - counts
    return np.concatenate(choices)[
        starts[group] + rng.integers(0, 1 << 30, group.size) % counts[group]
    ]


def string_lists(choices: list[list[str]], index: np.ndarray, *, extra, when) -> pl.Series:
    """`choices[i]` for each i in `index`, with `extra` appended where `when` holds."""
    base = pl.Series(choices, dtype=pl.List(pl.String)).gather(index)
    frame = pl.DataFrame({"base": base, "extra": np.broadcast_to(extra, index.shape), "when": when})
    return frame.select(
        pl.when("when").then(pl.concat_list("base", "extra")).otherwise("base")
    ).to_series()


def rows(people: dict, mask: np.ndarray, **columns) -> pl.DataFrame:
    """One row per person where `mask` holds: person-level arrays are taken at those people,
    scalars repeated; instants are UTC."""
    at = np.flatnonzero(mask)
    data = {"case": people["cases"][at]}
    for name, values in columns.items():
        if isinstance(values, pl.Series):
            data[name] = values.gather(at)
        elif np.ndim(values):
            data[name] = np.asarray(values)[at]
        else:
            data[name] = np.full(at.size, values)
    frame = pl.DataFrame(data)
    return frame.with_columns(pl.col(pl.Datetime).dt.replace_time_zone("UTC"))


def removal_orders(rng, people: dict):
    """Orders, drawn per unit (a family shares its order); some single adults were removed
    before and their order was reinstated. Returns the rows and, per person, the latest
    order's entry day and final day (missing when none)."""
    k, unit, m = people["k"], people["unit"], people["m"]
    has_unit = ~people["uk_unit"] & (rng.random(k) >= 0.01)
    basis = choose(rng, {"INA240": 0.60, "expedited": 0.18, "INA241a5": 0.14, "INA238b": 0.08}, k)
    entered = between(rng, "2022-01-01", "2025-12-31", k)
    how = choose(rng, {
        "bia_dismissed": 0.28, "no_appeal": 0.22, "in_absentia": 0.22, "appeal_waived": 0.12,
        "voluntary_departure_overstayed": 0.06, "": 0.10,
    }, k)  # fmt: skip
    how = np.where(basis == "INA240", how, "")
    lag = np.select(
        [how == "bia_dismissed", how == "no_appeal", how == "voluntary_departure_overstayed"],
        [rng.integers(120, 721, k), 30, rng.integers(60, 121, k)],
        0,
    )
    not_final = (basis == "INA240") & (how == "")
    final = np.where(not_final, NO_DAY, np.minimum(entered + lag, LAST_DAY))
    on_appeal = not_final & (rng.random(k) < 0.5)
    home = people["home"][np.searchsorted(unit, np.arange(k))]
    second = SECOND[people["profile_unit"]]
    elsewhere = np.where(second != "", second, "MX")
    destination = rng.choice(_DESTINATIONS, k, p=shares(DESTINATIONS.values()))
    # Most orders designate the person's own country; some name none, some also a receiving
    # state (so no third-country notice is needed there), some a second country.
    frame = pl.DataFrame({"home": home, "destination": destination, "elsewhere": elsewhere})
    spread = pl.Series(rng.random(k))
    designated = frame.select(
        pl.when(spread < 0.05)
        .then(NO_COUNTRIES)
        .when((spread < 0.07) & (pl.col("destination") != pl.col("home")))
        .then(pl.concat_list("home", "destination"))
        .when((spread < 0.13) & (pl.col("elsewhere") != pl.col("home")))
        .then(pl.concat_list("home", "elsewhere"))
        .otherwise(pl.concat_list("home"))
    ).to_series()
    has = has_unit[unit]
    reinstated = has & people["single"] & people["adult"] & (rng.random(m) < 0.04)
    person = {
        "basis": np.where(reinstated, "INA241a5", basis[unit]),
        "entered_on": entered[unit],
        "final_on": np.where(reinstated, entered[unit], final[unit]),
        "final_how": np.where(reinstated, "", how[unit]),
        "in_absentia": ~reinstated & (how[unit] == "in_absentia"),
        "designated_countries": designated.gather(unit),
        "appeal_pending": ~reinstated & on_appeal[unit],
    }
    earlier = before(rng, person["entered_on"], 400, 2000)
    prior = rows(people, reinstated, **{
        **person, "basis": "INA240", "entered_on": earlier, "final_on": earlier + 30,
        "final_how": "no_appeal", "in_absentia": False, "appeal_pending": False,
    })  # fmt: skip
    entered_on = np.where(has, person["entered_on"], NO_DAY)
    final_on = np.where(has, person["final_on"], NO_DAY)
    people["appeal_pending"] = has & person["appeal_pending"]
    return pl.concat([prior, rows(people, has, **person)]), final_on, entered_on


def uk_orders(people: dict, directions: np.ndarray) -> pl.DataFrame:
    """A UK removal decision for everyone notified of removal directions."""
    day = directions.astype("datetime64[D]")
    return rows(
        people, ~np.isnat(directions), basis="uk_removal", entered_on=day, final_on=day,
        final_how="", in_absentia=False,
        designated_countries=pl.select(NO_COUNTRIES.repeat_by(people["m"]).explode()).to_series(),
        appeal_pending=False,
    )  # fmt: skip


def protections(rng, people: dict, entered_on: np.ndarray) -> pl.DataFrame:
    """Withholding or CAT protection from the person's own country, granted with the order."""
    kinds = {"withholding": 0.5, "cat_withholding": 0.2, "cat_deferral": 0.3}
    protected = people["adult"] & ~np.isnat(entered_on) & (rng.random(people["m"]) < 0.10)
    return rows(
        people, protected, kind=choose(rng, kinds, people["m"]), country=people["home"],
        granted_on=entered_on,
    )  # fmt: skip


def proceedings_and_stays(rng, people: dict, final_on: np.ndarray, entered_on: np.ndarray):
    """Motions to reopen, petitions for review and habeas petitions after a final order (some
    asking for a stay, some of those granted), appeals of orders not yet final, and
    stays granted by ICE on its own."""
    m = people["m"]
    kind = choose(rng, {"motion_to_reopen": 0.55, "petition_for_review": 0.30, "habeas": 0.15}, m)
    filing = (rng.random(m) < 0.15) & ~np.isnat(final_on)
    filed = np.select(
        [kind == "motion_to_reopen", kind == "petition_for_review"],
        [after(rng, final_on, 10, 400), after(rng, final_on, 1, 30)],
        after(rng, np.maximum(final_on, np.datetime64("2025-02-18")), 0, 300),
    )
    grounds = choose(rng, {"changed_country_conditions": 0.3, "exceptional_circumstances": 0.2,
                            "other": 0.5}, m)  # fmt: skip
    stay_asked = rng.random(m) < np.select(
        [kind == "motion_to_reopen", kind == "petition_for_review"], [0.5, 0.6], 0.7
    )
    decided = np.where(rng.random(m) < 0.4, after(rng, filed, 30, 300), NO_DAY)
    appeal_filed = after(rng, entered_on, 1, 29)
    proceedings = pl.concat([
        rows(people, filing, kind=kind, filed_on=filed, decided_on=decided,
             stay_requested=stay_asked, grounds=np.where(kind == "motion_to_reopen", grounds, "")),
        rows(people, people["appeal_pending"], kind="appeal", filed_on=appeal_filed,
             decided_on=NO_DAY, stay_requested=False, grounds=""),
    ])  # fmt: skip
    granted = filing & stay_asked & (rng.random(m) < 0.5)
    by_ice = ~granted & ~np.isnat(final_on) & (rng.random(m) < 0.03)
    court = np.select(
        [kind == "petition_for_review", kind == "habeas"],
        ["court of appeals", "district court"],
        rng.choice(np.array(STAY_GRANTORS[:2]), m),
    )
    begins = np.where(
        granted,
        after(rng, filed, 1, 30),
        after(rng, np.maximum(final_on, np.datetime64("2024-01-01")), 0, 600),
    )
    lasts = rng.random(m)
    ends = np.where(
        lasts < 0.4, NO_DAY,
        np.where(lasts < 0.7, after(rng, begins, 14, 120), after(rng, begins, 180, 720)),
    )  # fmt: skip
    stays = rows(
        people, granted | by_ice, granted_by=np.where(granted, court, "ICE"),
        scope=rng.choice(np.array(STAY_SCOPES), m), valid_from=begins, valid_until=ends,
    )  # fmt: skip
    return {"proceedings": proceedings, "stays": stays}


def criminal_history(rng, people: dict, entered_on: np.ndarray) -> pl.DataFrame:
    """Convictions (one to three), and charges that ended without one (dismissed, withdrawn,
    acquitted) or are still pending. A charge is never a conviction."""
    m, adult = people["m"], people["adult"]
    earliest = np.maximum(people["birth"] + 18 * 365 + 5, np.datetime64("2005-01-01"))
    latest = np.maximum(np.where(np.isnat(entered_on), LAST_DAY, entered_on), earliest)
    count = np.where(adult & (rng.random(m) < 0.22), rng.choice([1, 2, 3], m, p=[0.6, 0.3, 0.1]), 0)
    who = np.repeat(np.arange(m), count)
    last = np.r_[who[1:] != who[:-1], True] if who.size else np.zeros(0, bool)
    offences = shares(OFFENCES.values())
    convictions = pl.DataFrame({
        "case": people["cases"][who],
        "kind": np.full(who.size, "conviction"),
        "offence_category": rng.choice(np.array(list(OFFENCES)), who.size, p=offences),
        "on": between(rng, earliest[who], latest[who], who.size),
        "charge_outcome": np.full(who.size, ""),
        "serving_sentence": last & (rng.random(who.size) < 0.1),
    })  # fmt: skip
    ended = choose(rng, {"dismissed": 0.7, "withdrawn": 0.15, "acquitted": 0.15}, m)
    charged = adult & (rng.random(m) < 0.10)
    pending = adult & (rng.random(m) < 0.03)
    recent = np.maximum(earliest, np.datetime64("2024-01-01"))
    category = rng.choice(np.array(list(OFFENCES)), m, p=offences)
    return pl.concat([
        convictions,
        rows(people, charged, kind="charge", offence_category=category,
             on=between(rng, earliest, latest, m), charge_outcome=ended, serving_sentence=False),
        rows(people, pending, kind="charge", offence_category=category,
             on=between(rng, recent, np.maximum(recent, LAST_DAY), m), charge_outcome="pending",
             serving_sentence=False),
    ])  # fmt: skip
