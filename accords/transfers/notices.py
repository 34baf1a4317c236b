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


# What each kind of rule means for the person, in plain words in each notice language, with
# the rule's parameters filled in. A rule of a kind not listed here (a court adds a new one)
# is still spelled out, from the regime's own description, marked as given in English.
RIGHTS = {
    "none": {
        "en": "No written notice period is set by the rules in force.",
        "es": "Las normas vigentes no fijan un plazo de aviso por escrito.",
        "fr": "Les règles en vigueur ne fixent pas de délai de préavis écrit.",
        "ar": "لا تحدد القواعد السارية مهلة إشعار كتابية.",
    },
    "days_to_claim_fear": {
        "en": "You have at least $days days from this notice to say you fear being sent there; "
        "you will not be removed before then.",
        "es": "Tiene al menos $days días desde este aviso para decir que teme ser enviado allí; "
        "no será expulsado antes.",
        "fr": "Vous disposez d'au moins $days jours à compter de cet avis pour dire que vous "
        "craignez d'y être envoyé ; vous ne serez pas éloigné avant.",
        "ar": "لديك $days أيام على الأقل من تاريخ هذا الإشعار لتقول إنك تخشى إرسالك إلى هناك، "
        "ولن يتم ترحيلك قبل ذلك.",
    },
    "hours_before": {
        "en": "This notice must reach you at least $hours hours before removal ($exigent_hours "
        "hours in urgent cases, when you can reach a lawyer).",
        "es": "Este aviso debe entregársele al menos $hours horas antes de la expulsión "
        "($exigent_hours horas en casos urgentes, si puede contactar a un abogado).",
        "fr": "Cet avis doit vous parvenir au moins $hours heures avant l'éloignement "
        "($exigent_hours heures en cas d'urgence, si vous pouvez joindre un avocat).",
        "ar": "يجب أن يصلك هذا الإشعار قبل الترحيل بـ $hours ساعة على الأقل ($exigent_hours "
        "ساعات في الحالات العاجلة، إذا كان بإمكانك الوصول إلى محامٍ).",
    },
    "screening": {
        "en": "If you say you are afraid, an asylum officer will screen your fear before any "
        "removal.",
        "es": "Si dice que tiene miedo, un funcionario de asilo evaluará su temor antes de "
        "cualquier expulsión.",
        "fr": "Si vous dites avoir peur, un agent de l'asile examinera votre crainte avant tout "
        "éloignement.",
        "ar": "إذا قلت إنك خائف، فسيفحص موظف لجوء خوفك قبل أي ترحيل.",
    },
    "reasonable_fear_interview": {
        "en": "If you say you are afraid, you will have an interview about your fear, with "
        "$interview_notice_hours hours' notice and access to a lawyer; if the officer "
        "finds against you, you have $reopen_days_after_negative days to ask a court to "
        "reopen your case.",
        "es": "Si dice que tiene miedo, tendrá una entrevista sobre su temor, con "
        "$interview_notice_hours horas de aviso y acceso a un abogado; si el funcionario "
        "decide en su contra, tiene $reopen_days_after_negative días para pedir a un "
        "tribunal que reabra su caso.",
        "fr": "Si vous dites avoir peur, vous aurez un entretien sur votre crainte, avec un "
        "préavis de $interview_notice_hours heures et l'accès à un avocat ; si l'agent "
        "décide contre vous, vous avez $reopen_days_after_negative jours pour demander à "
        "un tribunal de rouvrir votre dossier.",
        "ar": "إذا قلت إنك خائف، فستُجرى لك مقابلة بشأن خوفك بإشعار مسبق مدته "
        "$interview_notice_hours ساعة ومع إمكانية الوصول إلى محامٍ؛ وإذا قرر الموظف ضدك، "
        "فلديك $reopen_days_after_negative يوماً لتطلب من محكمة إعادة فتح قضيتك.",
    },
    "timely_motion_bars": {
        "en": "A motion to reopen your case filed within $days days of the final order "
        "($in_absentia_days days for an order made in your absence), with a request for "
        "a stay, stops removal while it is pending.",
        "es": "Una moción para reabrir su caso presentada dentro de los $days días siguientes a "
        "la orden final ($in_absentia_days días si la orden se dictó en su ausencia), con "
        "una solicitud de suspensión, impide la expulsión mientras esté pendiente.",
        "fr": "Une requête en réouverture déposée dans les $days jours suivant la décision "
        "définitive ($in_absentia_days jours pour une décision rendue en votre absence), "
        "avec une demande de sursis, empêche l'éloignement tant qu'elle est pendante.",
        "ar": "إن طلب إعادة فتح قضيتك المقدم خلال $days يوماً من الأمر النهائي "
        "($in_absentia_days يوماً إذا صدر الأمر في غيابك)، مع طلب وقف التنفيذ، يمنع "
        "الترحيل طوال فترة النظر فيه.",
    },
    "response_window": {
        "en": "You have $detained_days days to answer this notice if you are detained, "
        "$not_detained_days days if you are not.",
        "es": "Tiene $detained_days días para responder a este aviso si está detenido, "
        "$not_detained_days días si no lo está.",
        "fr": "Vous avez $detained_days jours pour répondre à cet avis si vous êtes détenu, "
        "$not_detained_days jours sinon.",
        "ar": "لديك $detained_days أيام للرد على هذا الإشعار إذا كنت محتجزاً، و"
        "$not_detained_days يوماً إذا لم تكن محتجزاً.",
    },
    "notice_period": {
        "en": "Removal directions must be given to you at least $detained_hours hours before "
        "removal if you are detained ($not_detained_days days if not), including "
        "$working_days working days.",
        "es": "Las instrucciones de expulsión deben entregársele al menos $detained_hours horas "
        "antes si está detenido ($not_detained_days días si no), incluidos $working_days "
        "días hábiles.",
        "fr": "Les instructions d'éloignement doivent vous être remises au moins "
        "$detained_hours heures avant si vous êtes détenu ($not_detained_days jours "
        "sinon), dont $working_days jours ouvrables.",
        "ar": "يجب إبلاغك بتعليمات الترحيل قبل $detained_hours ساعة على الأقل إذا كنت محتجزاً "
        "($not_detained_days أيام إذا لم تكن محتجزاً)، منها $working_days يوما عمل.",
    },
    "binding": {
        "en": "If the European Court of Human Rights indicates an interim measure in your "
        "case, you will not be removed while it stands.",
        "es": "Si el Tribunal Europeo de Derechos Humanos indica una medida cautelar en su "
        "caso, no será expulsado mientras esté vigente.",
        "fr": "Si la Cour européenne des droits de l'homme indique une mesure provisoire dans "
        "votre affaire, vous ne serez pas éloigné tant qu'elle s'applique.",
        "ar": "إذا أشارت المحكمة الأوروبية لحقوق الإنسان بتدبير مؤقت في قضيتك، فلن يتم "
        "ترحيلك ما دام سارياً.",
    },
    "minister_decides": {
        "en": "If the European Court of Human Rights indicates an interim measure in your "
        "case, a Minister decides whether to comply with it.",
        "es": "Si el Tribunal Europeo de Derechos Humanos indica una medida cautelar en su "
        "caso, un Ministro decide si la cumple.",
        "fr": "Si la Cour européenne des droits de l'homme indique une mesure provisoire dans "
        "votre affaire, un ministre décide s'il s'y conforme.",
        "ar": "إذا أشارت المحكمة الأوروبية لحقوق الإنسان بتدبير مؤقت في قضيتك، فإن وزيراً "
        "يقرر ما إذا كان سيمتثل له.",
    },
}
IN_ENGLISH = {"en": "", "es": " (en inglés)", "fr": " (en anglais)", "ar": " (بالإنجليزية)"}


def rules_in_force(regime_id: str, day, language: str = "en") -> list[str]:
    """One line per notice-relevant gate: what it means for the person under the rule in
    force, in `language`, with the rule's legal reference and since when."""
    regime = load_regime(regime_id)
    lines = []
    for gate_id in NOTICE_GATES[regime_id]:
        gate = regime.gate(gate_id)
        version = gate.version_on(day)
        if version is None:
            continue
        since = f" ({version.begins})" if version.begins else ""
        phrases = RIGHTS.get(version.kind)
        if phrases:
            said = Template(phrases[language]).safe_substitute(version.parameters)
        else:
            said = " ".join(gate.description.split()) + IN_ENGLISH[language]
        lines.append(f"- {said} [{version.reference}{since}]")
    return lines


def _counsel(person) -> str:
    """Counsel of record as the notice names them: by name and bar number, in Accords or not."""
    if person.counsel_of_record_id:
        counsel = person.counsel_of_record
        return f"{counsel.name} ({counsel.bar} {counsel.bar_number})"
    return person.counsel.get_username() if person.counsel_id else "none of record"


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
        rules="\n".join(rules_in_force(agreement.regime, today, language)),
        counsel=_counsel(person),
    )
    return text, checked
