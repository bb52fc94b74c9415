"""The chart of daily active users by language, as a PNG for Telegram.

Rendering takes a noticeable fraction of a second: callers run it in a thread
(`asyncio.to_thread`) so the event loop keeps answering users meanwhile.
"""

from __future__ import annotations

from io import BytesIO

from bot.i18n import Translator
from bot.locales import LOCALES
from storage.daily import ALL_LOCALES
from storage.stats import Stats

COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#999999")


def render_daily_users(tr: Translator, stats: Stats) -> bytes:
    # Imported here: matplotlib is slow to load and only operators ever need it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    days = stats.days
    known = [code for code in LOCALES if code in stats.daily_users]
    others = [c for c in stats.daily_users if c not in LOCALES and c != ALL_LOCALES]
    figure = Figure(figsize=(8, 4.5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bottom = [0] * len(days)
    for colour, code in zip(COLOURS, [*known, *others], strict=False):
        counts = stats.daily_users[code]
        label = tr.language_name(code) if code else "—"
        axes.bar(days, counts, bottom=bottom, label=label, color=colour, width=0.8)  # type: ignore[arg-type]
        bottom = [b + n for b, n in zip(bottom, counts, strict=True)]
    axes.set_title(tr.gettext("Daily active users by language"))
    axes.set_ylabel(tr.gettext("users"))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", alpha=0.3)
    if known or others:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    figure.autofmt_xdate()
    figure.tight_layout()
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
