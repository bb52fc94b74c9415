"""The termbase, sentence length, verify items and contacts, on purpose-made broken copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.catalog.termbase import SENTENCE_LIMITS
from bot.editors.report import full_check
from tests.conftest import FIXTURE_CONTENT, LOCALES_DIR
from tests.editors.files import edit, line_with

TERMBASE = """\
terms:
  - id: police
    tg: {use: "полис", avoid: ["полиция", "полиса"]}
  - id: cancelled
    kk: {use: "Тоқтатылды", avoid: ["Болдырылмады"]}
  - id: permit
    uz: {use: "ruxsatnoma", avoid: ["ishga ruxsat"]}
abbreviations:
  - short: "ЦОН"
    locale: ru
    full: "Центр обслуживания населения"
  - short: "ҮЕҰ"
    locale: kk
    full: "үкіметтік емес ұйым"
"""
RU = "articles/first-steps/ru.md"
KK = "articles/first-steps/kk.md"
TG = "articles/first-steps/tg.md"
UZ = "articles/first-steps/uz.md"
BODY = "Body of first steps in {} with <b>bold</b> text."


@pytest.fixture
def content(tmp_path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, copy)
    (copy / "termbase.yaml").write_text(TERMBASE, encoding="utf-8")
    return copy


@pytest.fixture
def locales(tmp_path) -> Path:
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, copy)
    return copy


def kind(report, name: str, severity: str = "error") -> list:
    return [p for p in report.problems if p.kind == name and p.severity == severity]


def test_the_fixture_with_a_termbase_has_no_term_problems(content):
    report = full_check(content, LOCALES_DIR)
    assert not report.errors
    assert not kind(report, "terms", "warning")


def test_an_avoided_variant_is_an_error_at_its_line_whole_words_only(content):
    edit(content / TG, BODY.format("tg"), "Ба Полиция занг занед.\nПолисаҳо не. Полиси шаҳр.")
    report = full_check(content, LOCALES_DIR)
    [error] = kind(report, "terms")
    assert error.where == f"content/{TG}:4"  # "Полиция", whatever its case
    assert "«полиция»" in error.message and "«полис»" in error.message
    assert report.context is None  # nothing with an error is published


def test_an_avoided_variant_is_found_with_any_uzbek_apostrophe_and_not_in_other_languages(
    content,
):
    edit(content / UZ, BODY.format("uz"), "Sizga Ishga ruxsat kerak.")
    edit(content / KK, BODY.format("kk"), "ishga ruxsat")  # only Uzbek avoids it
    [error] = kind(full_check(content, LOCALES_DIR), "terms")
    assert error.where == f"content/{UZ}:4"


def test_an_abbreviation_not_spelled_out_at_first_use_is_a_warning(content):
    edit(
        content / RU,
        BODY.format("ru"),
        "Первая строка.\nИдите в ЦОН.\nЦентр обслуживания населения.",
    )
    report = full_check(content, LOCALES_DIR)
    [warning] = kind(report, "terms", "warning")
    assert warning.where == f"content/{RU}:5"
    assert "Центр обслуживания населения (ЦОН)" in warning.message
    assert not report.errors


@pytest.mark.parametrize(
    "text",
    [
        "Идите в Центр обслуживания населения (ЦОН). Потом в ЦОН.",
        "Идите в ЦОН (Центр обслуживания населения).",
        "В центре обслуживания населения, или ЦОН, помогут.",
    ],
)
def test_an_abbreviation_spelled_out_before_or_with_it_is_fine(content, text):
    edit(content / RU, BODY.format("ru"), text)
    assert not kind(full_check(content, LOCALES_DIR), "terms", "warning")


def test_an_abbreviation_alone_on_a_button_is_an_error(content, locales):
    edit(content / "sections.yaml", "tg: Пеш аз сафар", "tg: Пеш аз сафар")  # untouched
    edit(content / "sections.yaml", "kk: Сіздің құқықтарыңыз", "kk: ҮЕҰ көмегі")
    edit(content / "centres/almaty.yaml", "name: {kk: City kk,", "name: {kk: ҮЕҰ,")
    po = locales / "kk/LC_MESSAGES/messages.po"
    edit(po, 'msgstr "Басты мәзір"', 'msgstr "ҮЕҰ мәзірі"')
    report = full_check(content, locales)
    places = {p.where for p in kind(report, "terms")}
    assert places == {
        f"content/sections.yaml:{line_with(content / 'sections.yaml', 'ҮЕҰ')}",
        f"content/centres/almaty.yaml:{line_with(content / 'centres/almaty.yaml', 'ҮЕҰ')}",
        f"locales/kk/LC_MESSAGES/messages.po:{line_with(po, 'ҮЕҰ') - 1}",
    }
    assert all("alone on a button" in p.message for p in kind(report, "terms"))


def test_a_spelled_out_abbreviation_on_a_button_is_fine(content):
    edit(content / "sections.yaml", "kk: Сіздің құқықтарыңыз", "kk: Үкіметтік емес ұйым (ҮЕҰ)")
    assert not kind(full_check(content, LOCALES_DIR), "terms")


@pytest.mark.parametrize(("locale", "path"), [("ru", RU), ("tg", TG)])
def test_a_sentence_over_the_limit_is_a_warning_at_its_line(content, locale, path):
    limit = SENTENCE_LIMITS[locale]
    just = " ".join(["слово"] * limit) + "."
    over = " ".join(["слово"] * (limit + 1)) + "!"
    edit(content / path, BODY.format(locale), f"{just}\n\n<b>{over}</b> Short one.")
    report = full_check(content, LOCALES_DIR)
    [warning] = [p for p in kind(report, "sentences", "warning") if p.path.endswith(path)]
    assert warning.where == f"content/{path}:6"
    assert f"{limit + 1} words (over {limit} in {locale})" in warning.message
    assert not report.errors


def test_a_verify_detail_missing_a_language_is_an_error(content):
    meta = content / "articles/know-rights/meta.yaml"
    edit(meta, '      tg: "Fee tg: confirm it"\n', "")
    report = full_check(content, LOCALES_DIR)
    [error] = report.errors
    assert error.where == f"content/articles/know-rights/meta.yaml:{line_with(meta, '- detail')}"
    assert "`detail` has no tg text" in error.message


def test_a_plain_string_verify_item_is_a_warning_that_it_names_no_detail(content):
    report = full_check(content, LOCALES_DIR)
    plain = [p for p in kind(report, "verify", "warning") if "a fact still to confirm" in p.message]
    [warning] = plain
    assert "verify item names no reader-facing detail" in warning.message


def test_a_centre_with_only_an_editors_note_is_warned_about(content):
    path = content / "centres/almaty.yaml"
    edit(
        path,
        "    verify:\n      - detail: "
        "{kk: Office kk, ru: Office ru, uz: Office uz, tg: Office tg}\n"
        '        check: "the office\'s address"\n',
        "",
    )
    edit(
        path,
        "verification: {status: unverified, date: 2026-11-25}\n    sources",
        "verification: {status: unverified, date: 2026-11-25, note: call them}\n    sources",
    )
    report = full_check(content, LOCALES_DIR)
    [warning] = [p for p in kind(report, "verify", "warning") if "almaty-quiet" in p.message]
    assert "call them" in warning.message and "names no reader-facing detail" in warning.message


def test_an_unknown_contact_placeholder_is_an_error_at_its_line(content):
    path = content / RU
    edit(path, BODY.format("ru"), "Line one.\nCall {contact:911} now.")
    report = full_check(content, LOCALES_DIR)
    [error] = report.errors
    assert error.where == f"content/{RU}:5" and error.kind == "links"
    assert "'911'" in error.message


def test_an_unknown_contact_on_a_centre_and_an_unknown_source_of_a_contact_are_errors(content):
    edit(content / "centres/almaty.yaml", 'contacts: ["1414"]', 'contacts: ["1415"]')
    edit(content / "contacts.yaml", "source: test-directory", "source: nowhere")
    messages = sorted(p.message for p in full_check(content, LOCALES_DIR).errors)
    assert len(messages) == 2
    assert "no contact '1415'" in messages[0] + messages[1]
    assert "unknown source 'nowhere'" in messages[0] + messages[1]


def test_confirmed_short_numbers_with_a_source_are_not_doubted(content):
    # 1414 and 111 are not in the phone-number data, but contacts.yaml cites their source.
    edit(content / "contacts.yaml", 'number: "1414"', 'number: "111"')
    report = full_check(content, LOCALES_DIR)
    assert not [p for p in report.problems if p.kind == "facts"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    country: kg\n", "", "needs `country: uz|tj|kg`"),
        ("    kind: consulate\n", "    kind: ngo\n", "needs `country: uz|tj|kg`"),
    ],
)
def test_a_consulate_names_its_country_and_nothing_else_does(content, old, new, message):
    edit(content / "centres/astana.yaml", old, new)
    [error] = full_check(content, LOCALES_DIR).errors
    assert message in error.message


def test_an_exact_place_needs_an_address(content):
    path = content / "centres/almaty.yaml"
    quiet = "verify:\n      - detail: {kk: Office"
    tail = "\n    verification: {status: unverified, date: 2026-11-25}\n    " + quiet
    edit(path, "precision: city" + tail, "precision: exact" + tail)
    [error] = full_check(content, LOCALES_DIR).errors
    assert "`precision: exact` needs an `address`" in error.message


def test_an_avoided_variant_in_an_interface_string_is_an_error(content, locales):
    po = locales / "kk/LC_MESSAGES/messages.po"
    edit(po, 'msgstr "Тоқтатылды."', 'msgstr "Болдырылмады."')
    [error] = kind(full_check(content, locales), "terms")
    assert error.where == f"locales/kk/LC_MESSAGES/messages.po:{line_with(po, 'Болдырылмады') - 1}"


def test_the_real_content_and_interface_follow_the_real_termbase():
    from tests.conftest import CONTENT_DIR

    report = full_check(CONTENT_DIR, LOCALES_DIR)
    assert not kind(report, "terms")
    assert not report.errors


def test_an_unknown_contact_in_a_section_is_an_error(content):
    edit(content / "sections.yaml", 'contacts: ["112"]', 'contacts: ["112", "999"]')
    [error] = full_check(content, LOCALES_DIR).errors
    assert "no contact '999'" in error.message and error.path == "content/sections.yaml"


def test_content_stats_count_places_by_what_is_known(content):
    from bot.editors.coverage import format_coverage

    text = format_coverage(full_check(content, LOCALES_DIR))
    expected = (
        "Places: 5 in 2 cities, 3 with an address, 2 verified; 1 historical; 4 phone numbers."
    )
    assert expected in text


def test_a_number_not_in_international_form_is_an_error(content):
    edit(content / "contacts.yaml", '"+7 701 123 4567"', '"8 701 123 4567"')
    [error] = full_check(content, LOCALES_DIR).errors
    assert "international form" in error.message
    assert error.where == "content/contacts.yaml:17"


def test_a_place_known_only_by_its_city_stands_at_the_citys_point(content):
    path = content / "centres/almaty.yaml"
    rest = "\n    precision: city\n    verification: {status: unverified, date: 2026-11-25}\n"
    quiet = rest + "    verify:\n      - detail: {kk: Office"
    edit(path, "location: [43.2380, 76.9450]" + quiet, "location: [43.3000, 76.9450]" + quiet)
    [error] = full_check(content, LOCALES_DIR).errors
    assert "known only by its city" in error.message and "almaty-quiet" in error.message
