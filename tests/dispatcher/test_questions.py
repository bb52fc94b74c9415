"""Typed questions through the real dispatcher, on the real content, in every language."""

from __future__ import annotations

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import InlineKeyboardMarkup

from bot.config import load_settings
from bot.services import open_services
from tests.conftest import CONTENT_DIR
from tests.dispatcher.test_dispatcher import Chat


@pytest.fixture
async def real_services(tmp_path):
    settings = load_settings(content_dir=CONTENT_DIR, jol_data_dir=tmp_path, database_url=None)
    opened = await open_services(settings)
    yield opened
    await opened.close()


def buttons(method) -> list[str]:
    assert isinstance(method.reply_markup, InlineKeyboardMarkup)
    return [button.text for row in method.reply_markup.inline_keyboard for button in row]


@pytest.mark.parametrize(
    ("language_code", "question", "title", "read"),
    [
        ("kk", "жалакы бермей жатыр", "Жалақы төленбесе: не істеу керек", "Мақаланы оқу"),
        ("ru", "menya zaderzhala policiya", "Вас задержала полиция", "Читать статью"),
        ("uz", "pasportimni yo‘qotdim", "Pasport yoʻqoldi yoki muddati tugadi", "Maqolani oʻqish"),
        ("uz", "забрали паспорт", "Ish beruvchi pasportni olib qoʻydi", "Maqolani oʻqish"),
        (
            "tg",
            "кудакро ба мактаб кабул намекунанд",
            "Фарзандони муҳоҷирон ва мактаб",
            "Хондани мақола",
        ),
        ("tg", "как отправить деньги домой", "Пул — интиқол ба хона ва захира", "Хондани мақола"),
    ],
)
async def test_a_typed_question_gets_the_article_and_opens_it(
    real_services, language_code, question, title, read
):
    chat = Chat(real_services, language_code=language_code)
    [answer] = await chat.say(question)
    assert isinstance(answer, SendMessage)
    assert f"<b>{title}</b>" in answer.text
    assert buttons(answer)[0] == f"📖 {read}"
    await chat.press(read)
    toast, article = chat.sent
    assert isinstance(toast, AnswerCallbackQuery)
    assert isinstance(article, EditMessageText)
    assert article.text.startswith(f"<b>{title}</b>")


async def test_a_question_jol_does_not_cover_is_declined_with_the_sections_and_emergency(
    real_services,
):
    chat = Chat(real_services, language_code="uz")
    [answer] = await chat.say("palov retsepti")
    assert isinstance(answer, SendMessage)
    assert "javob bera olmayman" in answer.text
    assert "🆘 Shoshilinch yordam" in buttons(answer)
    assert "→ Shoshilinch xizmat raqamlari" in buttons(answer)
    await chat.press("Shoshilinch xizmat raqamlari")
    assert chat.sent[-1].text.startswith("<b>Shoshilinch xizmat raqamlari</b>")


async def test_a_very_long_message_gets_one_short_answer(real_services):
    chat = Chat(real_services, language_code="ru")
    [answer] = await chat.say("Здравствуйте, " + "помогите разобраться с документами. " * 120)
    assert isinstance(answer, SendMessage)
    assert len(answer.text) < 500


@pytest.mark.parametrize(
    ("language_code", "text", "lead"),
    [
        ("ru", "меня избил начальник", "Если вы в опасности"),
        ("uz", "xojayinim urdi", "Agar xavf ostida"),
        ("kk", "бастығым ұрды", "Егер сізге қауіп төнсе"),
        ("tg", "хоҷаинам маро зад", "Агар шумо дар хатар"),
    ],
)
async def test_someone_beaten_gets_the_emergency_numbers_and_the_article_at_once(
    real_services, language_code, text, lead
):
    chat = Chat(real_services, language_code=language_code)
    [answer] = await chat.say(text)
    assert answer.text.startswith(lead)
    assert "112" in answer.text and "102" in answer.text
    catalog = real_services.content.current.catalog
    fitting = "employer-violence" if "employer-violence" in catalog.articles else "rights-violated"
    title = catalog.articles[fitting].text(language_code)[0].title
    assert buttons(answer)[0] == f"→ {title}"
    emergency = catalog.articles["emergency-numbers"].text(language_code)[0].title
    assert f"→ {emergency}" in buttons(answer)


@pytest.mark.parametrize(
    ("language_code", "text"),
    [
        ("ru", "помогите"),
        ("uz", "yordam bering"),
        ("tg", "ёрӣ диҳед"),
        ("kk", "көмектесіңіз"),
        ("ru", "SOS"),
        ("ru", "help"),
        ("ru", "🆘"),
    ],
)
async def test_a_call_for_help_gets_the_emergency_numbers_never_not_found(
    real_services, language_code, text
):
    chat = Chat(real_services, language_code=language_code)
    [answer] = await chat.say(text)
    assert "112" in answer.text
    await chat.press(buttons(answer)[-2].removeprefix("→ "))
    assert "112" in chat.sent[-1].text


async def test_a_public_service_centre_in_a_city_opens_its_card(real_services):
    chat = Chat(real_services, language_code="ru")
    [answer] = await chat.say("где ЦОН в алматы")
    assert "Центр обслуживания населения (ЦОН)" in answer.text
    assert "Алматы" in answer.text


async def test_a_kind_of_place_without_a_city_asks_for_the_city_or_the_location(real_services):
    chat = Chat(real_services, language_code="kk")
    [answer] = await chat.say("ең жақын ХҚКО қайда")
    assert "Қай қалада?" in answer.text
    labels = buttons(answer)
    assert labels[0].startswith("📍")
    assert "Алматы" in labels
    await chat.press("Алматы")
    assert "Алматы" in chat.sent[-1].text


async def test_a_consulate_by_country_lists_that_countrys_consulates(real_services):
    chat = Chat(real_services, language_code="ru")
    [answer] = await chat.say("адрес консульства таджикистана")
    assert "Таджикистан" in answer.text or any("Таджикистан" in b for b in buttons(answer))
    assert not any("Узбекистан" in b for b in buttons(answer))


async def test_a_kind_not_listed_in_a_city_is_said_honestly_with_the_citys_list(real_services):
    catalog = real_services.content.current.catalog
    city = next(
        c
        for c in sorted(catalog.cities)
        if all(x.kind != "consulate" for x in catalog.centres_in(c))
    )
    name = catalog.cities[city].name["ru"]
    chat = Chat(real_services, language_code="ru")
    answers = await chat.say(f"консульство в {name}")
    assert "пока нет «Посольство или консульство»" in answers[0].text
    assert name in answers[1].text


@pytest.mark.parametrize(
    ("language_code", "text", "reply"),
    [
        ("ru", "спасибо", "Пожалуйста!"),
        ("uz", "rahmat", "Arzimaydi!"),
        ("kk", "рахмет", "Оқасы жоқ!"),
        ("tg", "ташаккур", "Намеарзад!"),
        ("ru", "здравствуйте", "Я Jol"),
        ("tg", "салом", "Ман Jol"),
    ],
)
async def test_thanks_and_greetings_get_a_short_friendly_answer(
    real_services, language_code, text, reply
):
    chat = Chat(real_services, language_code=language_code)
    [answer] = await chat.say(text)
    assert reply in answer.text


async def test_two_articles_that_fit_equally_are_offered_as_a_choice(real_services):
    chat = Chat(real_services, language_code="ru")
    [answer] = await chat.say("договор")
    assert "Какая ближе к вашему вопросу?" in answer.text
    labels = buttons(answer)
    assert "→ Договор до отъезда — что проверить" in labels
    assert "→ Трудовой договор и зарплата" in labels
    await chat.press("Трудовой договор и зарплата")
    assert chat.sent[-1].text.startswith("<b>Трудовой договор и зарплата</b>")


async def test_a_long_story_is_answered_by_its_point(real_services):
    chat = Chat(real_services, language_code="ru")
    [answer] = await chat.say(
        "Здравствуйте уважаемые, я из Узбекистана, приехал в Алматы весной, работаю на стройке "
        "у одного частника, сначала всё было нормально, платил каждую неделю, но уже три "
        "месяца работодатель не платит зарплату, что делать?"
    )
    assert "<b>Не платят зарплату: что делать</b>" in answer.text
