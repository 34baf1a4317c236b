"""The written notice of a third-country destination, in the languages Accords has it in.

The words are gettext messages in a domain of their own, `notices`, whose catalogues live in
`accords/transfers/notice_locale/<lang>/LC_MESSAGES/notices.po` (compiled to the `.mo` beside
them by `make messages`). The notice is rendered in the notice's language, whatever language
the officer serving it reads Accords in, so it is read through `gettext.translation` for that
language rather than Django's active translation. Every count goes through `ngettext`, so a
language with more plural forms than English (Arabic has six) says "يومان" for 2 days and
"11 يوماً" for 11, whatever figure a new rule version brings.

Country names come from Babel's CLDR data in the notice's language; the agreement is named by
its two states in that language. Each deadline is a date and a time in the person's zone,
computed from the rule in force on the day of service and the moment of service exactly as the
safeguards engine counts it (elapsed hours and days from the moment of service, so across a
change of summer time the clock reads an hour apart from the moment of service; UK windows end
with the UTC day the engine counts, shown in the person's zone).

The person's zone: where they are held. Accords records no detention facility yet, so the zone
is the sending state's, whose officers hold the person: the zone its officers read times in
(`accords.core.zones`; UTC for a state not listed). When a facility's zone is recorded,
`person_zone` is the one place to read it.

Each translation says whether a qualified translator has checked it. Where the person reads
none of these languages, the notice is served in one of them through an interpreter who speaks
the person's language, and the interpreter's name, language and attestation are recorded.
"""

import gettext as gettext_module
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_gmt, get_timezone_name
from django.core.exceptions import ValidationError
from django.utils import timezone

from accords.core.zones import state_zone
from accords.law.policy import policy_on
from accords.law.regime import load_regime
from accords.transfers.models import Referral

LOCALE_DIR = Path(__file__).resolve().parent / "notice_locale"
DOMAIN = "notices"

# language -> whether a qualified translator has checked the translation
NOTICE_LANGUAGES = {"en": True, "es": False, "fr": False, "ar": False}

# The gates whose rules a notice must spell out, by regime.
NOTICE_GATES = {
    "us": ("us.notice", "us.fear_claim", "us.reopen_window"),
    "uk": ("uk.notice_of_intent", "uk.removal_notice", "uk.rule39"),
}


@cache
def translation(language: str) -> gettext_module.NullTranslations:
    """The notice catalogue of `language` (English is the source: its catalogue may be absent)."""
    return gettext_module.translation(
        DOMAIN, LOCALE_DIR, languages=[language], fallback=language == "en"
    )


class Words:
    """The notice's words in one language: messages, plurals, country names, dates."""

    def __init__(self, language: str, zone: ZoneInfo):
        self.language = language
        self.zone = zone
        self.t = translation(language)
        self.locale = Locale.parse(language)

    def gettext(self, message: str) -> str:
        return self.t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.t.ngettext(singular, plural, n)

    def country(self, code: str) -> str:
        """The country's name in the notice's language (CLDR); its ISO code if CLDR has none,
        never the English name in another language."""
        return self.locale.territories.get(code, code)

    def day(self, day: date) -> str:
        return format_date(day, "long", locale=self.locale)

    def moment(self, instant: datetime) -> str:
        """A deadline: date, time and zone, in the notice's language and the person's zone."""
        local = instant.astimezone(self.zone)
        return self.gettext("%(date)s, %(time)s (%(zone)s, %(offset)s)") % {
            "date": format_date(local, "full", locale=self.locale),
            "time": format_time(local, "short", locale=self.locale),
            "zone": get_timezone_name(local, "long", locale=self.locale),
            "offset": get_timezone_gmt(local, locale=self.locale),
        }


def person_zone(person, agreement) -> ZoneInfo:
    """Where the person is held: the sending state's zone (no facility is recorded yet)."""
    return ZoneInfo(state_zone(agreement.sending_state_id))


# --- what each kind of rule means for the person ----------------------------------------------
# One function per kind of rule: the sentences, with the rule's figures, in the notice's words.
# A rule of a kind not listed here (a court adds a new one) is still spelled out, from the
# regime's own description, marked as given in English.


def _none(w: Words, p: dict) -> list[str]:
    return [w.gettext("No written notice period is set by the rules in force.")]


def _days_to_claim_fear(w: Words, p: dict) -> list[str]:
    return [
        w.ngettext(
            "You have at least %(days)s day from this notice to say you fear being sent "
            "there; you will not be removed before then.",
            "You have at least %(days)s days from this notice to say you fear being sent "
            "there; you will not be removed before then.",
            p["days"],
        )
        % {"days": p["days"]}
    ]


def _hours_before(w: Words, p: dict) -> list[str]:
    if not p["hours"]:
        return [
            w.gettext(
                "This notice must reach you before removal; the rules in force set no "
                "minimum period."
            )
        ]
    said = [
        w.ngettext(
            "This notice must reach you at least %(hours)s hour before removal.",
            "This notice must reach you at least %(hours)s hours before removal.",
            p["hours"],
        )
        % {"hours": p["hours"]}
    ]
    if p["exigent_hours"]:
        said.append(
            w.ngettext(
                "In urgent cases, when you can reach a lawyer, %(hours)s hour is enough.",
                "In urgent cases, when you can reach a lawyer, %(hours)s hours are enough.",
                p["exigent_hours"],
            )
            % {"hours": p["exigent_hours"]}
        )
    return said


def _screening(w: Words, p: dict) -> list[str]:
    return [
        w.gettext(
            "If you say you are afraid, an asylum officer will screen your fear before any removal."
        )
    ]


def _reasonable_fear_interview(w: Words, p: dict) -> list[str]:
    hours, days = p["interview_notice_hours"], p["reopen_days_after_negative"]
    return [
        w.ngettext(
            "If you say you are afraid, you will have an interview about your fear, announced "
            "%(hours)s hour ahead, with access to a lawyer.",
            "If you say you are afraid, you will have an interview about your fear, announced "
            "%(hours)s hours ahead, with access to a lawyer.",
            hours,
        )
        % {"hours": hours},
        w.ngettext(
            "If the officer finds against you, you have %(days)s day to ask a court to reopen "
            "your case.",
            "If the officer finds against you, you have %(days)s days to ask a court to reopen "
            "your case.",
            days,
        )
        % {"days": days},
    ]


def _timely_motion_bars(w: Words, p: dict) -> list[str]:
    return [
        w.ngettext(
            "A motion to reopen your case filed within %(days)s day of the final order, with "
            "a request for a stay, stops removal while it is pending.",
            "A motion to reopen your case filed within %(days)s days of the final order, with "
            "a request for a stay, stops removal while it is pending.",
            p["days"],
        )
        % {"days": p["days"]},
        w.ngettext(
            "For an order made in your absence, the motion may be filed within %(days)s day.",
            "For an order made in your absence, the motion may be filed within %(days)s days.",
            p["in_absentia_days"],
        )
        % {"days": p["in_absentia_days"]},
    ]


def _response_window(w: Words, p: dict) -> list[str]:
    return [
        w.ngettext(
            "If you are detained, you have %(days)s day to answer this notice.",
            "If you are detained, you have %(days)s days to answer this notice.",
            p["detained_days"],
        )
        % {"days": p["detained_days"]},
        w.ngettext(
            "If you are not detained, you have %(days)s day to answer this notice.",
            "If you are not detained, you have %(days)s days to answer this notice.",
            p["not_detained_days"],
        )
        % {"days": p["not_detained_days"]},
    ]


def _notice_period(w: Words, p: dict) -> list[str]:
    return [
        w.ngettext(
            "If you are detained, removal directions must be given to you at least %(hours)s "
            "hour before removal.",
            "If you are detained, removal directions must be given to you at least %(hours)s "
            "hours before removal.",
            p["detained_hours"],
        )
        % {"hours": p["detained_hours"]},
        w.ngettext(
            "If you are not detained, they must be given to you at least %(days)s day before "
            "removal.",
            "If you are not detained, they must be given to you at least %(days)s days before "
            "removal.",
            p["not_detained_days"],
        )
        % {"days": p["not_detained_days"]},
        w.ngettext(
            "The period includes %(days)s working day.",
            "The period includes %(days)s working days.",
            p["working_days"],
        )
        % {"days": p["working_days"]},
    ]


def _binding(w: Words, p: dict) -> list[str]:
    return [
        w.gettext(
            "If the European Court of Human Rights indicates an interim measure in your case, "
            "you will not be removed while it stands."
        )
    ]


def _minister_decides(w: Words, p: dict) -> list[str]:
    return [
        w.gettext(
            "If the European Court of Human Rights indicates an interim measure in your case, "
            "a Minister decides whether to comply with it."
        )
    ]


RIGHTS = {
    "none": _none,
    "days_to_claim_fear": _days_to_claim_fear,
    "hours_before": _hours_before,
    "screening": _screening,
    "reasonable_fear_interview": _reasonable_fear_interview,
    "timely_motion_bars": _timely_motion_bars,
    "response_window": _response_window,
    "notice_period": _notice_period,
    "binding": _binding,
    "minister_decides": _minister_decides,
}


# --- deadlines ----------------------------------------------------------------------------------


def _uk_working_days_run(notified: date, n: int) -> date:
    """The day after the n-th working day (Monday to Friday) after the day of notification,
    as the engine counts it (`accords.law.uk.removal_notice`)."""
    if n <= 0:
        return notified
    day, counted = notified, 0
    while counted < n:
        day += timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return day + timedelta(days=1)


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _first_day_after(instant: datetime) -> date:
    """The first (UTC) day starting at or after an instant, as the engine counts it."""
    day = instant.astimezone(UTC).date()
    return day if _start_of(day) == instant else day + timedelta(days=1)


def deadline(gate_id: str, version, served_at: datetime, *, exigent: bool = False,
             detained: bool = False, uk_step: str = "") -> tuple[str, datetime] | None:  # fmt: skip
    """The moment a rule's period, started by this notice, ends: ("claim" | "removal" |
    "answer", moment), or None where the rule sets no period this notice starts."""
    p = version.parameters
    if gate_id == "us.notice" and version.kind == "days_to_claim_fear":
        return "claim", served_at + timedelta(days=p["days"])
    if gate_id == "us.notice" and version.kind == "hours_before" and p["hours"]:
        hours = p["exigent_hours"] if exigent else p["hours"]
        return "removal", served_at + timedelta(hours=hours)
    if gate_id == "uk.notice_of_intent" and uk_step == "notice_of_intent":
        days = p["detained_days"] if detained else p["not_detained_days"]
        served_on = served_at.astimezone(UTC).date()
        return "answer", _start_of(served_on + timedelta(days=days + 1))
    if gate_id == "uk.removal_notice" and uk_step == "removal_directions":
        period = (
            timedelta(hours=p["detained_hours"]) if detained else timedelta(p["not_detained_days"])
        )
        working = _uk_working_days_run(served_at.astimezone(UTC).date(), p["working_days"])
        return "removal", _start_of(max(_first_day_after(served_at + period), working))
    return None


def _deadline_said(w: Words, kind: str, moment: datetime) -> str:
    said = {
        "claim": w.gettext("Say that you fear being sent there by %(deadline)s."),
        "removal": w.gettext("You will not be removed before %(deadline)s."),
        "answer": w.gettext("Answer this notice by %(deadline)s."),
    }[kind]
    return said % {"deadline": w.moment(moment)}


def rules_in_force(
    regime_id: str,
    day: date,
    language: str = "en",
    *,
    served_at: datetime | None = None,
    zone: ZoneInfo | None = None,
    exigent: bool = False,
    detained: bool = False,
    uk_step: str = "",
    exempt: frozenset[str] = frozenset(),
) -> list[str]:
    """One line per notice-relevant gate: what it means for the person under the rule in
    force on `day`, in `language`, with the rule's legal reference and since when; and, when
    the moment of service is given, the deadline it sets as a date and time in `zone`."""
    w = Words(language, zone or ZoneInfo("UTC"))
    regime = load_regime(regime_id)
    lines = []
    for gate_id in NOTICE_GATES[regime_id]:
        gate = regime.gate(gate_id)
        version = gate.version_on(day)
        if version is None:
            continue
        since = f" ({w.day(version.begins)})" if version.begins else ""
        words = RIGHTS.get(version.kind)
        if words:
            said = " ".join(words(w, version.parameters))
        else:
            said = w.gettext("%(rule)s (in English)") % {"rule": " ".join(gate.description.split())}
        if served_at is not None and gate_id not in exempt:
            ends = deadline(gate_id, version, served_at, exigent=exigent, detained=detained,
                            uk_step=uk_step)  # fmt: skip
            if ends:
                said += " " + _deadline_said(w, *ends)
        lines.append(f"- {said} [{version.reference}{since}]")
    return lines


# --- who the notice names -----------------------------------------------------------------------


def officer_name(w: Words, user) -> str:
    """The serving officer by full name; never their account name."""
    name = user.get_full_name() if user is not None else ""
    return name or w.gettext("an officer whose full name is not recorded in Accords")


def counsel_name(w: Words, person) -> str:
    """Counsel of record by name (and bar number): the case file's counsel, in Accords or not,
    else the Accords counsel account's holder by full name."""
    if person.counsel_of_record_id:
        counsel = person.counsel_of_record
        return f"{counsel.name} ({counsel.bar} {counsel.bar_number})"
    if person.counsel_id:
        name = person.counsel.get_full_name()
        return name or w.gettext("counsel whose full name is not recorded in Accords")
    return w.gettext("none of record")


def notice_language_check(language: str) -> None:
    if language not in NOTICE_LANGUAGES:
        raise ValidationError(
            {"language": f'No notice template in "{language}"; serve it in one of '
                         f"{', '.join(NOTICE_LANGUAGES)} through an interpreter."}
        )  # fmt: skip


# The gates whose period a notice may not start at all: where the engine already lets them
# pass at the moment of service (the order designates the destination, credible assurances,
# an order outside the class a court protects, no minimum period), the notice states no
# deadline for them, which the engine would not hold the transfer to.
EXEMPTABLE = ("us.notice", "programme.notice")


def _may_be_exempt(referral: Referral, served_at: datetime) -> bool:
    """Whether any of the engine's ways to let a notice gate pass at once could apply: a
    generous test (any assurance, any order naming the destination, a rule with a protected
    class), so the engine is asked only where it could say yes (it takes some 100 ms)."""
    from accords.registry.models import Term

    agreement, person = referral.agreement, referral.person
    day = served_at.astimezone(UTC).date()
    version = load_regime("us").gate("us.notice").version_on(day)
    if version is not None and version.kind == "days_to_claim_fear":
        return True
    r = agreement.receiving_state_id
    return (
        agreement.terms.filter(kind=Term.Kind.ASSURANCE).exists()
        or person.assurances.filter(receiving_state=r).exists()
        or any(r in order.designated_countries for order in person.orders.all())
    )


def gates_passing_at_service(referral: Referral, served_at: datetime) -> frozenset[str]:
    """Of `EXEMPTABLE`, the gates the engine lets pass for this referral at the moment of
    service, the notice being served then already recorded."""
    if referral.agreement.regime != "us" or not _may_be_exempt(referral, served_at):
        return frozenset()
    from accords.cases.screening import case_explanation

    moment = served_at.astimezone(UTC).replace(tzinfo=None)
    found = case_explanation(referral.person, referral.agreement, moment)
    return frozenset(
        g["gate"] for g in found["gates"] if g["gate"] in EXEMPTABLE and g["outcome"] == "pass"
    )


def notice_text(
    referral: Referral,
    language: str,
    *,
    served_at: datetime | None = None,
    officer=None,
    exigent: bool = False,
    uk_step: str = "",
    policies=None,
    exempt: frozenset[str] = frozenset(),
) -> tuple[str, bool]:
    """The notice for this referral in `language`, served at `served_at` (now if not given)
    by `officer`, and whether that translation is checked. `policies`: the programme's notice
    policy versions for the agreement (read from the database when not given)."""
    notice_language_check(language)
    served_at = served_at or timezone.now()
    agreement = referral.agreement
    person = referral.person
    zone = person_zone(person, agreement)
    w = Words(language, zone)
    day = served_at.astimezone(UTC).date()
    sending = w.country(agreement.sending_state_id)
    destination = w.country(agreement.receiving_state_id)
    rules = rules_in_force(agreement.regime, day, language, served_at=served_at, zone=zone,
                           exigent=exigent, detained=person.detained, uk_step=uk_step,
                           exempt=exempt)  # fmt: skip
    if policies is None:
        from accords.programme.selectors import policy_versions

        policies = policy_versions(agreement)
    policy = policy_on(policies, day)
    if policy is not None and "programme.notice" not in exempt:
        given = w.ngettext(
            "This programme gives you %(days)s day of notice, beyond what the law requires: "
            "you will not be removed before %(deadline)s.",
            "This programme gives you %(days)s days of notice, beyond what the law requires: "
            "you will not be removed before %(deadline)s.",
            policy.notice_days,
        )
        ends = served_at + timedelta(days=policy.notice_days)
        rules.append("- " + given % {"days": policy.notice_days, "deadline": w.moment(ends)})
    parts = [
        w.gettext("NOTICE OF REMOVAL TO A THIRD COUNTRY"),
        "",
        w.gettext("To: %(person)s, case %(case)s.")
        % {"person": f"{person.given_name} {person.family_name}", "case": person.case_number},
        w.gettext("Sending state: %(sending)s. Destination country: %(destination)s.")
        % {"sending": sending, "destination": destination},
        w.gettext(
            "The sending state intends to remove you to the destination country under "
            "%(agreement)s, on or after %(proposed)s."
        )
        % {
            "agreement": w.gettext("the %(sending)s–%(receiving)s agreement")
            % {"sending": sending, "receiving": destination},
            "proposed": w.day(referral.proposed_on),
        },
        "",
        w.gettext("Your rights and deadlines under the rules in force on %(today)s:")
        % {"today": w.day(day)},
        *rules,
        "",
        w.gettext(
            "If you fear persecution or torture in the destination country (%(destination)s), "
            "say so now to the officer serving this notice or through your lawyer, in any "
            "language. Your fear will be recorded and screened before any removal."
        )
        % {"destination": destination},
        w.gettext("Served by: %(officer)s, on %(moment)s.")
        % {"officer": officer_name(w, officer), "moment": w.moment(served_at)},
        w.gettext("Counsel of record: %(counsel)s.") % {"counsel": counsel_name(w, person)},
    ]
    return "\n".join(parts), NOTICE_LANGUAGES[language]
