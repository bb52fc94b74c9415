"""Rules that span files: references, languages, Telegram's HTML, facts to verify, review age."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from bot.catalog import facts, telegram_html
from bot.catalog.model import Article, Catalog, Centre
from bot.catalog.problems import Problem
from bot.catalog.revisions import revision
from bot.locales import FALLBACK_LOCALE, LOCALES

FRONT_MATTER_LINE = 2


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@dataclass(frozen=True)
class Policy:
    review_max_days: int = 365
    today: dt.date = field(default_factory=_today)


def _problem(
    catalog: Catalog,
    key: tuple[str, ...],
    message: str,
    severity: Literal["error", "warning"] = "error",
    kind: str = "schema",
) -> Problem:
    path, line = catalog.where(*key)
    return Problem(path, line, message, severity, kind)


def _check_sections(catalog: Catalog) -> list[Problem]:
    problems = []
    if not catalog.sections:
        problems.append(Problem("content/sections.yaml", None, "there are no sections"))
    if catalog.sections and not catalog.articles:
        # An emptied or misplaced content/articles/ would otherwise publish empty menus.
        problems.append(Problem("content/articles", None, "there are no articles"))
    for section in catalog.sections:
        for locale in LOCALES:
            if not section.title.get(locale):
                message = f"section {section.id!r} has no {locale} title"
                problems.append(_problem(catalog, ("section", section.id), message, kind="missing"))
    return problems


def _check_translations(catalog: Catalog, article_id: str) -> list[Problem]:
    article = catalog.articles[article_id]
    problems = []
    current = revision(article.texts[FALLBACK_LOCALE])
    for locale in LOCALES:
        text = article.texts.get(locale)
        path = catalog.where("text", article_id, locale)[0]
        if text is None:
            message = f"article {article_id!r}: no {locale} translation yet"
            problems.append(
                _problem(catalog, ("article", article_id), message, "warning", "missing")
            )
        elif locale != FALLBACK_LOCALE and text.translated_from is None:
            message = (
                f"translated_from is missing: once this text matches ru.md, run "
                f"`jol content stamp {article_id} {locale}`"
            )
            problems.append(Problem(path, FRONT_MATTER_LINE, message, "warning", "outdated"))
        elif locale != FALLBACK_LOCALE and text.translated_from != current:
            message = (
                f"outdated: ru.md changed since this translation was made "
                f"(translated from {text.translated_from}, ru.md is now {current})"
            )
            problems.append(Problem(path, FRONT_MATTER_LINE, message, "warning", "outdated"))
    return problems


def _check_title(
    catalog: Catalog, key: tuple[str, ...], title: str | dict[str, str], what: str
) -> list[Problem]:
    titles = {"": title} if isinstance(title, str) else title
    if not all(len(text.strip()) >= 3 for text in titles.values()):
        return [_problem(catalog, key, f"{what} needs a title users can read")]
    problems = []
    if isinstance(title, dict):
        if FALLBACK_LOCALE not in titles:
            message = f"{what} title needs a {FALLBACK_LOCALE} text to fall back to"
            problems.append(_problem(catalog, key, message))
        for locale in LOCALES:
            if locale not in titles:
                message = f"{what} title has no {locale} text yet"
                problems.append(_problem(catalog, key, message, "warning", "missing"))
    return problems


def _check_sources(catalog: Catalog, article: Article) -> list[Problem]:
    problems = []
    key = ("article", article.id, "sources")
    for source in article.sources:
        if source.source is None:  # a cited source is checked once, in the registry
            problems += _check_title(catalog, key, source.title, "a source")
    return problems


def _check_registry(catalog: Catalog) -> list[Problem]:
    items: list[Article | Centre] = [*catalog.articles.values(), *catalog.centres.values()]
    cited = {source.source for item in items for source in item.sources}
    problems = []
    for entry in catalog.registry.values():
        key = ("source", entry.id)
        problems += _check_title(catalog, (*key, "title"), entry.title, f"source {entry.id!r}:")
        if entry.kind == "document" and not entry.document:
            message = f"source {entry.id!r}: kind document needs `document: <file name>`"
            problems.append(_problem(catalog, key, message))
        if entry.id not in cited:
            message = f"source {entry.id!r} is cited by no article or centre: cite it or remove it"
            problems.append(_problem(catalog, key, message, "warning", "unused"))
    return problems


def _check_articles(catalog: Catalog, policy: Policy) -> list[Problem]:
    problems = []
    for article in catalog.articles.values():
        meta = ("article", article.id)
        section = catalog.section(article.section)
        if section is None or section.kind != "articles":
            message = f"section {article.section!r} does not exist or holds no articles"
            problems.append(_problem(catalog, (*meta, "section"), message, kind="links"))
        for other in article.related:
            if other not in catalog.articles:
                message = f"related: article {other!r} does not exist (broken link)"
                problems.append(_problem(catalog, (*meta, "related"), message, kind="links"))
        problems += _check_translations(catalog, article.id)
        for locale, text in article.texts.items():
            path, body_line = catalog.where("text", article.id, locale)
            for line, error in telegram_html.check(text.body):
                problems.append(Problem(path, (body_line or 1) + line - 1, error, kind="html"))
        age = (policy.today - article.reviewed).days
        if age < 0:
            message = f"reviewed {article.reviewed} is in the future"
            problems.append(_problem(catalog, (*meta, "reviewed"), message, kind="review"))
        elif age > policy.review_max_days:
            message = f"last reviewed {age} days ago (over {policy.review_max_days}): review it"
            problems.append(_problem(catalog, (*meta, "reviewed"), message, "warning", "review"))
        problems += _check_sources(catalog, article)
        for item in article.verify:
            message = f"to verify: {item}"
            problems.append(_problem(catalog, (*meta, "verify"), message, "warning", "verify"))
    return problems


def _check_centres(catalog: Catalog) -> list[Problem]:
    problems = []
    for city in catalog.cities.values():
        if not facts.in_region(*city.location):
            message = f"city {city.id!r}: coordinates {city.location} are outside the region"
            problems.append(_problem(catalog, ("city", city.id), message, kind="facts"))
    for centre in catalog.centres.values():
        key = ("centre", centre.id)
        where = f"centre {centre.id!r}"
        if not facts.in_region(*centre.location):
            message = f"{where}: coordinates {centre.location} are outside the region"
            problems.append(_problem(catalog, (*key, "location"), message, kind="facts"))
        for phone in centre.phones:
            found = facts.phone_problem(phone)
            if found:
                message = f"{where}: {found[1]}"
                problems.append(_problem(catalog, (*key, "phones"), message, found[0], "facts"))
        for name in ("name", "address"):
            for locale in LOCALES:
                if not getattr(centre, name).get(locale):
                    message = f"{where}: no {locale} {name} yet"
                    problems.append(_problem(catalog, key, message, "warning", "missing"))
        if centre.verification.status != "verified":
            note = f" ({centre.verification.note})" if centre.verification.note else ""
            message = f"to verify: {where} is not confirmed{note}"
            problems.append(_problem(catalog, (*key, "verification"), message, "warning", "verify"))
    return problems


def check_catalog(catalog: Catalog, policy: Policy | None = None) -> list[Problem]:
    policy = policy or Policy()
    return [
        *_check_sections(catalog),
        *_check_articles(catalog, policy),
        *_check_centres(catalog),
        *_check_registry(catalog),
    ]
