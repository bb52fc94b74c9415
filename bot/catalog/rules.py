"""Rules that span files: references, languages, Telegram's HTML, facts to verify."""

from __future__ import annotations

from pathlib import Path

from bot.catalog import facts, telegram_html
from bot.catalog.model import Catalog
from bot.catalog.problems import Problem
from bot.locales import LOCALES


def _rel(root: Path, *parts: str) -> str:
    return str(Path(root.name, *parts))


def _check_sections(catalog: Catalog, root: Path) -> list[Problem]:
    problems = []
    path = _rel(root, "sections.yaml")
    if not catalog.sections:
        problems.append(Problem(path, None, "there are no sections"))
    for section in catalog.sections:
        for locale in LOCALES:
            if not section.title.get(locale):
                problems.append(
                    Problem(path, None, f"section {section.id!r} has no {locale} title")
                )
    return problems


def _check_articles(catalog: Catalog, root: Path) -> list[Problem]:
    problems = []
    for article in catalog.articles.values():
        folder = _rel(root, "articles", article.id)
        section = catalog.section(article.section)
        if section is None or section.kind != "articles":
            problems.append(
                Problem(f"{folder}/meta.yaml", None, f"section {article.section!r} has no articles")
            )
        for other in article.related:
            if other not in catalog.articles:
                problems.append(
                    Problem(
                        f"{folder}/meta.yaml", None, f"related article {other!r} does not exist"
                    )
                )
        for locale in LOCALES:
            if locale not in article.texts:
                problems.append(Problem(folder, None, f"no {locale} translation yet", "warning"))
        for locale, text in article.texts.items():
            for error in telegram_html.check(text.body):
                problems.append(Problem(f"{folder}/{locale}.md", None, error))
    return problems


def _check_centres(catalog: Catalog, root: Path) -> list[Problem]:
    problems = []
    for city in catalog.cities.values():
        path = _rel(root, "centres", f"{city.id}.yaml")
        if not facts.in_region(*city.location):
            problems.append(
                Problem(path, None, f"city {city.id!r}: coordinates outside the region")
            )
    for centre in catalog.centres.values():
        path = _rel(root, "centres", f"{centre.city}.yaml")
        where = f"centre {centre.id!r}"
        if not facts.in_region(*centre.location):
            problems.append(Problem(path, None, f"{where}: coordinates outside the region"))
        for phone in centre.phones:
            found = facts.phone_problem(phone)
            if found:
                problems.append(Problem(path, None, f"{where}: {found[1]}", found[0]))  # type: ignore[arg-type]
        for field in ("name", "address"):
            texts = getattr(centre, field)
            for locale in LOCALES:
                if not texts.get(locale):
                    problems.append(
                        Problem(path, None, f"{where}: no {locale} {field} yet", "warning")
                    )
        for language in centre.languages:
            if language not in LOCALES and len(language) != 2:
                problems.append(
                    Problem(path, None, f"{where}: {language!r} is not a language code")
                )
    return problems


def check_catalog(catalog: Catalog, root: Path) -> list[Problem]:
    return [
        *_check_sections(catalog, root),
        *_check_articles(catalog, root),
        *_check_centres(catalog, root),
    ]
