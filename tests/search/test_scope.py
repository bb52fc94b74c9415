"""The out-of-scope model: what Jol does not cover is declined even with none of the words of
`decline` in intents.yaml, and questions about what it covers are not."""

from __future__ import annotations

import pytest

from bot.catalog.model import Catalog
from bot.search import SearchIndex
from bot.search.learned import learn
from bot.search.scope import OUT_OF_SCOPE
from bot.search.understand import understand


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        # None of these is in out_of_scope.yaml, and none has a word of `decline`.
        ("ru", "кто победил в евровидении"),
        ("ru", "какой сегодня день недели"),
        ("ru", "расскажи сказку"),
        ("kk", "ертегі айтып берші"),
        ("uz", "ertak aytib ber"),
        ("tg", "афсона гӯй"),
        ("ru", "сколько лет путину"),
    ],
)
def test_what_no_article_covers_is_declined(real_ctx, locale, text):
    assert text not in OUT_OF_SCOPE
    assert understand(real_ctx.search, text, locale).intent == "decline"


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("uz", "patent necha pul"),
        ("ru", "сколько стоит сделать рвп"),
        ("tg", "патент чанд пул"),
        ("kk", "патент қанша тұрады"),
        ("ru", "курсы русского языка для мигрантов"),
        ("ru", "на стройке работаем в жару без воды и без выходных это законно"),
        # Words that say nothing either way (`bo'ladi`, `болады`, `qaysi`) do not decline.
        ("uz", "vaqtida ketmasam nima bo'ladi"),
        ("kk", "уақытында кетпесем не болады"),
        ("uz", "ketishda qaysi hujjatlar kerak"),
    ],
)
def test_a_price_or_a_word_of_small_talk_in_a_real_question_is_not_declined(real_ctx, locale, text):
    assert understand(real_ctx.search, text, locale).intent == "article"


def test_the_model_is_sure_of_its_own_examples_and_of_the_articles(real_ctx):
    scope = real_ctx.search.scope
    assert scope.out("как приготовить борщ".split()) > 0.5
    assert scope.out("работодатель не платит зарплату".split()) < 0.5
    assert 0.0 <= scope.out(["xxxxx"]) <= 1.0
    assert scope.out([]) == 0.0


def test_two_builds_of_the_same_content_judge_the_same(real_ctx):
    again = SearchIndex.build(real_ctx.catalog, reuse=False).scope
    for text in ("погода завтра", "не платят зарплату", "patent necha pul"):
        assert again.out(text.split()) == real_ctx.search.scope.out(text.split())


def test_a_catalog_without_articles_finds_nothing_out_of_scope(real_ctx):
    catalog = real_ctx.catalog
    empty = Catalog(catalog.sections, {}, catalog.cities, catalog.centres)
    _, scope = learn(empty)
    assert scope.out("погода завтра".split()) == 0.0


def test_a_long_story_is_not_declined_for_its_many_ordinary_words(real_ctx):
    story = (
        "assalomu alaykum, men Buxorodan, Shimkentda bir qozoqning do'konida ishlayman, "
        "ertalabdan kechgacha, uch oydan beri oyligimni bermaydi, ertaga beraman deydi"
    )
    found = understand(real_ctx.search, story, "uz")
    assert (found.intent, found.articles[0]) == ("article", "unpaid-wages")


@pytest.mark.parametrize(
    ("locale", "text", "intent"),
    [
        # A word of `decline` in a question about something Jol covers does not decline it.
        ("ru", "на стройке работаем в дождь и снег, хозяин не платит третий месяц", "article"),
        ("uz", "kvartira ijarasi uchun pul oldi va haydab yubordi", "article"),
        ("ru", "сочинение сыну в школе не дают, не берут без прописки", "article"),
        # A phrase of `decline` declines even when an article seems to fit ("квартиры").
        ("ru", "почём сейчас квартиры снимают в астане", "decline"),
        ("kk", "Алматыда пәтер жалдау қанша тұрады қазір", "decline"),
    ],
)
def test_a_word_of_decline_weighs_against_the_rest_of_the_message(real_ctx, locale, text, intent):
    assert understand(real_ctx.search, text, locale).intent == intent
