"""The editors' check catches each kind of mistake, on purpose-made broken copies of a catalog."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.catalog.rules import Policy
from bot.editors.report import format_report, full_check
from bot.editors.stamp import stamp
from tests.conftest import CONTENT_DIR, FIXTURE_CONTENT, LOCALES_DIR
from tests.editors.files import edit


@pytest.fixture
def content(tmp_path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, copy)
    return copy


@pytest.fixture
def locales(tmp_path) -> Path:
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, copy)
    return copy


FIRST = "articles/first-steps"
ALMATY = "centres/almaty.yaml"

# (what breaks, file, old text, new text, expected kind, expected place "file:line" or "file")
ERRORS = [
    ("bad YAML", f"{FIRST}/meta.yaml", "order: 10", "order: [10", "schema", f"{FIRST}/meta.yaml:"),
    (
        "wrong type",
        f"{FIRST}/meta.yaml",
        "order: 10",
        "order: ten",
        "schema",
        f"{FIRST}/meta.yaml:2",
    ),
    (
        "no date",
        f"{FIRST}/meta.yaml",
        "reviewed: 2026-11-20",
        "reviewed: soon",
        "schema",
        f"{FIRST}/meta.yaml:3",
    ),
    (
        "no sources",
        f"{FIRST}/meta.yaml",
        '  - title: "Test source one"\n    document: 000_7f43604f75c85bdf.txt\n    place: "310"',
        "  []",
        "schema",
        f"{FIRST}/meta.yaml",
    ),
    (
        "unknown key",
        f"{FIRST}/kk.md",
        "title:",
        "colour: red\ntitle:",
        "schema",
        f"{FIRST}/kk.md:2",
    ),
    ("no front matter", f"{FIRST}/uz.md", "---\n", "", "schema", f"{FIRST}/uz.md:1"),
    (
        "tag Telegram rejects",
        f"{FIRST}/tg.md",
        "<b>bold</b>",
        "<p>bold</p>",
        "html",
        f"{FIRST}/tg.md:4",
    ),
    ("unclosed tag", f"{FIRST}/ru.md", "<b>bold</b>", "<b>bold", "html", f"{FIRST}/ru.md:4"),
    ("unknown entity", f"{FIRST}/ru.md", "bold</b>", "bold</b> &nbsp;", "html", f"{FIRST}/ru.md:4"),
    (
        "broken link",
        f"{FIRST}/meta.yaml",
        "related: [know-rights]",
        "related: [gone]",
        "links",
        f"{FIRST}/meta.yaml",
    ),
    (
        "unknown section",
        f"{FIRST}/meta.yaml",
        "section: before",
        "section: nowhere",
        "links",
        f"{FIRST}/meta.yaml",
    ),
    (
        "review in the future",
        f"{FIRST}/meta.yaml",
        "reviewed: 2026-11-20",
        "reviewed: 2099-01-01",
        "review",
        f"{FIRST}/meta.yaml",
    ),
    (
        "coordinates in Moscow",
        ALMATY,
        "location: [43.2500, 76.9200]",
        "location: [55.75, 37.62]",
        "facts",
        f"{ALMATY}:20",
    ),
    (
        "invalid phone",
        "contacts.yaml",
        '"+7 701 123 4567"',
        '"+7 700 000"',
        "facts",
        "contacts.yaml:17",
    ),
    ("bad precision", ALMATY, "precision: exact", "precision: roughly", "schema", f"{ALMATY}:"),
]


@pytest.mark.parametrize(
    ("what", "file", "old", "new", "kind", "place"), ERRORS, ids=[e[0] for e in ERRORS]
)
def test_each_kind_of_error_is_reported_where_it_is(content, what, file, old, new, kind, place):
    assert not full_check(content, LOCALES_DIR).errors, "the fixture itself must be clean"
    edit(content / file, old, new)
    report = full_check(content, LOCALES_DIR)
    assert report.catalog is None, f"{what} must stop publishing"
    found = [p for p in report.errors if p.kind == kind and f"content/{place}" in p.where]
    assert found, f"{what}: expected a {kind} error at {place}, got {report.errors}"


def test_source_titles_may_be_per_language_and_must_be_readable(content):
    meta = content / FIRST / "meta.yaml"
    edit(meta, '  - title: "Test source one"', "  - title: {ru: Источник, kk: Дереккөз}")
    report = full_check(content, LOCALES_DIR)
    assert not report.errors
    missing = [p.message for p in report.warnings if p.path.endswith("first-steps/meta.yaml")]
    assert "a source title has no uz text yet" in missing
    edit(meta, "{ru: Источник, kk: Дереккөз}", '""')
    assert any("title users can read" in p.message for p in full_check(content, LOCALES_DIR).errors)


def test_a_missing_russian_text_is_an_error(content):
    (content / FIRST / "ru.md").unlink()
    report = full_check(content, LOCALES_DIR)
    assert any("needs ru.md" in p.message for p in report.errors)


def test_a_text_in_an_unknown_language_is_an_error(content):
    shutil.copy(content / FIRST / "ru.md", content / FIRST / "en.md")
    assert any("en.md" in p.path for p in full_check(content, LOCALES_DIR).errors)


def test_a_message_over_telegrams_limit_after_rendering_is_an_error(content):
    # The body alone fits in 4096 characters; the title and sources line push it over.
    edit(content / FIRST / "kk.md", "Body of first steps", "ж" * 4050)
    report = full_check(content, LOCALES_DIR)
    [problem] = [p for p in report.errors if p.kind == "length"]
    assert "first-steps in kk" in problem.message and problem.path.endswith("kk.md")


def test_missing_translations_and_things_to_verify_are_warnings(content):
    report = full_check(content, LOCALES_DIR)
    assert report.catalog is not None and not report.errors
    missing = [p.message for p in report.warnings if p.kind == "missing"]
    assert "article 'know-rights': no kk translation yet" in missing
    verify = [p.message for p in report.warnings if p.kind == "verify"]
    assert any(m.startswith("to verify: a fact still to confirm") for m in verify)
    assert "to verify: which branch to list" in verify


def test_an_overdue_review_is_a_warning_with_a_configurable_age(content):
    later = Policy(review_max_days=30, today=dt.date(2027, 1, 1))
    overdue = [p for p in full_check(content, LOCALES_DIR, later).warnings if p.kind == "review"]
    assert {p.path for p in overdue} == {
        "content/articles/first-steps/meta.yaml",
        "content/articles/know-rights/meta.yaml",
    }
    lenient = Policy(review_max_days=400, today=dt.date(2027, 1, 1))
    assert not [p for p in full_check(content, LOCALES_DIR, lenient).warnings if p.kind == "review"]


def test_a_translation_becomes_outdated_when_the_russian_text_changes(content):
    catalog = full_check(content, LOCALES_DIR).catalog
    changed = stamp(catalog, content, "first-steps", ["kk", "uz", "tg"])
    assert len(changed) == 3
    report = full_check(content, LOCALES_DIR)
    assert not [p for p in report.warnings if p.kind == "outdated"]

    edit(content / FIRST / "ru.md", "Body of first steps", "New body of first steps")
    outdated = [p for p in full_check(content, LOCALES_DIR).warnings if p.kind == "outdated"]
    assert sorted(p.path.rsplit("/", 1)[1] for p in outdated) == ["kk.md", "tg.md", "uz.md"]
    assert all(p.line == 2 for p in outdated)


def test_interface_strings_broken_or_untranslated_are_reported(content, locales):
    po = locales / "uz" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    start = text.index('msgid "Choose a topic:"')
    end = text.index("\n", text.index("msgstr", start))
    po.write_text(text[:start] + 'msgid "Choose a topic:"\nmsgstr ""' + text[end:], "utf-8")
    report = full_check(content, locales)
    assert any(
        p.kind == "locales" and "uz" in p.path and "Choose a topic:" in p.message
        for p in report.warnings
    )
    po.write_text('msgid "x"\nmsgstr "y"\nmsgid', encoding="utf-8")
    assert any(p.kind == "locales" and "uz" in p.path for p in full_check(content, locales).errors)


def test_the_report_groups_problems_and_says_whether_it_can_be_published(content):
    edit(content / FIRST / "meta.yaml", "order: 10", "order: ten")
    text = format_report(full_check(content, LOCALES_DIR))
    assert "ERRORS (must be fixed before publishing): 1" in text
    assert "Facts still to verify" in text
    assert text.strip().endswith("the content cannot be published.")


def test_the_real_content_is_publishable_in_every_language():
    report = full_check(CONTENT_DIR, LOCALES_DIR)
    assert not report.errors, format_report(report, show_warnings=False)
    assert len(report.catalog.articles) >= 30
    kinds = {p.kind for p in report.warnings}
    assert "missing" not in kinds and "outdated" not in kinds and "locales" not in kinds
    assert "unused" not in kinds


def test_too_few_example_questions_and_shared_ones_are_search_warnings(content):
    first = content / "articles" / "first-steps" / "examples.yaml"
    first.write_text(
        "ru: [что взять в дорогу, какие документы нужны, паспорт брать, копии документов, "
        "что нужно перед поездкой]\n"
        "kk: [бір, екі, үш, төрт, бес]\nuz: [a b, c d, e f, g h, i j]\n"
        "tg:\n  - чӣ гирам\n  - ҳуҷҷатҳо\n",
        encoding="utf-8",
    )
    other = content / "articles" / "know-rights" / "examples.yaml"
    other.write_text("ru:\n  - какие права у мигранта\n  - Какие документы нужны?\n", "utf-8")
    report = full_check(content, LOCALES_DIR)
    assert not report.errors
    search = [p for p in report.problems if p.kind == "search"]
    assert all(p.severity == "warning" for p in search)  # few examples, a shared example
    few = [p.message for p in search if "fewer than 5" in p.message]
    assert any("'first-steps': 2 example question(s) in tg" in m for m in few)
    assert not any("'first-steps'" in m and " in ru," in m for m in few)
    assert any("'know-rights': 0 example question(s) in kk" in m for m in few)
    [shared] = [p for p in search if "also in article" in p.message]
    assert shared.where == "content/articles/know-rights/examples.yaml:3"
    assert "content/articles/first-steps/examples.yaml:1" in shared.message
    assert "'Какие документы нужны?'" in shared.message


def test_an_examples_file_in_an_unknown_language_is_an_error(content):
    path = content / "articles" / "first-steps" / "examples.yaml"
    path.write_text("ru: [один вопрос]\nen: [a question]\n", encoding="utf-8")
    [error] = full_check(content, LOCALES_DIR).errors
    assert error.where == "content/articles/first-steps/examples.yaml:2"
    assert "unknown language 'en'" in error.message


def test_a_keyword_two_articles_share_is_a_note_not_a_warning(content):
    # first-steps has the keyword «паспорт»; know-rights takes it too.
    meta = content / "articles" / "know-rights" / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "keywords:\n  ru: [паспорт]\n", "utf-8")
    report = full_check(content, LOCALES_DIR)
    [shared] = [p for p in report.problems if "also in article" in p.message]
    assert shared.severity == "note" and shared not in report.warnings
    assert "'паспорт'" in shared.message
    assert "1 note(s)" in format_report(report)
