"""The IOM Reintegration Sustainability Survey's 15 indicators, as a scored form.

Source: IOM, "Reintegration Handbook: practical guidance on the design, implementation and
monitoring of reintegration assistance" (Geneva, 2019, ISBN 978-92-9068-811-2), section 2.2.5
and Annex 4 (the survey and its scoring), built on Samuel Hall / IOM, "Setting standards for an
integrated approach to reintegration" (MEASURE project, 2017), which field-tested "15
indicators relating to the economic, social and psychosocial dimensions of reintegration ...
together with a reintegration scoring system" (IOM news release, 22 December 2017).

The labels below paraphrase the handbook's indicators; their exact wording and the survey's own
weights are **unconfirmed** against the Annex and are data here, not code: a programme that
adopts the Annex's weights changes `WEIGHTS` alone. Each indicator is scored from 1 (worst) to
5 (best); a dimension's score is the weighted mean of its indicators, as the survey reports
one score per dimension and one overall.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ECONOMIC, SOCIAL, PSYCHOSOCIAL = "economic", "social", "psychosocial"
DIMENSIONS = {
    ECONOMIC: _("Economic"),
    SOCIAL: _("Social"),
    PSYCHOSOCIAL: _("Psychosocial"),
}

# key -> (dimension, label)
INDICATORS = {
    "economic_satisfaction": (ECONOMIC, _("Satisfaction with one's economic situation")),
    "food_security": (ECONOMIC, _("Food security (how rarely meals are cut)")),
    "employment": (ECONOMIC, _("Work or training that brings an income")),
    "borrowing": (ECONOMIC, _("Ability to borrow money if needed")),
    "debt": (ECONOMIC, _("Debt low against spending")),
    "housing": (SOCIAL, _("Access to adequate housing")),
    "education": (SOCIAL, _("Access to education (children at school)")),
    "justice": (SOCIAL, _("Access to justice and the police")),
    "documentation": (SOCIAL, _("Access to identity and civil documents")),
    "health": (SOCIAL, _("Access to health care and safe water")),
    "social_participation": (PSYCHOSOCIAL, _("Taking part in social activities")),
    "support_network": (PSYCHOSOCIAL, _("A network of people to rely on")),
    "no_discrimination": (PSYCHOSOCIAL, _("Free of discrimination")),
    "safety": (PSYCHOSOCIAL, _("Feeling physically safe")),
    "wellbeing": (PSYCHOSOCIAL, _("Free of signs of psychological distress")),
}
WEIGHTS = {key: Decimal(1) for key in INDICATORS}
LOWEST, HIGHEST = 1, 5
SCORE_CHOICES = [(n, str(n)) for n in range(LOWEST, HIGHEST + 1)]


def scores_check(scores: dict) -> dict[str, int]:
    """Every indicator scored once, 1 to 5, and nothing else; a ValidationError naming each
    indicator that is wrong."""
    errors = {}
    if not isinstance(scores, dict):
        raise ValidationError({"scores": _("The scores are one number per indicator.")})
    for key in scores:
        if key not in INDICATORS:
            errors[str(key)[:40]] = _("Not one of the survey's indicators.")
    for key in INDICATORS:
        value = scores.get(key)
        if value is None:
            errors[key] = _("Score this indicator.")
        elif type(value) is not int or not LOWEST <= value <= HIGHEST:
            errors[key] = _("A score is a whole number from 1 to 5.")
    if errors:
        raise ValidationError(errors)
    return {key: scores[key] for key in INDICATORS}


def dimension_scores(scores: dict[str, int]) -> dict[str, Decimal]:
    """Each dimension's weighted mean score and the overall one, to two places."""
    result = {}
    for dimension in (*DIMENSIONS, None):
        keys = [k for k, (d, _label) in INDICATORS.items() if dimension in (None, d)]
        total = sum(WEIGHTS[k] * scores[k] for k in keys)
        mean = total / sum(WEIGHTS[k] for k in keys)
        result[dimension or "overall"] = mean.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return result
