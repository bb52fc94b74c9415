"""The normalisation rules, case by case: every spelling of a word folds to one skeleton."""

import unicodedata

import pytest

from bot.search.normalise import fold, words
from bot.search.stems import stem


def same(*spellings: str) -> None:
    folded = {spelling: fold(spelling) for spelling in spellings}
    assert len(set(folded.values())) == 1, folded


@pytest.mark.parametrize("apostrophe", ["ʻ", "'", "‘", "`", "’", "ʼ", ""])
def test_uzbek_o_and_g_with_any_apostrophe_or_none(apostrophe):
    assert fold(f"yo{apostrophe}q") == fold("yoʻq")
    assert fold(f"qo{apostrophe}ng{apostrophe}iroq") == fold("qoʻngʻiroq")
    assert fold(f"Qozog{apostrophe}iston") == fold("Qozogʻiston")


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("ўзбек", "oʻzbek"),
        ("ёрдам", "yordam"),
        ("ҳужжат", "hujjat"),
        ("қўйди", "qoʻydi"),
        ("шартнома", "shartnoma"),
        ("чет эл", "chet el"),
        ("ишчи", "ishchi"),
        ("полиция", "politsiya"),
    ],
)
def test_uzbek_cyrillic_and_latin_meet(cyrillic, latin):
    same(cyrillic, latin)


@pytest.mark.parametrize(
    ("special", "plain"),
    [("қ", "к"), ("ғ", "г"), ("ү", "у"), ("ұ", "у"), ("ә", "а"), ("ө", "о"), ("і", "и")],
)
def test_kazakh_special_letters_typed_without_them(special, plain):
    assert fold(special) == fold(plain)


@pytest.mark.parametrize(("special", "plain"), [("ң", "н"), ("һ", "х")])
def test_kazakh_rarer_letters_typed_without_them(special, plain):
    assert fold(special) == fold(plain)


@pytest.mark.parametrize(
    "spellings",
    [
        ("жалақы", "жалакы", "jalaqy", "zhalaky", "ZHALAQY"),
        ("шағым", "шагым", "şağym", "shagym"),
        ("төлқұжат", "толкужат", "tölqūjat", "tolqujat"),
        ("еңбек", "енбек", "eñbek", "enbek"),
        ("Қазақстан", "Казакстан", "Qazaqstan"),
    ],
)
def test_kazakh_in_cyrillic_with_and_without_special_letters_and_both_latin_alphabets(spellings):
    same(*spellings)


@pytest.mark.parametrize(
    ("special", "plain"), [("ӣ", "и"), ("ӯ", "у"), ("ҳ", "х"), ("ҷ", "ч"), ("қ", "к"), ("ғ", "г")]
)
def test_tajik_special_letters_typed_without_them(special, plain):
    assert fold(special) == fold(plain)


@pytest.mark.parametrize(
    "spellings",
    [
        ("ҳуҷҷат", "хуччат"),
        ("бақайдгирӣ", "бакайдгири"),
        ("шиноснома", "shinosnoma"),
        ("мӯҳлат", "мухлат", "muhlat"),
    ],
)
def test_tajik_words_without_special_letters_or_in_latin(spellings):
    same(*spellings)


@pytest.mark.parametrize(
    ("russian", "latin"),
    [
        ("зарплата", "zarplata"),
        ("полиция", "policiya"),
        ("жена", "zhena"),
        ("школа", "shkola"),
        ("что", "chto"),
        ("хорошо", "xorosho"),
        ("хорошо", "khorosho"),
        ("щи", "shchi"),
        ("язык", "yazyk"),
        ("юрист", "yurist"),
        ("регистрация", "registratsiya"),
        ("работодатель", "rabotodatel'"),
        ("Казахстан", "Kazakhstan"),
        ("Казахстан", "Kazahstan"),
    ],
)
def test_russian_typed_in_latin_letters(russian, latin):
    same(russian, latin)


def test_case_and_decomposed_letters_do_not_matter():
    decomposed = unicodedata.normalize("NFD", "йўқ")
    assert decomposed != "йўқ"
    same("ЙЎҚ", "йўқ", decomposed)


def test_doubled_letters_fold_to_one():
    same("hujjat", "hujat")
    same("пасспорт", "паспорт")


def test_words_keep_apostrophes_inside_uzbek_words_and_split_the_rest():
    assert words("Pasport o'g'irlandi, 112! ўзбек-тили") == [
        "pasport",
        "o'g'irlandi",
        "112",
        "ўзбек",
        "тили",
    ]


@pytest.mark.parametrize(
    ("inflected", "plain", "language"),
    [
        ("зарплату", "зарплата", "ru"),
        ("паспорта", "паспорт", "ru"),
        ("паспортымды", "паспорт", "kk"),
        ("құжаттарды", "құжат", "kk"),
        ("pasportimni", "pasport", "uz"),
        ("hujjatlarni", "hujjat", "uz"),
        ("шиносномаро", "шиноснома", "tg"),
        ("ҳуҷҷатҳо", "ҳуҷҷат", "tg"),
    ],
)
def test_word_endings_come_off_in_each_language(inflected, plain, language):
    assert stem(inflected, language) == stem(plain, language)


@pytest.mark.parametrize(
    ("word", "language", "kept"),
    [("Қазақстанда", "kk", "kazakstan"), ("паспорт", "kk", "pasport"), ("patent", "uz", "patent")],
)
def test_endings_never_eat_into_the_stem(word, language, kept):
    assert stem(word, language) == kept
