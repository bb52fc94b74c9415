"""`jol content check`: everything that would stop, mislead or embarrass the bot, for an editor.

Beyond what the loader checks, it renders every article and centre card in every language as
the bot would send it, and reads the interface strings in `locales/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel.messages.pofile import PoFileError, read_po

from bot.catalog import loader, telegram_html
from bot.catalog.model import Catalog
from bot.catalog.problems import KINDS, Problem
from bot.catalog.rules import Policy
from bot.core import Context
from bot.core.actions import Action, OpenArticle, OpenCentre, encode
from bot.core.articles import article_text
from bot.core.centres import card_text
from bot.editors import language
from bot.i18n import Texts, po_path
from bot.locales import LOCALES


@dataclass(frozen=True)
class Report:
    problems: list[Problem]
    context: Context | None  # what the bot would serve: None when there are errors

    @property
    def catalog(self) -> Catalog | None:
        return self.context.catalog if self.context else None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "note"]


def check_locales(locales_dir: Path) -> list[Problem]:
    problems = []
    for locale in LOCALES:
        path = po_path(locales_dir, locale)
        shown = (
            str(path.relative_to(locales_dir.parent))
            if path.is_relative_to(locales_dir.parent)
            else str(path)
        )
        try:
            data = path.read_bytes()
            catalog = read_po(BytesIO(data), locale=locale, abort_invalid=True)
        except OSError as exc:
            problems.append(Problem(shown, None, f"cannot be read: {exc}", kind="locales"))
            continue
        except (PoFileError, UnicodeDecodeError, LookupError) as exc:
            line, reason = _po_error(exc, data)
            problems.append(Problem(shown, line, f"cannot be read: {reason}", kind="locales"))
            continue
        if not any(message.id and message.string for message in catalog):
            # An empty or cut file parses, and would quietly serve the English originals.
            problems.append(Problem(shown, None, "holds no translated strings", kind="locales"))
            continue
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            if not all(strings):
                problems.append(
                    Problem(
                        shown, message.lineno, f"not translated: {msgid!r}", "warning", "locales"
                    )
                )
            elif message.fuzzy:
                problems.append(
                    Problem(shown, message.lineno, f"marked fuzzy: {msgid!r}", "warning", "locales")
                )
    return problems


def _po_error(exc: Exception, data: bytes) -> tuple[int | None, str]:
    """Where in the file reading stopped, and why, for the editor."""
    if isinstance(exc, UnicodeDecodeError):
        # Babel decodes line by line, so the error's position is within an unknown line.
        for number, row in enumerate(data.splitlines(), 1):
            try:
                row.decode(exc.encoding)
            except UnicodeDecodeError:
                return number, f"not valid {exc.encoding} text (save the file as UTF-8)"
        return None, f"not valid {exc.encoding} text"
    if isinstance(exc, LookupError):
        header = next((i for i, row in enumerate(data.splitlines(), 1) if b"charset=" in row), None)
        return header, f"unknown charset in the header ({exc})"
    return getattr(exc, "lineno", None), str(exc)


def _rendered(ctx: Context) -> list[Problem]:
    """Every article and centre card as sent, in every language, within Telegram's rules."""
    problems = []
    catalog = ctx.catalog
    for locale in LOCALES:
        tr = ctx.texts(locale)
        for article in catalog.articles.values():
            path = catalog.where("text", article.id, locale)[0]
            if locale not in article.texts:
                path = catalog.where("text", article.id, "ru")[0]
            text = article_text(tr, article)
            problems += _message_problems(text, path, f"{article.id} in {locale}")
        for centre in catalog.centres.values():
            path, line = catalog.where("centre", centre.id)
            text = card_text(ctx, tr, centre)
            problems += _message_problems(text, path, f"{centre.id} in {locale}", line)
    for article_id in catalog.articles:
        problems += _button_problems(OpenArticle(article_id), catalog.where("article", article_id))
    for centre_id in catalog.centres:
        problems += _button_problems(OpenCentre(centre_id), catalog.where("centre", centre_id))
    return problems


def _message_problems(text: str, path: str, what: str, line: int | None = None) -> list[Problem]:
    problems = [
        Problem(path, line, f"{what}: as sent, {error}", kind="html")
        for _, error in telegram_html.check(text)
    ]
    length = telegram_html.visible_length(text)
    if length > telegram_html.MESSAGE_LIMIT:
        message = (
            f"{what}: {length} characters as sent, over Telegram's {telegram_html.MESSAGE_LIMIT}"
        )
        problems.append(Problem(path, line, message, kind="length"))
    return problems


def _button_problems(action: Action, where: tuple[str, int | None]) -> list[Problem]:
    try:
        encode(action)
    except ValueError as exc:
        return [Problem(where[0], where[1], f"the id cannot be put on a button: {exc}")]
    return []


def full_check(content_dir: Path, locales_dir: Path, policy: Policy | None = None) -> Report:
    catalog, problems = loader.read(content_dir, policy)
    problems = [*problems, *check_locales(locales_dir)]
    problems += language.check(content_dir, locales_dir, catalog)
    context = None
    if catalog is not None and not any(
        p.kind == "locales" and p.severity == "error" for p in problems
    ):
        context = Context(catalog, Texts.load(locales_dir))
        problems += _rendered(context)
    if any(p.severity == "error" for p in problems):
        context = None
    return Report(problems, context)


def format_report(report: Report, *, show_warnings: bool = True) -> str:
    lines = []
    for severity, title in (
        ("error", "ERRORS (must be fixed before publishing)"),
        ("warning", "WARNINGS (the content can be published)"),
        ("note", "NOTES (suggestions for search; nothing is wrong)"),
    ):
        found = [p for p in report.problems if p.severity == severity]
        if not found or (severity != "error" and not show_warnings):
            continue
        lines.append(f"{title}: {len(found)}")
        for kind, heading in KINDS.items():
            group = [p for p in found if p.kind == kind]
            if group:
                lines.append(f"\n  {heading} ({len(group)}):")
                lines += [f"    {p.where}: {p.message}" for p in group]
        lines.append("")
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "cannot be published" if errors else "can be published"
    notes = f", {len(report.notes)} note(s)" if report.notes else ""
    lines.append(f"{errors} error(s), {warnings} warning(s){notes}: the content {verdict}.")
    return "\n".join(lines)
