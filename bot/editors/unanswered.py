"""The unanswered-question queue for editors: what migrants asked that Jol could not answer,
similar questions grouped once with a count, each with the articles that came closest.

Questions are compared by their spelling skeleton (`bot.search.normalise.fold`), so the same
question in Cyrillic and Latin, with or without special letters, falls in one group.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.core.requests import Context
from bot.locales import FALLBACK_LOCALE
from bot.search.normalise import fold
from bot.search.rank import closest

SIMILAR = 80  # rapidfuzz token-set ratio from which two questions are one group
CLOSEST = 3


@dataclass(frozen=True)
class Group:
    question: str  # the most asked wording
    count: int
    languages: tuple[str, ...]
    variants: tuple[str, ...]  # other wordings, most asked first
    nearest: tuple[tuple[str, float], ...]  # (article id, score)


def group(asked: list[tuple[str, str | None]], ctx: Context) -> list[Group]:
    """`asked` holds (question, interface language) rows; most asked groups first."""
    wordings = Counter(q for q, _ in asked)
    languages: dict[str, set[str]] = {}
    for question, locale in asked:
        languages.setdefault(question, set()).add(locale or "?")
    clusters: list[list[str]] = []
    skeletons: list[str] = []
    for question, _ in wordings.most_common():
        skeleton = fold(question)
        for i, leader in enumerate(skeletons):
            if fuzz.token_set_ratio(skeleton, leader) >= SIMILAR:
                clusters[i].append(question)
                break
        else:
            clusters.append([question])
            skeletons.append(skeleton)
    groups = []
    for members in clusters:
        head = members[0]
        langs = sorted(set().union(*(languages[m] for m in members)))
        locale = next((loc for loc in langs if loc != "?"), FALLBACK_LOCALE)
        hits = closest(ctx.search, head, locale, limit=CLOSEST)
        groups.append(
            Group(
                question=head,
                count=sum(wordings[m] for m in members),
                languages=tuple(langs),
                variants=tuple(members[1:]),
                nearest=tuple((h.article, h.score) for h in hits),
            )
        )
    groups.sort(key=lambda g: (-g.count, g.question))
    return groups


def format_groups(groups: list[Group], ctx: Context) -> str:
    if not groups:
        return "No unanswered questions in the retention period."
    lines = []
    for number, g in enumerate(groups, start=1):
        lines.append(f"{number}. ×{g.count} [{', '.join(g.languages)}] {g.question}")
        for variant in g.variants[:5]:
            lines.append(f"     also: {variant}")
        if len(g.variants) > 5:
            lines.append(f"     and {len(g.variants) - 5} more wordings")
        if g.nearest:
            near = ", ".join(
                f"{a} ({ctx.catalog.articles[a].text(FALLBACK_LOCALE)[0].title}; {s:.1f})"
                for a, s in g.nearest
            )
            lines.append(f"     closest: {near}")
        else:
            lines.append("     closest: none: a new article may be needed")
    lines.append("")
    lines.append(
        "Add the question to the closest article's examples.yaml if it answers it, "
        "or write an article (see CONTENT.md)."
    )
    return "\n".join(lines)
