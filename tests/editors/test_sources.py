"""Sources written once in `content/sources.yaml` and cited by id from articles and centres."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.actions import OpenArticle
from bot.editors.report import full_check
from bot.locales import LOCALES
from bot.snapshot import load_context
from tests.conftest import FIXTURE_CONTENT, LOCALES_DIR
from tests.core.factories import only_message, press
from tests.editors.files import edit, line_with

FIRST = "articles/first-steps/meta.yaml"
ALMATY = "centres/almaty.yaml"
SOURCES = "sources.yaml"

REGISTRY = """\
- id: test-paper
  kind: document
  document: 000_7f43604f75c85bdf.txt
  title:
    kk: "Сынақ мақаласы, 2021"
    ru: "Тестовая статья, 2021"
    uz: "Sinov maqolasi, 2021"
    tg: "Мақолаи санҷишӣ, 2021"
- id: test-ministry
  kind: official
  url: "https://example.org/ministry"
  title:
    kk: "Сынақ министрлігі"
    ru: "Тестовое министерство"
    uz: "Sinov vazirligi"
    tg: "Вазорати санҷишӣ"
- id: test-directory
  kind: official
  title:
    kk: "Сынақ анықтамалығы"
    ru: "Тестовый справочник"
    uz: "Sinov maʼlumotnomasi"
    tg: "Маълумотномаи санҷишӣ"
"""

INLINE = '  - title: "Test source one"'
CITATION = '  - source: test-paper\n    place: "270-272"\n'


@pytest.fixture
def content(tmp_path) -> Path:
    """The test catalog with a registry: first-steps cites the paper before its inline source,
    and the first Almaty centre cites the ministry."""
    copy = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, copy)
    (copy / SOURCES).write_text(REGISTRY, encoding="utf-8")
    edit(copy / FIRST, INLINE, CITATION + INLINE)
    edit(copy / ALMATY, 'sources: [{title: "Test source"}]', "sources: [{source: test-ministry}]")
    return copy


def source_problems(report, kind: str) -> list:
    return [p for p in report.problems if p.kind == kind and "source" in p.message]


def test_a_cited_source_is_shown_to_each_reader_in_their_language(content):
    ctx = load_context(content, LOCALES_DIR)
    shown = {
        locale: only_message(press(ctx, OpenArticle("first-steps"), locale=locale)).text
        for locale in LOCALES
    }
    assert "Сынақ мақаласы, 2021" in shown["kk"]
    assert "Тестовая статья, 2021" in shown["ru"]
    assert "Sinov maqolasi, 2021" in shown["uz"]
    assert "Мақолаи санҷишӣ, 2021" in shown["tg"]
    assert "Тестовая статья" not in shown["uz"] + shown["kk"] + shown["tg"]
    # the inline source next to it is shown as before
    assert all("Test source one" in text for text in shown.values())


def test_a_citation_keeps_its_own_place_and_takes_the_rest_from_the_registry(content):
    catalog = full_check(content, LOCALES_DIR).catalog
    cited, inline = catalog.articles["first-steps"].sources
    assert (cited.source, cited.document, cited.place) == (
        "test-paper",
        "000_7f43604f75c85bdf.txt",
        "270-272",
    )
    assert (inline.source, inline.shown("uz"), inline.place) == (None, "Test source one", "310")
    [ministry] = catalog.centres["almaty-exact"].sources
    assert ministry.shown("tg") == "Вазорати санҷишӣ"
    assert ministry.url == "https://example.org/ministry" and ministry.place is None


def test_the_registry_copy_of_the_fixture_is_clean(content):
    report = full_check(content, LOCALES_DIR)
    assert not report.errors
    assert not source_problems(report, "unused") and not source_problems(report, "missing")


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        (FIRST, "source: test-paper", "source: test-papr"),
        (ALMATY, "source: test-ministry", "source: test-ministy"),
    ],
    ids=["in an article", "in a centre"],
)
def test_an_unknown_source_id_is_one_error_at_its_file_and_line(content, file, old, new):
    edit(content / file, old, new)
    report = full_check(content, LOCALES_DIR)
    assert report.catalog is None
    [error] = report.errors
    wrong = new.split(": ")[1]
    assert error.where == f"content/{file}:{line_with(content / file, wrong)}"
    assert error.kind == "links" and f"unknown source {wrong!r}" in error.message


def test_a_source_nothing_cites_is_a_warning_at_its_entry(content):
    with (content / SOURCES).open("a", encoding="utf-8") as registry:
        registry.write(
            "- id: old-report\n  kind: press\n"
            "  title: {kk: Ескі, ru: Старый, uz: Eski, tg: Кӯҳна}\n"
        )
    edit(
        content / ALMATY, "sources: [{source: test-ministry}]", 'sources: [{title: "Test source"}]'
    )
    report = full_check(content, LOCALES_DIR)
    assert report.catalog is not None and not report.errors
    unused = {(p.where, p.severity) for p in source_problems(report, "unused")}
    assert unused == {
        (f"content/{SOURCES}:{line_with(content / SOURCES, 'id: old-report')}", "warning"),
        (f"content/{SOURCES}:{line_with(content / SOURCES, 'id: test-ministry')}", "warning"),
    }


def test_a_source_without_a_language_is_one_missing_warning_and_readers_see_russian(content):
    edit(content / SOURCES, '    uz: "Sinov maqolasi, 2021"\n', "")
    report = full_check(content, LOCALES_DIR)
    assert report.catalog is not None and not report.errors
    [missing] = source_problems(report, "missing")
    assert missing.severity == "warning"
    assert missing.where == f"content/{SOURCES}:4"  # the paper's `title:`, not each citation
    assert missing.message == "source 'test-paper': title has no uz text yet"
    ctx = load_context(content, LOCALES_DIR)
    assert (
        "Тестовая статья, 2021"
        in only_message(press(ctx, OpenArticle("first-steps"), locale="uz")).text
    )


# (what breaks, file, old text, new text, line of the error, part of the message)
ERRORS = [
    ("unknown kind", SOURCES, "kind: official", "kind: rumour", 10, "kind: Input should be"),
    ("id not a slug", SOURCES, "id: test-ministry", "id: Test Ministry", 9, "id: String should"),
    (
        "no title",
        SOURCES,
        '  title:\n    kk: "Сынақ м',
        '  titel:\n    kk: "Сынақ м',
        1,
        "title: Field required",
    ),
    ("no Russian title", SOURCES, '    ru: "Тестовое министерство"\n', "", 12, "needs a ru text"),
    (
        "document without its file",
        SOURCES,
        "  document: 000_7f43604f75c85bdf.txt\n",
        "",
        1,
        "needs `document:",
    ),
    (
        "id used twice",
        SOURCES,
        "id: test-ministry",
        "id: test-paper",
        9,
        "'test-paper' is used twice",
    ),
    ("not valid YAML", SOURCES, "kind: official", "kind: [official", None, "not valid YAML"),
    ("not a list", SOURCES, "- id: test-paper", "papers:\n- id: test-paper", 1, "expected a list"),
    (
        "a citation with a title",
        FIRST,
        "source: test-paper\n",
        "source: test-paper\n    title: Paper\n",
        6,
        "sources.0.title: Extra inputs",
    ),
    (
        "a citation without an id",
        FIRST,
        "source: test-paper",
        "source: [test-paper]",
        5,
        "sources.0.source: Input should",
    ),
]


@pytest.mark.parametrize(
    ("what", "file", "old", "new", "line", "message"), ERRORS, ids=[e[0] for e in ERRORS]
)
def test_mistakes_in_the_registry_and_in_citations_are_errors_with_file_and_line(
    content, what, file, old, new, line, message
):
    edit(content / file, old, new)
    report = full_check(content, LOCALES_DIR)
    assert report.catalog is None, f"{what} must stop publishing"
    found = [p for p in report.errors if p.path == f"content/{file}" and message in p.message]
    assert found, f"{what}: expected an error with {message!r} in {file}, got {report.errors}"
    if line is None:
        assert all(p.line for p in found)
    else:
        assert [p.line for p in found] == [line], found
