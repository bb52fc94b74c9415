"""Search on the real content: however a question is typed, it finds the article it asks for."""

import shutil

import pytest

from bot.catalog import loader
from bot.search import SearchIndex, asks_anything, search
from bot.search.rank import MAX_QUERY_CHARS, MAX_WORDS, question_words
from bot.snapshot import SnapshotHolder, load_context
from tests.conftest import FIXTURE_CONTENT, LOCALES_DIR


def first(ctx, text, locale):
    hits = search(ctx.search, text, locale)
    return hits[0].article if hits else None


@pytest.mark.parametrize(
    ("locale", "spellings", "article"),
    [
        (
            "uz",
            ["pasportni yoʻqotdim", "pasportni yo'qotdim", "паспортни йўқотдим"],
            "lost-documents",
        ),
        ("uz", ["ish haqi toʻlanmadi", "ish xaqi to`lanmadi", "иш ҳақи тўланмади"], "unpaid-wages"),
        (
            "kk",
            ["паспортымды жоғалттым", "паспортымды жогалттым", "pasportymdy joğalttym"],
            "lost-documents",
        ),
        ("kk", ["жалақы төлемейді", "жалакы толемейди", "zhalaqy tolemeidi"], "unpaid-wages"),
        ("tg", ["шиноснома гум шуд", "shinosnoma gum shud"], "lost-documents"),
        ("tg", ["ҳуқуқҳои ман вайрон шуд", "хукукхои ман вайрон шуд"], "rights-violated"),
        ("ru", ["задержала полиция", "zaderzhala policiya", "zaderjala politsiya"], "detained"),
        ("ru", ["не платят зарплату", "ne platyat zarplatu"], "unpaid-wages"),
    ],
)
def test_every_script_and_spelling_finds_the_same_article(real_ctx, locale, spellings, article):
    assert {spelling: first(real_ctx, spelling, locale) for spelling in spellings} == dict.fromkeys(
        spellings, article
    )


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("работадатель забрал пасспорт", "passport-taken"),
        ("шкла для детей", "children-school"),
        ("трудавой дагавор", "employment-contract"),
        ("пенсея", "pensions-eaeu"),
        ("мошеники агенство", "recruitment-fraud"),
    ],
)
def test_typos_are_forgiven(real_ctx, question, article):
    assert first(real_ctx, question, "ru") == article


@pytest.mark.parametrize("locale", ["uz", "tg", "kk"])
def test_a_russian_question_from_another_interface_finds_the_russian_text(real_ctx, locale):
    for question, article in [
        ("забрали паспорт", "passport-taken"),
        ("как отправить деньги домой", "money-transfers"),
    ]:
        assert first(real_ctx, question, locale) == first(real_ctx, question, "ru") == article


def test_up_to_four_articles_best_first(real_ctx):
    hits = search(real_ctx.search, "патент", "ru")
    assert 2 <= len(hits) <= 4
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].words == ("патент",)


@pytest.mark.parametrize(
    "question", ["рецепт плова", "ывапролдж", "ertaga ob-havo qanday", "йцукен", "x" * 5000]
)
def test_questions_the_content_does_not_answer_find_nothing(real_ctx, question):
    assert search(real_ctx.search, question, "ru") == []


@pytest.mark.parametrize("text", ["привет", "Salom!", "спасибо", "👍", "??", "ташаккур"])
def test_greetings_and_emoji_ask_nothing(text):
    assert not asks_anything(text)


def test_a_question_asks_something():
    assert asks_anything("привет, где консульство?")


def test_only_the_start_of_a_very_long_text_is_read():
    text = "паспорт " * 50 + " ".join(f"слово{n}" for n in range(10_000))
    found = question_words(text)
    assert len(found) <= MAX_WORDS
    assert found == question_words(text[:MAX_QUERY_CHARS])


def test_a_huge_text_still_gets_an_answer(real_ctx):
    assert first(real_ctx, "потерял паспорт " + "а" * 100_000, "ru") == "lost-documents"


def edit_keywords(content, article, line):
    meta = content / "articles" / article / "meta.yaml"
    text = meta.read_text(encoding="utf-8")
    if "keywords:\n" not in text:
        text += "keywords:\n"
    meta.write_text(text.replace("keywords:\n", f"keywords:\n{line}\n"), encoding="utf-8")


def test_editors_keywords_count(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    before = SearchIndex.build(loader.load(content))
    assert search(before, "навруз", "tg") == []
    edit_keywords(content, "know-rights", "  tg: [навруз, идҳои миллӣ]")
    after = SearchIndex.build(loader.load(content))
    assert [hit.article for hit in search(after, "навруз", "tg")] == ["know-rights"]
    assert [hit.article for hit in search(after, "idhoi milli", "uz")] == ["know-rights"]


def test_the_index_follows_the_snapshot_on_reload(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    holder = SnapshotHolder(load_context(content, LOCALES_DIR), content, LOCALES_DIR)
    old = holder.current
    edit_keywords(content, "first-steps", "  uz: [qovun]")
    published = holder.reload()
    assert published.ok
    fresh = holder.current
    assert fresh is published.context
    assert fresh.search is not old.search
    assert search(old.search, "qovun", "uz") == []
    assert [hit.article for hit in search(fresh.search, "qovun", "uz")] == ["first-steps"]
    assert fresh.search is fresh.search  # built once per snapshot
