"""What a typed message is, on the real content: the reports of people who tried the bot."""

from __future__ import annotations

import shutil

import pytest

from bot.catalog import loader
from bot.search import SearchIndex
from bot.search.understand import MAX_CHARS, smalltalk_kind, understand
from tests.conftest import CONTENT_DIR
from tests.editors.files import edit

# The violence article is written by others at the same time; until then the general one fits.
VIOLENCE = ("employer-violence", "rights-violated")


def best(real_ctx, text, locale):
    found = understand(real_ctx.search, text, locale)
    assert found.intent == "article", (text, found)
    return found.articles[0]


def test_a_long_story_with_the_point_at_the_end_finds_the_point(real_ctx):
    story = (
        "Здравствуйте уважаемые, я из Узбекистана, приехал в Алматы весной, работаю на стройке "
        "у одного частника, сначала всё было нормально, платил каждую неделю, но уже три "
        "месяца работодатель не платит зарплату, что делать?"
    )
    assert best(real_ctx, story, "ru") == "unpaid-wages"


FILLER = (
    "Здравствуйте, уважаемые. Я приехал из Самарканда прошлой весной вместе с двоюродным "
    "братом, живём в общежитии на окраине, работаем на стройке, начальник вроде нормальный "
    "человек, ребята в бригаде хорошие, по выходным ходим на базар, иногда звоним домой маме "
)
POINT = "паспорт забрал работодатель и не отдаёт"


@pytest.mark.parametrize(
    "message",
    [
        f"{POINT}. {FILLER} {FILLER}",
        f"{FILLER} {POINT}. {FILLER}",
        f"{FILLER} {FILLER} {POINT}.",
    ],
    ids=["start", "middle", "end"],
)
def test_the_point_counts_wherever_it_stands_in_a_long_message(real_ctx, message):
    assert len(message) < MAX_CHARS
    assert best(real_ctx, message, "ru") == "passport-taken"


def test_every_word_counts_up_to_telegrams_limit(real_ctx):
    message = (FILLER * 20)[: MAX_CHARS - len(POINT) - 2] + ". " + POINT
    assert len(message) == MAX_CHARS
    assert best(real_ctx, message, "ru") == "passport-taken"


@pytest.mark.parametrize(
    ("locale", "text", "article"),
    [
        ("uz", "pasportimni olib qoyishdi", "passport-taken"),
        ("uz", "ish beruvchi pasportimni bermayapti", "passport-taken"),
        ("ru", "хозяин держит у себя мой паспорт", "passport-taken"),
        ("kk", "жұмыс беруші паспортымды алып қойды", "passport-taken"),
        ("tg", "корфармо шиносномаамро гирифт", "passport-taken"),
    ],
)
def test_a_taken_passport_is_not_read_as_trafficking(real_ctx, locale, text, article):
    assert best(real_ctx, text, locale) == article


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("uz", "xojayinim urdi"),
        ("ru", "меня избил начальник"),
        ("kk", "бастығым ұрды"),
        ("tg", "хоҷаинам маро зад"),
    ],
)
def test_beaten_by_the_boss_is_an_emergency_with_the_violence_article(real_ctx, locale, text):
    found = understand(real_ctx.search, text, locale)
    assert found.intent == "distress"
    fitting = next(a for a in VIOLENCE if a in real_ctx.catalog.articles)
    assert found.articles[0] == fitting


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ru", "помогите"),
        ("uz", "yordam bering"),
        ("tg", "ёрӣ диҳед"),
        ("kk", "көмектесіңіз"),
        ("ru", "SOS"),
        ("ru", "help"),
        ("ru", "🆘"),
        ("uz", "🆘🆘🆘"),
    ],
)
def test_a_call_for_help_is_an_emergency(real_ctx, locale, text):
    assert understand(real_ctx.search, text, locale).intent == "distress"


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ru", "меня сейчас забирают в полицию помогите"),
        ("kk", "мені қазір полицияға алып бара жатыр көмектесіңдер"),
        ("uz", "meni hozir politsiyaga olib ketishyapti yordam bering"),
        ("tg", "маро ҳозир ба полиция мебаранд ёрӣ диҳед"),
    ],
)
def test_being_taken_by_the_police_now_is_an_emergency_about_detention(real_ctx, locale, text):
    found = understand(real_ctx.search, text, locale)
    assert found.intent == "distress"
    assert found.articles[0] == "detained"


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ru", "памагите"),
        ("ru", "помогити пожалуйста"),
        ("ru", "нужна помощь срочно"),
        ("ru", "на меня напали"),
        ("kk", "маған шабуыл жасады"),
        ("uz", "hujum qilishdi"),
        ("tg", "ба ман ҳамла карданд"),
        ("tg", "кумак лозим"),
        ("ru", "🚨"),
        # The word for help, and nothing else.
        ("tg", "ёрдам"),
        ("ru", "помощь!"),
        ("kk", "көмек"),
    ],
)
def test_a_call_for_help_is_an_emergency_however_it_is_spelt(real_ctx, locale, text):
    assert understand(real_ctx.search, text, locale).intent == "distress"


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ru", "не хочу больше жить, всё надоело"),
        ("kk", "өмір сүргім келмейді"),
        ("uz", "o'zimni o'ldirmoqchiman"),
        ("tg", "зиндагӣ кардан намехоҳам"),
    ],
)
def test_wanting_to_die_is_an_emergency(real_ctx, locale, text):
    found = understand(real_ctx.search, text, locale)
    assert found.intent == "distress"
    assert found.articles[0] == "emergency-numbers"


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ru", "напарник упал с лесов без сознания"),
        ("kk", "досым есінен танып қалды"),
        ("uz", "o'rtog'im nafas olmayapti"),
        ("tg", "рафиқам беҳуш шуд"),
    ],
)
def test_a_life_in_danger_from_an_injury_is_an_emergency(real_ctx, locale, text):
    found = understand(real_ctx.search, text, locale)
    assert found.intent == "distress"
    assert found.articles[0] == "emergency-numbers"


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ru", "хозяин грозится убить если уйду"),
        ("kk", "қожайын кетсең өлтіремін деп қорқытады"),
        ("uz", "xo'jayin ketsang o'ldiraman deb qo'rqitadi"),
        ("tg", "корфармо агар равӣ мекушам гуфта метарсонад"),
    ],
)
def test_a_threat_by_the_employer_is_answered_by_the_article_that_opens_with_the_numbers(
    real_ctx, locale, text
):
    found = understand(real_ctx.search, text, locale)
    assert (found.intent, found.articles[0]) == ("article", "employer-violence")
    first_line = real_ctx.catalog.articles["employer-violence"].text(locale)[0].body
    assert "112" in first_line.splitlines()[0] and "102" in first_line.splitlines()[0]


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ru", "хозяин грозится убить, сейчас стоит с ножом у двери"),
        ("ru", "хозяин угрожает убить помогите"),
        ("ru", "муж угрожает убить"),
        ("uz", "xo'jayin hozir o'ldiraman deb qo'rqityapti"),
    ],
)
def test_a_threat_now_with_a_weapon_or_from_anyone_else_is_an_emergency(real_ctx, locale, text):
    assert understand(real_ctx.search, text, locale).intent == "distress"


def test_beaten_and_not_let_go_brings_the_violence_and_the_trafficking_articles(real_ctx):
    text = "хозяин бьёт нас и не выпускает с фермы, помогите"
    found = understand(real_ctx.search, text, "ru")
    assert found.intent == "distress"
    assert {"employer-violence", "trafficking-help"} <= set(found.articles[:3])


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("kk", "рахмет, көмектестіңіз"),
        ("ru", "спасибо, вы мне очень помогли"),
        ("uz", "rahmat, yordam berdingiz"),
    ],
)
def test_thanks_for_the_help_is_not_a_call_for_help(real_ctx, locale, text):
    assert understand(real_ctx.search, text, locale).intent == "smalltalk"


@pytest.mark.parametrize(
    ("locale", "text", "city"),
    [
        ("uz", "Shimkentda migrantlarga yordam beradigan markaz bormi", "shymkent"),
        ("ru", "в Караганде кто помогает мигрантам", "karaganda"),
        ("kk", "Ақтөбеде мигранттарға көмектесетін ұйым бар ма", "aktobe"),
        ("tg", "дар Семей ташкилоте ки ба муҳоҷирон ёрӣ медиҳад ҳаст", "semey"),
    ],
)
def test_who_helps_migrants_in_a_city_asks_for_its_centres(real_ctx, locale, text, city):
    found = understand(real_ctx.search, text, locale)
    assert (found.intent, found.place_kind, found.city) == ("place", None, city)


def test_help_with_a_subject_is_a_question_about_that_subject(real_ctx):
    assert best(real_ctx, "помогите, не платят зарплату третий месяц", "ru") == "unpaid-wages"
    assert best(real_ctx, "юридическая помощь по невыплате зарплаты", "ru") == "unpaid-wages"
    assert best(real_ctx, "yurist yordami kerak oylik bermayapti", "uz") == "unpaid-wages"


@pytest.mark.parametrize(
    ("locale", "text", "kind", "city", "country"),
    [
        ("ru", "адрес консульства таджикистана", "consulate", None, "tj"),
        ("ru", "где ЦОН в алматы", "public_service", "almaty", None),
        ("ru", "цон в алмате", "public_service", "almaty", None),
        ("uz", "almatida tson qayerda", "public_service", "almaty", None),
        ("kk", "Алматыда ХҚКО қайда", "public_service", "almaty", None),
        ("tg", "консулгарии Ӯзбекистон дар Алмаато", "consulate", "almaty", "uz"),
        ("ru", "миграционная полиция в шымкенте", "migration", "shymkent", None),
        ("ru", "миграционная служба Чимкент адрес", "migration", "shymkent", None),
        ("kk", "Астанада көші-қон полициясы қайда", "migration", "astana", None),
        ("ru", "посольство узбекистана Nur-Sultan", "consulate", "astana", "uz"),
        ("uz", "Qizil Yarim Oy qayerda", "red_crescent", None, None),
        ("ru", "где красный полумесяц", "red_crescent", None, None),
        ("ru", "красный крест в астане", "red_crescent", "astana", None),
        ("ru", "цон в субботу работает?", "public_service", None, None),
        ("uz", "Shimkent TsON ish vaqti", "public_service", "shymkent", None),
    ],
)
def test_a_place_is_found_in_any_language_and_spelling(real_ctx, locale, text, kind, city, country):
    found = understand(real_ctx.search, text, locale)
    assert (found.intent, found.place_kind, found.city, found.country) == (
        "place",
        kind,
        city,
        country,
    )


def test_a_city_in_a_question_about_something_else_is_not_a_place(real_ctx):
    text = "работаю в Алматы без договора, это законно?"
    assert understand(real_ctx.search, text, "ru").intent == "article"


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ru", "курс доллара сегодня"),
        ("ru", "кто выиграл вчера футбол"),
        ("uz", "palov retsepti"),
        ("kk", "ауа райы қандай ертең"),
        ("tg", "обу ҳаво пагоҳ чӣ хел"),
        ("ru", "ты тупой бот"),
    ],
)
def test_out_of_scope_questions_are_declined(real_ctx, locale, text):
    assert understand(real_ctx.search, text, locale).intent == "decline"


def test_a_price_of_something_jol_covers_is_not_declined(real_ctx):
    assert best(real_ctx, "сколько стоит патент в месяц", "ru") in {"permit-tax", "work-permit"}


@pytest.mark.parametrize(
    ("locale", "text", "kind"),
    [
        ("ru", "спасибо", "thanks"),
        ("uz", "rahmat", "thanks"),
        ("kk", "рахмет", "thanks"),
        ("tg", "ташаккур", "thanks"),
        ("ru", "здравствуйте", "greeting"),
        ("uz", "assalomu alaykum", "greeting"),
        ("kk", "сәлеметсіз бе", "greeting"),
        ("tg", "салом", "greeting"),
    ],
)
def test_thanks_and_greetings_are_small_talk(real_ctx, locale, text, kind):
    assert understand(real_ctx.search, text, locale).intent == "smalltalk"
    assert smalltalk_kind(text) == kind


def test_two_articles_that_fit_equally_are_both_offered(real_ctx):
    found = understand(real_ctx.search, "договор", "ru")
    assert found.intent == "article"
    assert found.ambiguous
    assert set(found.articles[:2]) == {"contract-before-leaving", "employment-contract"}


def test_a_clear_question_is_not_ambiguous(real_ctx):
    found = understand(real_ctx.search, "потерял паспорт что делать", "ru")
    assert found.articles[0] == "lost-documents"
    assert not found.ambiguous


def test_two_builds_of_the_same_content_rank_identically(real_ctx):
    again = SearchIndex.build(real_ctx.catalog, reuse=False)
    assert again is not real_ctx.search
    questions = [
        "не платят зарплату",
        "pasportimni olib qoyishdi",
        "жолга кандай кужат керек",
        "кудакро ба мактаб кабул намекунанд",
        "регистрация сколько дней",
    ]
    for text in questions:
        first = real_ctx.search.ranker.scores(text.split())
        second = again.ranker.scores(text.split())
        assert first == second
        assert understand(real_ctx.search, text, "ru") == understand(again, text, "ru")


def test_new_articles_and_their_examples_are_picked_up(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    # A subject no real article covers, so only the new article can answer it.
    folder = content / "articles" / "driving-licence-test"
    shutil.copytree(content / "articles" / "stranded", folder)
    edit(folder / "ru.md", "title: Нет денег, работы и жилья", "title: Водительское удостоверение")
    (folder / "examples.yaml").write_text(
        "ru: [как обменять водительское удостоверение, можно ли водить машину с "
        "иностранным удостоверением, водительское удостоверение узбекистана действует]\n"
        "kk: [жүргізуші куәлігін ауыстыру]\nuz: [haydovchilik guvohnomasini almashtirish]\n"
        "tg: [иваз кардани шаҳодатномаи ронандагӣ]\n",
        encoding="utf-8",
    )
    catalog = loader.load(content)
    assert "driving-licence-test" in catalog.articles
    index = SearchIndex.build(catalog)
    found = understand(index, "обменять водительское удостоверение", "ru")
    assert found.articles[0] == "driving-licence-test"
