"""Publishing refuses interface strings that cannot be read and a catalog that lost most of its
articles; the last good snapshot keeps serving."""

from __future__ import annotations

import shutil

import pytest

from bot.config import PROJECT_ROOT
from bot.editors.report import full_check
from bot.snapshot import SnapshotHolder, load_context
from tests.conftest import FIXTURE_CONTENT

PUBLISHED = "Published. Articles: {articles}, centres: {centres}."


@pytest.fixture
def files(tmp_path):
    """Copies of the fixture content and the real locales, for a test to break."""
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    shutil.copytree(PROJECT_ROOT / "locales", tmp_path / "locales")
    for extra in ("extra-1", "extra-2", "extra-3", "extra-4"):
        shutil.copytree(
            tmp_path / "content/articles/first-steps", tmp_path / f"content/articles/{extra}"
        )
    return tmp_path / "content", tmp_path / "locales"


def ru_po(locales):
    return locales / "ru" / "LC_MESSAGES" / "messages.po"


def broken_po(kind: str, original: bytes) -> bytes:
    return {
        "not utf-8": original.replace("Опубликовано".encode(), "Опубликовано".encode("cp1251")),
        "unknown charset": original.replace(b"charset=utf-8", b"charset=nonsense"),
        "emptied": b"",
        "cut in a string": original[: original.index("Опубликовано".encode()) + 5],
        "garbage line": original.replace(b'\nmsgid "', b'\nthis is not po\nmsgid "', 3),
    }[kind]


@pytest.mark.parametrize(
    "kind", ["not utf-8", "unknown charset", "emptied", "cut in a string", "garbage line"]
)
def test_an_unreadable_po_file_is_refused_with_its_file_and_line(files, kind):
    content, locales = files
    holder = SnapshotHolder(load_context(content, locales), content, locales)
    ru_po(locales).write_bytes(broken_po(kind, ru_po(locales).read_bytes()))

    result = holder.reload()
    assert not result.ok
    [problem] = [p for p in result.problems if p.severity == "error"]
    assert problem.path.endswith("locales/ru/LC_MESSAGES/messages.po")
    assert problem.line is not None or kind == "emptied"
    # Russian users still get Russian.
    assert holder.current.texts("ru").gettext(PUBLISHED).startswith("Опубликовано")
    assert full_check(content, locales).context is None  # `jol content check` says the same


def test_a_catalog_that_lost_most_articles_is_refused_unless_forced(files):
    content, locales = files
    holder = SnapshotHolder(load_context(content, locales), content, locales)
    assert len(holder.current.catalog.articles) == 6
    for extra in ("extra-1", "extra-2", "extra-3", "extra-4"):
        shutil.rmtree(content / "articles" / extra)

    refused = holder.reload()
    assert not refused.ok and len(holder.current.catalog.articles) == 6
    [problem] = refused.problems
    assert "only 2 of the 6 articles" in problem.message and "/reload force" in problem.message

    forced = holder.reload(force=True)
    assert forced.ok and len(holder.current.catalog.articles) == 2


def test_losing_half_or_less_is_an_edit_and_is_published(files):
    content, locales = files
    holder = SnapshotHolder(load_context(content, locales), content, locales)
    for extra in ("extra-1", "extra-2", "extra-3"):
        shutil.rmtree(content / "articles" / extra)
    assert holder.reload().ok and len(holder.current.catalog.articles) == 3


def test_an_emptied_articles_folder_is_an_error_even_for_content_check(files):
    content, locales = files
    holder = SnapshotHolder(load_context(content, locales), content, locales)
    shutil.rmtree(content / "articles")
    (content / "articles").mkdir()
    report = full_check(content, locales)
    assert any("there are no articles" in p.message for p in report.errors)
    assert not holder.reload(force=True).ok
    assert len(holder.current.catalog.articles) == 6
