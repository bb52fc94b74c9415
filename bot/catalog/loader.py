"""Reads `content/` into a `Catalog`, collecting every problem instead of stopping at the first.

Layout (see CONTENT.md):

    content/sections.yaml                  the main menu's sections
    content/articles/<id>/meta.yaml        an article's facts: section, order, sources, review date
    content/articles/<id>/<locale>.md      its title and text in one language
    content/articles/<id>/examples.yaml    questions as migrants type them, per language
    content/centres/<city>.yaml            a city and its service centres
    content/sources.yaml                   sources written once, cited by id as `source: <id>`
    content/contacts.yaml                  phone numbers written once, used as `{contact:<id>}`
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.catalog import contacts as placeholders
from bot.catalog import yamlfile
from bot.catalog.model import (
    Article,
    ArticleText,
    Catalog,
    Centre,
    Citation,
    City,
    Contact,
    Section,
    Source,
    SourceEntry,
)
from bot.catalog.problems import ContentError, Problem
from bot.catalog.rules import Policy, check_catalog
from bot.locales import FALLBACK_LOCALE, LOCALES

FRONT_MATTER = "---"
SOURCES_FILE = "sources.yaml"
CONTACTS_FILE = "contacts.yaml"
EXAMPLES_FILE = "examples.yaml"
M = TypeVar("M", bound=BaseModel)


class _Reader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.origins: dict[str, tuple[str, int | None]] = {}
        self.registry: dict[str, SourceEntry] = {}
        self.contacts: dict[str, Contact] = {}

    def origin(self, key: str, path: Path, line: int | None) -> None:
        self.origins[key] = (self.rel(path), line)

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def problem(
        self,
        path: Path,
        line: int | None,
        message: str,
        severity: str = "error",
        kind: str = "schema",
    ) -> None:
        self.problems.append(Problem(self.rel(path), line, message, severity, kind))  # type: ignore[arg-type]

    def yaml(self, path: Path) -> Any:
        try:
            return yamlfile.read(path)
        except yamlfile.YamlError as exc:
            self.problem(path, exc.line, str(exc))
        except (OSError, UnicodeDecodeError) as exc:
            self.problem(path, None, f"cannot be read: {exc}")
        return None

    def model(self, cls: type[M], data: Any, path: Path, *, at: str = "", **extra: Any) -> M | None:
        """`data` validated as `cls`; `at` names where `data` stands in its file, for messages."""
        if not isinstance(data, dict):
            message = "expected a mapping of keys to values"
            self.problem(path, getattr(data, "line", None), f"{at}: {message}" if at else message)
            return None
        try:
            return cls.model_validate({**data, **extra})
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(error["loc"])
                where = ".".join(str(part) for part in (at, *loc) if part != "") or "(file)"
                self.problem(path, yamlfile.line_of(data, loc), f"{where}: {error['msg']}")
        return None


def _read_registry(reader: _Reader) -> dict[str, SourceEntry]:
    path = reader.root / SOURCES_FILE
    if not path.exists():
        return {}
    data = reader.yaml(path)
    if not isinstance(data, list):
        if data is not None:
            message = "expected a list of sources, each starting with '- id: ...'"
            reader.problem(path, getattr(data, "line", None), message)
        return {}
    registry: dict[str, SourceEntry] = {}
    for item in data:
        named = item.get("id") if isinstance(item, dict) else None
        entry = reader.model(SourceEntry, item, path, at=named if isinstance(named, str) else "")
        if entry is None:
            continue
        line = getattr(item, "line", None)
        if entry.id in registry:
            reader.problem(path, line, f"source id {entry.id!r} is used twice")
            continue
        reader.origin(f"source:{entry.id}", path, line)
        for key, key_line in getattr(item, "lines", {}).items():
            reader.origin(f"source:{entry.id}:{key}", path, key_line)
        registry[entry.id] = entry
    return registry


def _read_contacts(reader: _Reader) -> dict[str, Contact]:
    path = reader.root / CONTACTS_FILE
    if not path.exists():
        return {}
    data = reader.yaml(path)
    items = data.get("contacts") if isinstance(data, dict) else None
    if not isinstance(items, list):
        if data is not None:
            message = "expected 'contacts:' and a list of numbers, each starting with '- id: ...'"
            reader.problem(path, getattr(data, "line", None), message)
        return {}
    contacts: dict[str, Contact] = {}
    for item in items:
        named = item.get("id") if isinstance(item, dict) else None
        contact = reader.model(Contact, item, path, at=str(named) if named else "")
        if contact is None:
            continue
        line = getattr(item, "line", None)
        if contact.id in contacts:
            reader.problem(path, line, f"contact id {contact.id!r} is used twice")
            continue
        reader.origin(f"contact:{contact.id}", path, line)
        for key, key_line in getattr(item, "lines", {}).items():
            reader.origin(f"contact:{contact.id}:{key}", path, key_line)
        contacts[contact.id] = contact
    return contacts


def _cited(reader: _Reader, data: Any, path: Path) -> dict[str, Any]:
    """`sources:` with each `- source: <id>` in it replaced by that registry entry, cited."""
    items = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(items, list) or not any(_is_citation(item) for item in items):
        return {}
    sources: list[Any] = []
    for index, item in enumerate(items):
        if not _is_citation(item):
            sources.append(item)
            continue
        citation = reader.model(Citation, item, path, at=f"sources.{index}")
        entry = reader.registry.get(citation.source) if citation else None
        if citation and entry:
            sources.append(entry.cited(citation.place))
            continue
        if citation:
            message = (
                f"sources.{index}: unknown source {citation.source!r}: correct the id "
                f"or add the source to {reader.rel(reader.root / SOURCES_FILE)}"
            )
            reader.problem(path, getattr(item, "line", None), message, kind="links")
        # A stand-in keeps one wrong citation to one error; with an error nothing is published.
        sources.append(Source(title="?", source=str(item["source"])))
    return {"sources": sources}


def _is_citation(item: Any) -> bool:
    return isinstance(item, dict) and "source" in item


def _split_front_matter(text: str) -> tuple[str, str, int]:
    """(front matter, body, line where the body starts) of a Markdown file."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER:
        raise yamlfile.YamlError("must start with a '---' line, then 'title: ...', then '---'", 1)
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == FRONT_MATTER:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]).strip(), index + 2
    raise yamlfile.YamlError("the front matter is never closed with a '---' line", 1)


def _read_sections(reader: _Reader) -> tuple[Section, ...]:
    path = reader.root / "sections.yaml"
    data = reader.yaml(path)
    if not isinstance(data, list):
        if data is not None:
            reader.problem(path, None, "expected a list of sections")
        return ()
    sections = []
    for item in data:
        section = reader.model(Section, item, path)
        if section:
            reader.origin(f"section:{section.id}", path, getattr(item, "line", None))
            _text_origins(reader, f"section:{section.id}", item, "title", path)
            sections.append(section)
    return tuple(sections)


def _read_text(reader: _Reader, path: Path) -> ArticleText | None:
    try:
        head, body, body_line = _split_front_matter(path.read_text(encoding="utf-8"))
        meta = yamlfile.parse(head, line_offset=1) or {}
    except yamlfile.YamlError as exc:
        reader.problem(path, exc.line, str(exc))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reader.problem(path, None, f"cannot be read: {exc}")
        return None
    if isinstance(meta, dict):
        meta = yamlfile.LineDict(meta) if not isinstance(meta, yamlfile.LineDict) else meta
        meta_lines = {key: line + 1 for key, line in meta.lines.items()}
        meta.lines = meta_lines
    reader.origin(f"text:{path.parent.name}:{path.stem}", path, body_line)
    body, unknown = placeholders.expand(body, reader.contacts)
    for line, contact_id in unknown:
        message = (
            f"{{contact:{contact_id}}}: no contact {contact_id!r} in "
            f"{reader.rel(reader.root / CONTACTS_FILE)}"
        )
        reader.problem(path, body_line + line - 1, message, kind="links")
    return reader.model(ArticleText, meta, path, body=body)


def _read_examples(reader: _Reader, folder: Path) -> dict[str, tuple[str, ...]]:
    """`examples.yaml`: a mapping of language to a list of questions; each one's line is kept,
    so that `jol content check` can point at a question two articles share."""
    path = folder / EXAMPLES_FILE
    if not path.exists():
        return {}
    data = reader.yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        reader.problem(path, None, "expected a mapping of language to a list of questions")
        return {}
    raw = path.read_text(encoding="utf-8").splitlines()
    examples: dict[str, tuple[str, ...]] = {}
    for locale, items in data.items():
        line = data.lines.get(locale) if isinstance(data, yamlfile.LineDict) else None
        if locale not in LOCALES:
            reader.problem(path, line, f"unknown language {locale!r}; use one of {LOCALES}")
            continue
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            reader.problem(path, line, f"{locale}: expected a list of questions (text)")
            continue
        examples[locale] = tuple(item.strip() for item in items)
        at = line or 1
        for number, item in enumerate(examples[locale]):
            # The first line from the language's key on that holds the question.
            found = next((n for n in range(at, len(raw) + 1) if item in raw[n - 1]), line or None)
            reader.origin(f"example:{folder.name}:{locale}:{number}", path, found)
            at = found or at
    return examples


def _read_article(reader: _Reader, folder: Path) -> Article | None:
    meta_path = folder / "meta.yaml"
    if not meta_path.exists():
        reader.problem(folder, None, "an article folder needs a meta.yaml")
        return None
    data = reader.yaml(meta_path)
    texts = {}
    for path in sorted(folder.glob("*.md")):
        if path.stem not in LOCALES:
            reader.problem(path, None, f"unknown language {path.stem!r}; use one of {LOCALES}")
            continue
        text = _read_text(reader, path)
        if text:
            texts[path.stem] = text
    if data is None:
        return None
    reader.origin(f"article:{folder.name}", meta_path, None)
    for key, line in getattr(data, "lines", {}).items():
        reader.origin(f"article:{folder.name}:{key}", meta_path, line)
    _item_origins(reader, f"article:{folder.name}:verify", data, meta_path)
    keywords = data.get("keywords") if isinstance(data, dict) else None
    for locale, line in getattr(keywords, "lines", {}).items():
        reader.origin(f"article:{folder.name}:keywords:{locale}", meta_path, line)
    cited = _cited(reader, data, meta_path)
    examples = _read_examples(reader, folder)
    article = reader.model(
        Article, data, meta_path, id=folder.name, texts=texts, examples=examples, **cited
    )
    if article and FALLBACK_LOCALE not in texts:
        reader.problem(folder, None, f"needs {FALLBACK_LOCALE}.md: it is what others fall back to")
        return None
    return article


def _text_origins(reader: _Reader, key: str, data: Any, field: str, path: Path) -> None:
    """The line of each language of a text written per language, e.g. `name: {kk: ..}`."""
    texts = data.get(field) if isinstance(data, dict) else None
    for locale, line in getattr(texts, "lines", {}).items():
        reader.origin(f"{key}:{field}:{locale}", path, line)


def _item_origins(reader: _Reader, key: str, data: Any, path: Path) -> None:
    """The line of each `verify:` item written as a mapping, so each is reported at its own."""
    items = data.get("verify") if isinstance(data, dict) else None
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, yamlfile.LineDict):
            reader.origin(f"{key}:{index}", path, item.line)


def _read_centres(reader: _Reader, path: Path) -> tuple[City | None, list[Centre]]:
    data = reader.yaml(path)
    if data is None:
        return None, []
    if not isinstance(data, dict) or "city" not in data:
        reader.problem(path, None, "expected 'city:' and 'centres:'")
        return None, []
    city = reader.model(City, data["city"], path)
    if city:
        reader.origin(f"city:{city.id}", path, yamlfile.line_of(data, ("city",)))
        _text_origins(reader, f"city:{city.id}", data["city"], "name", path)
    centres = []
    for item in data.get("centres") or []:
        cited = _cited(reader, item, path)
        centre = reader.model(Centre, item, path, city=city.id if city else "", **cited)
        if centre:
            reader.origin(f"centre:{centre.id}", path, getattr(item, "line", None))
            for key, line in getattr(item, "lines", {}).items():
                reader.origin(f"centre:{centre.id}:{key}", path, line)
            _item_origins(reader, f"centre:{centre.id}:verify", item, path)
            _text_origins(reader, f"centre:{centre.id}", item, "name", path)
            centres.append(centre)
    return city, centres


def read(root: Path, policy: Policy | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Read everything under `root`; the catalog is None when there are errors."""
    reader = _Reader(root)
    if not root.is_dir():
        reader.problem(root, None, "the content folder does not exist")
        return None, reader.problems
    sections = _read_sections(reader)
    reader.registry = _read_registry(reader)
    reader.contacts = _read_contacts(reader)
    articles: dict[str, Article] = {}
    articles_dir = root / "articles"
    folders = (
        sorted(p for p in articles_dir.iterdir() if p.is_dir()) if articles_dir.is_dir() else []
    )
    for folder in folders:
        article = _read_article(reader, folder)
        if article:
            articles[article.id] = article
    cities: dict[str, City] = {}
    centres: dict[str, Centre] = {}
    for path in sorted((root / "centres").glob("*.yaml")):
        city, found = _read_centres(reader, path)
        if city:
            if city.id in cities:
                reader.problem(path, None, f"city {city.id!r} is defined twice")
            cities[city.id] = city
        for centre in found:
            if centre.id in centres:
                reader.problem(path, None, f"centre id {centre.id!r} is used twice")
            centres[centre.id] = centre
    catalog = Catalog(
        sections, articles, cities, centres, reader.origins, reader.registry, reader.contacts
    )
    reader.problems.extend(check_catalog(catalog, policy))
    if any(p.severity == "error" for p in reader.problems):
        return None, reader.problems
    return catalog, reader.problems


def load(root: Path) -> Catalog:
    """The catalog under `root`, or `ContentError` saying every place that is wrong."""
    catalog, problems = read(root)
    if catalog is None:
        raise ContentError(problems)
    return catalog
