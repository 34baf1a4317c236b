"""The statistics as pictures: bars per month, laid out here and drawn by the template as
SVG (served with the page, no script, nothing from the network). A suppressed count is drawn
as an empty outline at the height of the threshold, so a gap is never read as zero."""

from dataclasses import dataclass

WIDTH, HEIGHT = 760, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 40
SERIES = ("referrals", "departures", "hand_overs")
# Colours told apart by people with the common colour-vision deficiencies (Okabe-Ito).
COLOURS = ("#0072B2", "#E69F00", "#009E73")


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    series: int
    suppressed: bool
    title: str

    @property
    def colour(self) -> str:
        return COLOURS[self.series]


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    ticks: list[tuple[int, str]]  # y, label
    months: list[tuple[int, str]]  # x, label
    legend: list[tuple[str, str]]  # colour, label
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def baseline(self) -> int:
        return HEIGHT - BOTTOM


def _nice(top: int) -> int:
    for step in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000):
        if top <= step * 4:
            return step
    return 10 ** len(str(top))


def monthly_chart(months: list[str], figures: dict, labels: dict[str, str], threshold: int):
    """`figures[(month, series)]` is a published count, or None when suppressed."""
    present = [s for s in SERIES if s in labels]
    if not months or not present:
        return None
    top = max([v for v in figures.values() if v is not None] + [threshold, 10])
    step = _nice(top)
    scale_top = step * -(-top // step)
    plot = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(months)
    bar = max(2, int(slot * 0.8 / len(present)))
    bars = []
    for m_index, month in enumerate(months):
        for s_index, key in enumerate(present):
            value = figures.get((month, key))
            shown = threshold if value is None else value
            height = round(shown / scale_top * plot)
            x = round(LEFT + m_index * slot + slot * 0.1 + s_index * bar)
            title = f"{labels[key]}, {month}: " + ("suppressed" if value is None else f"{value:,}")
            bars.append(Bar(x, HEIGHT - BOTTOM - height, bar - 1, height, s_index, value is None,
                            title))  # fmt: skip
    ticks = [(HEIGHT - BOTTOM - round(v / scale_top * plot), f"{v:,}")
             for v in range(0, scale_top + 1, step)]  # fmt: skip
    every = max(1, len(months) // 12)
    names = [(round(LEFT + (i + 0.5) * slot), m) for i, m in enumerate(months) if i % every == 0]
    return Chart(bars, ticks, names, [(COLOURS[i], labels[k]) for i, k in enumerate(present)])
