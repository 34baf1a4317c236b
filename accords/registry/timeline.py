"""A status history laid out as a picture: one mark per change on a line of dates."""

from dataclasses import dataclass
from datetime import date

WIDTH = 760
MARGIN = 40

TONE = {
    "rumoured": "muted",
    "negotiating": "muted",
    "preliminary": "muted",
    "signed": "go",
    "in_force": "go",
    "suspended": "stop",
    "enjoined": "stop",
    "ruled_unlawful": "stop",
    "ended": "end",
    "disputed": "stop",
}


@dataclass(frozen=True)
class Mark:
    x: int
    row: int
    on: date
    label: str
    tone: str


def timeline_marks(changes) -> list[Mark]:
    """Place each change by its date; labels alternate rows so close dates do not collide."""
    changes = sorted(changes, key=lambda c: (c.on, c.pk))
    if not changes:
        return []
    first, last = changes[0].on, changes[-1].on
    span = max((last - first).days, 1)
    return [
        Mark(
            x=MARGIN + round((c.on - first).days / span * (WIDTH - 2 * MARGIN)),
            row=i % 3,
            on=c.on,
            label=c.get_status_display(),
            tone=TONE.get(c.status, "muted"),
        )
        for i, c in enumerate(changes)
    ]
