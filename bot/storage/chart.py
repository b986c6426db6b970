"""A small PNG chart of questions per day, answered vs refused.

Uses matplotlib's object API on the Agg canvas (no pyplot, no global state),
so it is safe in a worker thread; :func:`render_chart_async` runs it there.
matplotlib (about 100 MB with its fonts and imaging libraries) is the ``chart``
extra, not a run-time dependency: without it ``/stats`` sends its figures alone.
"""

from __future__ import annotations

import asyncio
import importlib.util
import io

from bot.storage.stats import Stats

ANSWERED_COLOUR = "#3ba55c"
REFUSED_COLOUR = "#ed4245"


CHART_EXTRA = "pip install 'articlebot[chart]'"


def chart_available() -> bool:
    """Whether matplotlib, the ``chart`` extra, is installed."""
    return importlib.util.find_spec("matplotlib") is not None


def render_chart(stats: Stats, *, width: float = 6.0, height: float = 2.6, dpi: int = 100) -> bytes:
    """PNG bytes: one stacked bar per day of the period."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    days = [d.day for d in stats.per_day]
    answered = [d.answered for d in stats.per_day]
    refused = [d.refused for d in stats.per_day]
    figure = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(days)))
    axes.bar(positions, answered, color=ANSWERED_COLOUR, label="answered")
    axes.bar(positions, refused, bottom=answered, color=REFUSED_COLOUR, label="refused")
    step = max(1, len(days) // 10)
    axes.set_xticks(positions[::step], [d.strftime("%d %b") for d in days][::step], fontsize=8)
    axes.set_ylabel("questions", fontsize=8)
    axes.tick_params(axis="y", labelsize=8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(f"Questions per day, last {stats.days} days", fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=8, frameon=False, loc="upper left")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


async def render_chart_async(stats: Stats) -> bytes:
    """:func:`render_chart` in a worker thread, so the event loop keeps running."""
    return await asyncio.to_thread(render_chart, stats)
