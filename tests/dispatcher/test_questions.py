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


async def test_a_question_nothing_answers_gets_the_sections_and_emergency(real_services):
    chat = Chat(real_services, language_code="uz")
    [answer] = await chat.say("palov retsepti")
    assert isinstance(answer, SendMessage)
    assert "topa olmadim" in answer.text
    assert "🆘 Shoshilinch yordam" in buttons(answer)
    assert "→ Shoshilinch xizmat raqamlari" in buttons(answer)
    await chat.press("Shoshilinch xizmat raqamlari")
    assert chat.sent[-1].text.startswith("<b>Shoshilinch xizmat raqamlari</b>")


async def test_a_very_long_message_gets_one_short_answer(real_services):
    chat = Chat(real_services, language_code="ru")
    [answer] = await chat.say("Здравствуйте, " + "помогите разобраться с документами. " * 120)
    assert isinstance(answer, SendMessage)
    assert len(answer.text) < 500
