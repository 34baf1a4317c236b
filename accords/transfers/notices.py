"""The written notice of a third-country destination, in the languages Accords has it in.

Each translation says whether a qualified translator has checked it. Where the person reads
none of these languages, the notice is served in one of them through an interpreter who speaks
the person's language, and the interpreter's name, language and attestation are recorded.
"""

from string import Template

from django.core.exceptions import ValidationError
from django.utils import timezone

from accords.law.regime import load_regime
from accords.transfers.models import Referral

# language -> (checked by a qualified translator, template)
TEMPLATES = {
    "en": (
        True,
        Template(
            "NOTICE OF REMOVAL TO A THIRD COUNTRY\n\n"
            "Case $case. The $sending government intends to remove you to $destination under "
            "the $agreement, on or after $proposed.\n\n"
            "Your rights and deadlines under the rules in force on $today:\n$rules\n\n"
            "If you fear persecution or torture in $destination, say so now to the officer "
            "serving this notice or through your lawyer, in any language. Your fear will be "
            "recorded and screened before any removal.\n"
            "Counsel of record: $counsel."
        ),
    ),
    "es": (
        False,
        Template(
            "AVISO DE EXPULSIÓN A UN TERCER PAÍS\n\n"
            "Caso $case. El gobierno de $sending tiene la intención de expulsarle a $destination "
            "en virtud del acuerdo $agreement, a partir del $proposed.\n\n"
            "Sus derechos y plazos según las normas vigentes el $today:\n$rules\n\n"
            "Si teme persecución o tortura en $destination, dígalo ahora al funcionario que le "
            "entrega este aviso o por medio de su abogado, en cualquier idioma. Su temor será "
            "registrado y evaluado antes de cualquier expulsión.\n"
            "Abogado: $counsel."
        ),
    ),
    "fr": (
        False,
        Template(
            "AVIS D'ÉLOIGNEMENT VERS UN PAYS TIERS\n\n"
            "Dossier $case. Le gouvernement de $sending entend vous éloigner vers $destination "
            "au titre de l'accord $agreement, à partir du $proposed.\n\n"
            "Vos droits et délais selon les règles en vigueur le $today :\n$rules\n\n"
            "Si vous craignez des persécutions ou la torture en $destination, dites-le maintenant "
            "à l'agent qui vous remet cet avis ou par votre avocat, dans n'importe quelle langue. "
            "Votre crainte sera enregistrée et examinée avant tout éloignement.\n"
            "Avocat : $counsel."
        ),
    ),
    "ar": (
        False,
        Template(
            "إشعار بالترحيل إلى بلد ثالث\n\n"
            "الملف $case. تعتزم حكومة $sending ترحيلك إلى $destination بموجب $agreement "
            "في تاريخ $proposed أو بعده.\n\n"
            "حقوقك والمواعيد النهائية وفق القواعد السارية في $today:\n$rules\n\n"
            "إذا كنت تخشى الاضطهاد أو التعذيب في $destination فقل ذلك الآن للموظف الذي يسلمك هذا "
            "الإشعار أو عبر محاميك، بأي لغة. سيُسجَّل خوفك ويُفحص قبل أي ترحيل.\n"
            "المحامي: $counsel."
        ),
    ),
}

# The gates whose rules a notice must spell out, by regime.
NOTICE_GATES = {
    "us": ("us.notice", "us.fear_claim", "us.reopen_window"),
    "uk": ("uk.notice_of_intent", "uk.removal_notice", "uk.rule39"),
}


def rules_in_force(regime_id: str, day) -> list[str]:
    """One line per notice-relevant gate: what it requires, under which rule, since when."""
    regime = load_regime(regime_id)
    lines = []
    for gate_id in NOTICE_GATES[regime_id]:
        gate = regime.gate(gate_id)
        version = gate.version_on(day)
        if version is None:
            continue
        parameters = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in version.parameters.items())
        since = f" (since {version.begins})" if version.begins else ""
        detail = f" [{parameters}]" if parameters else ""
        lines.append(f"- {' '.join(gate.description.split())}{detail}. {version.reference}{since}")
    return lines


def notice_text(referral: Referral, language: str) -> tuple[str, bool]:
    """The notice for this referral in `language`, and whether that translation is checked."""
    if language not in TEMPLATES:
        raise ValidationError(
            {"language": f'No notice template in "{language}"; serve it in one of '
                         f"{', '.join(TEMPLATES)} through an interpreter."}
        )  # fmt: skip
    checked, template = TEMPLATES[language]
    agreement = referral.agreement
    person = referral.person
    today = timezone.localdate()
    text = template.substitute(
        case=person.case_number,
        sending=agreement.sending_state.name,
        destination=agreement.receiving_state.name,
        agreement=agreement.name,
        proposed=referral.proposed_on.isoformat(),
        today=today.isoformat(),
        rules="\n".join(rules_in_force(agreement.regime, today)),
        counsel=person.counsel.get_username() if person.counsel_id else "none of record",
    )
    return text, checked
