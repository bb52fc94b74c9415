"""What is kept of an unanswered question: never a phone number, e-mail, @name or digit."""

import pytest

from bot.search import scrub
from bot.search.scrub import LIMIT


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("позвоните мне +7 (701) 123-45-67 насчёт зарплаты", "позвоните мне насчёт зарплаты"),
        ("мой номер 87011234567", "мой номер"),
        ("tel: +998 90 123 45 67 pasport", "tel: pasport"),
        ("пишите ivan.petrov@mail.ru или a_b+c@x.kz", "пишите или"),
        ("спросите @ivan_99 или https://t.me/somebody", "спросите или"),
        ("паспорт AB1234567 потерял", "паспорт AB потерял"),
        ("не платят 2 месяца, долг 150000 тенге", "не платят месяца, долг тенге"),
        ("  много\n\nпробелов\t ", "много пробелов"),
    ],
)
def test_identifying_details_and_digits_are_removed(typed, kept):
    assert scrub(typed) == kept


def test_the_kept_question_is_capped():
    assert len(scrub("слово " * 1000)) <= LIMIT


def test_nothing_left_is_an_empty_string():
    assert scrub("+7 701 123 45 67") == ""
