"""`jol content stats`: how complete each section is in each language, and what to do first."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.catalog.model import Catalog, pick
from bot.catalog.revisions import revision
from bot.editors.report import Report
from bot.locales import FALLBACK_LOCALE, LOCALES

# The order in which missing work hurts migrants most: emergencies first.
PRIORITY = ("emergency", "rights", "before")


@dataclass(frozen=True)
class Cell:
    current: int = 0
    outdated: int = 0
    missing: int = 0

    def __str__(self) -> str:
        total = self.current + self.outdated + self.missing
        text = f"{self.current}/{total}"
        if self.outdated:
            text += f" ({self.outdated} old)"
        return text


def coverage(catalog: Catalog) -> dict[str, dict[str, Cell]]:
    """Per section id, per locale: articles translated and current, outdated, missing."""
    table: dict[str, dict[str, Cell]] = {}
    for section in catalog.sections:
        if section.kind != "articles":
            continue
        counts: dict[str, Counter[str]] = {locale: Counter() for locale in LOCALES}
        for article in catalog.articles_in(section.id):
            current = revision(article.texts[FALLBACK_LOCALE])
            for locale in LOCALES:
                text = article.texts.get(locale)
                if text is None:
                    counts[locale]["missing"] += 1
                elif locale == FALLBACK_LOCALE or text.translated_from == current:
                    counts[locale]["current"] += 1
                else:
                    counts[locale]["outdated"] += 1
        table[section.id] = {locale: Cell(**counts[locale]) for locale in LOCALES}
    return table


def format_coverage(report: Report) -> str:
    catalog = report.catalog
    if catalog is None:
        return "The content has errors; run `jol content check` first."
    table = coverage(catalog)
    width = max(len(pick(s.title, "ru")[0]) for s in catalog.sections) + 2
    lines = ["Articles translated and up to date, by section and language:", ""]
    lines.append("section".ljust(width) + "".join(locale.rjust(14) for locale in LOCALES))
    for section in catalog.sections:
        if section.id in table:
            row = pick(section.title, "ru")[0].ljust(width)
            lines.append(row + "".join(str(table[section.id][loc]).rjust(14) for loc in LOCALES))
    verified = sum(c.verification.status == "verified" for c in catalog.centres.values())
    lines += [
        "",
        f"Service centres: {len(catalog.centres)} in {len(catalog.cities)} cities, "
        f"{verified} verified.",
        "",
        "What needs work first:",
    ]
    lines += [f"  {n}. {item}" for n, item in enumerate(_priorities(report, table), start=1)]
    return "\n".join(lines)


def _priorities(report: Report, table: dict[str, dict[str, Cell]]) -> list[str]:
    items = []
    kinds = Counter(p.kind for p in report.warnings)
    ordered = [s for s in PRIORITY if s in table] + [s for s in table if s not in PRIORITY]
    for section_id in ordered:
        for locale in LOCALES:
            cell = table[section_id][locale]
            if cell.missing:
                items.append(f"translate {cell.missing} article(s) of «{section_id}» into {locale}")
    for section_id in ordered:
        for locale in LOCALES:
            cell = table[section_id][locale]
            if cell.outdated:
                items.append(
                    f"update {cell.outdated} outdated {locale} article(s) of «{section_id}»"
                )
    if kinds["review"]:
        items.append(f"review {kinds['review']} article(s) whose review is overdue")
    if kinds["verify"]:
        items.append(f"verify {kinds['verify']} fact(s) and centre(s) marked to verify")
    if kinds["locales"]:
        items.append(f"translate {kinds['locales']} interface string(s) in locales/")
    return items or ["nothing: everything is translated, current and verified"]
