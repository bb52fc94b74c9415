"""Unanswered queries keep words, never what could identify a person."""

import subprocess
import sys

import pytest

from storage.scrub import MAX_LENGTH, scrub


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Как получить ИИН?", "как получить иин?"),
        ("мой номер +7 (701) 555-12-34 позвоните", "мой номер позвоните"),
        ("pishite na zarina.k@mail.ru pojaluysta", "pishite na pojaluysta"),
        ("patent 2024 narxi 15000 tenge", "patent narxi tenge"),
        ("паспорт N12345678 забрали", "паспорт n забрали"),
        ("напишите @zarina_tashkent или https://t.me/joinchat/abc", "напишите или"),
        ("Ишга қандай кираман", "ишга қандай кираман"),
        ("tel: +998 90 123 45 67 pasport", "tel: pasport"),
        ("пишите ivan.petrov@mail.ru или a_b+c@x.kz", "пишите или"),
        ("не платят 2 месяца, долг 150000 тенге", "не платят месяца, долг тенге"),
        ("  много\n\nпробелов\t ", "много пробелов"),
    ],
)
def test_digits_emails_phones_links_and_handles_go(typed, kept):
    assert scrub(typed) == kept


@pytest.mark.parametrize("typed", ["", "   ", "87015551234", "+7 701 555 12 34", "a@b.kz", "!!! ?"])
def test_nothing_readable_left_keeps_nothing(typed):
    assert scrub(typed) is None


def test_long_queries_are_cut_at_a_word():
    kept = scrub("регистрация " * 40)
    assert kept is not None and len(kept) <= MAX_LENGTH
    assert kept.split() == ["регистрация"] * len(kept.split())
    assert len(scrub("й" * 500)) == MAX_LENGTH


def test_the_core_can_scrub_without_loading_the_database_layer():
    code = (
        "import sys, bot.core, storage.scrub; "
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'aiogram') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_askers_own_names_are_taken_out():
    kept = scrub("Меня зовут Zarina Karimova, пишите zarina_k", ["Zarina", "Karimova", "zarina_k"])
    assert kept == "меня зовут пишите"
    assert scrub("Zarinaxon ishlaydi", ["Zarina", None, ""]) == "zarinaxon ishlaydi"
