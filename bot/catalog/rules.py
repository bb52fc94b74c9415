"""Rules that span files: references, languages, Telegram's HTML, facts to verify, review age."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from bot.catalog import facts, telegram_html
from bot.catalog.model import Article, Catalog, Centre, Verify
from bot.catalog.problems import Problem
from bot.catalog.revisions import revision
from bot.locales import FALLBACK_LOCALE, LOCALES
from bot.search.normalise import fold, words

FRONT_MATTER_LINE = 2
# Fewer example questions than this in a language and search barely learns that language.
MIN_EXAMPLES = 5


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
    severity: Literal["error", "warning", "note"] = "error",
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
        for contact_id in section.contacts:
            if contact_id not in catalog.contacts:
                message = f"section {section.id!r}: no contact {contact_id!r} in contacts.yaml"
                problems.append(_problem(catalog, ("section", section.id), message, kind="links"))
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


def _cited_ids(catalog: Catalog) -> set[str | None]:
    sourced: list[Article | Centre] = [*catalog.articles.values(), *catalog.centres.values()]
    cited = {source.source for item in sourced for source in item.sources}
    cited |= {contact.source for contact in catalog.contacts.values()}
    for centre in catalog.centres.values():
        cited |= {fact.source for fact in (centre.address, centre.hours) if fact}
    return cited


def _check_registry(catalog: Catalog) -> list[Problem]:
    cited = _cited_ids(catalog)
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
        problems += _check_verify(catalog, (*meta, "verify"), article.verify)
    return problems


def _check_verify(catalog: Catalog, key: tuple[str, ...], items: tuple[Verify, ...]) -> list:
    """Each fact to verify is listed; it must tell readers, in every language, what is unsure."""
    problems = []
    for index, item in enumerate(items):
        at = (*key, str(index))
        if isinstance(item, str):
            message = (
                f"to verify: {item} (verify item names no reader-facing detail: write it as "
                "`detail:` in kk, ru, uz, tg and `check:`, see CONTENT.md)"
            )
            problems.append(_problem(catalog, key, message, "warning", "verify"))
            continue
        missing = [locale for locale in LOCALES if not item.detail.get(locale, "").strip()]
        if missing:
            message = f"verify item {item.check!r}: `detail` has no {', '.join(missing)} text"
            problems.append(_problem(catalog, at, message, kind="missing"))
        problems.append(_problem(catalog, at, f"to verify: {item.check}", "warning", "verify"))
    return problems


def _check_contacts(catalog: Catalog) -> list[Problem]:
    problems = []
    for contact in catalog.contacts.values():
        key = ("contact", contact.id)
        if contact.source not in catalog.registry:
            message = f"contact {contact.id!r}: unknown source {contact.source!r}"
            problems.append(_problem(catalog, (*key, "source"), message, kind="links"))
        found = facts.phone_problem(contact.number)
        # A short number the phone data does not list is confirmed by the source cited here.
        if found and found[0] == "error":
            message = f"contact {contact.id!r}: {found[1]}"
            problems.append(_problem(catalog, (*key, "number"), message, kind="facts"))
        elif (
            not found and not facts.is_short(contact.number) and not contact.number.startswith("+")
        ):
            # Only the international form (+7 …) is dialled from every phone and made tappable.
            message = (
                f"contact {contact.id!r}: write {contact.number!r} in international form, +7 …"
            )
            problems.append(_problem(catalog, (*key, "number"), message, kind="facts"))
        missing = [locale for locale in LOCALES if not contact.what.get(locale, "").strip()]
        if missing:
            message = f"contact {contact.id!r}: `what` has no {', '.join(missing)} text"
            problems.append(_problem(catalog, (*key, "what"), message, kind="missing"))
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
        for contact_id in centre.contacts:
            if contact_id not in catalog.contacts:
                message = f"{where}: no contact {contact_id!r} in contacts.yaml"
                problems.append(_problem(catalog, (*key, "contacts"), message, kind="links"))
        for field_name in ("address", "hours"):
            fact = getattr(centre, field_name)
            if fact and fact.source not in catalog.registry:
                message = f"{where}: {field_name}: unknown source {fact.source!r}"
                problems.append(_problem(catalog, (*key, field_name), message, kind="links"))
        texts = {"name": centre.name}
        texts |= {n: f.text for n, f in (("address", centre.address), ("hours", centre.hours)) if f}
        for name, text in texts.items():
            for locale in LOCALES:
                if not text.get(locale):
                    message = f"{where}: no {locale} {name} yet"
                    problems.append(_problem(catalog, key, message, "warning", "missing"))
        if centre.city and centre.precision == "city":
            its_city = catalog.cities.get(centre.city)
            if its_city and tuple(centre.location) != tuple(its_city.location):
                message = f"{where}: known only by its city, so its location is the city's point"
                problems.append(_problem(catalog, (*key, "location"), message, kind="facts"))
        if not centre.active:
            continue
        problems += _check_verify(catalog, (*key, "verify"), centre.verify)
        if centre.verification.status != "verified" and not centre.verify:
            note = f" ({centre.verification.note})" if centre.verification.note else ""
            message = (
                f"to verify: {where} is not confirmed{note} (verify item names no reader-facing "
                "detail: add `verify:` items with `detail:` and `check:`)"
            )
            problems.append(_problem(catalog, (*key, "verification"), message, "warning", "verify"))
    return problems


def _check_examples(catalog: Catalog) -> list[Problem]:
    """Too few example questions in a language, and one question or keyword in two articles:
    search cannot tell those articles apart by it."""
    problems = []
    seen: dict[str, tuple[str, tuple[str, ...]]] = {}
    for article in sorted(catalog.articles.values(), key=lambda a: a.id):
        for locale in LOCALES:
            count = len(article.examples.get(locale, ()))
            if count < MIN_EXAMPLES:
                message = (
                    f"article {article.id!r}: {count} example question(s) in {locale}, "
                    f"fewer than {MIN_EXAMPLES}: add questions as migrants would type them"
                )
                problems.append(
                    _problem(catalog, ("article", article.id), message, "warning", "search")
                )
        phrases: list[tuple[str, str, tuple[str, ...]]] = [
            ("example", text, ("example", article.id, locale, str(number)))
            for locale, items in article.examples.items()
            for number, text in enumerate(items)
        ]
        phrases += [
            ("keyword", text, ("article", article.id, "keywords", locale))
            for locale, items in article.keywords.items()
            for text in items
        ]
        for what, text, key in phrases:
            folded = " ".join(fold(word) for word in words(text))
            if not folded:
                continue
            first = seen.get(f"{what}:{folded}")
            if first is None:
                seen[f"{what}:{folded}"] = (article.id, key)
            elif first[0] != article.id:
                path, line = catalog.where(*first[1])
                message = (
                    f"the {what} {text!r} is also in article {first[0]!r} ({path}:{line}): "
                    "search cannot tell the two apart by it"
                )
                # The same example question in two articles teaches the ranker two answers:
                # fix it. A keyword two articles share is often meant (a word both are about),
                # so it is a note for editors tuning search, not a warning.
                severity: Literal["warning", "note"] = "warning" if what == "example" else "note"
                problems.append(_problem(catalog, key, message, severity, "search"))
    return problems


def check_catalog(catalog: Catalog, policy: Policy | None = None) -> list[Problem]:
    policy = policy or Policy()
    return [
        *_check_sections(catalog),
        *_check_articles(catalog, policy),
        *_check_examples(catalog),
        *_check_centres(catalog),
        *_check_contacts(catalog),
        *_check_registry(catalog),
    ]
