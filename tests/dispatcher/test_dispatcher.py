"""The real dispatcher, fed updates, with an offline session in place of Telegram."""

from __future__ import annotations

import pytest
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    SendMessage,
    SendVenue,
    SetMyCommands,
)
from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove
from sqlalchemy.ext.asyncio import create_async_engine

from bot.runtime.aiogram.app import create_bot, create_dispatcher, register_commands
from bot.runtime.aiogram.offline import OfflineSession
from bot.runtime.aiogram.updates import UpdateFactory
from storage.models import UserPreference


class Chat:
    """One user talking to the real dispatcher; `sent` is what the bot sent since the last step."""

    def __init__(self, services, language_code: str | None = "ru", user_id: int = 1001):
        self.session = OfflineSession()
        self.bot = create_bot("42:offline-test", "http://offline.invalid", session=self.session)
        self.dp = create_dispatcher(services)
        self.updates = UpdateFactory(user_id=user_id, language_code=language_code)
        self.sent: list = []

    async def feed(self, update) -> list:
        before = len(self.session.calls)
        await self.dp.feed_update(self.bot, update)
        self.sent = self.session.calls[before:]
        return self.sent

    async def say(self, text: str) -> list:
        return await self.feed(self.updates.text(text))

    def last_keyboard_message(self):
        for method in reversed(self.session.calls):
            if isinstance(method, SendMessage | EditMessageText) and isinstance(
                method.reply_markup, InlineKeyboardMarkup
            ):
                message_id = getattr(method, "message_id", None) or max(self.session.messages)
                return self.session.messages[message_id], method.reply_markup
        raise AssertionError("no inline keyboard was sent")

    async def press(self, label: str) -> list:
        message, markup = self.last_keyboard_message()
        for row in markup.inline_keyboard:
            for button in row:
                if label in button.text:
                    return await self.feed(self.updates.press(message, button.callback_data))
        raise AssertionError(f"no button {label!r} in {markup.inline_keyboard}")


@pytest.fixture
def chat(services):
    return Chat(services)


async def test_start_sends_the_menu_in_the_users_telegram_language(services):
    chat = Chat(services, language_code="kk")
    [sent] = await chat.say("/start")
    assert isinstance(sent, SendMessage)
    buttons = [b.text for row in sent.reply_markup.inline_keyboard for b in row]
    assert "🧳 Жолға шықпас бұрын" in buttons


async def test_browsing_edits_one_message_in_place(chat):
    [menu] = await chat.say("/menu")
    assert isinstance(menu, SendMessage)
    await chat.press("Перед отъездом")
    [section] = chat.sent[1:]
    assert isinstance(chat.sent[0], AnswerCallbackQuery)
    assert isinstance(section, EditMessageText)
    await chat.press("First steps (ru)")
    [_, article] = chat.sent
    assert isinstance(article, EditMessageText)
    assert article.message_id == section.message_id
    assert article.text.startswith("<b>First steps (ru)</b>")


async def test_the_language_choice_is_saved_under_a_pseudonymous_key(services):
    chat = Chat(services, language_code="en", user_id=777123)
    [picker] = await chat.say("/start")
    assert [b.text for row in picker.reply_markup.inline_keyboard for b in row][2] == "Oʻzbekcha"
    await chat.press("Oʻzbekcha")
    key = services.pseudonyms.key_for(777123)
    assert await services.users.locale(key) == "uz"
    async with services.db.session() as session:
        row = await session.get(UserPreference, key)
    assert "777123" not in row.user_key
    # Telegram still says "en"; the saved choice wins from now on.
    [menu] = await Chat(services, language_code="en", user_id=777123).say("/menu")
    assert "Xizmat koʻrsatish markazlari" in str(menu.reply_markup)


async def test_a_map_button_sends_a_venue(chat):
    await chat.say("/menu")
    await chat.press("Центры")
    await chat.press("Алматы")
    await chat.press("Exact ru")
    await chat.press("🗺")
    venue = chat.sent[-1]
    assert isinstance(venue, SendVenue)
    assert (venue.latitude, venue.longitude, venue.title) == (43.25, 76.92, "Exact ru")


async def test_nearest_asks_for_location_then_answers_and_removes_the_keyboard(chat):
    await chat.say("/menu")
    await chat.press("Центры")
    await chat.press("📍")
    ask = chat.sent[-1]
    assert isinstance(ask.reply_markup, ReplyKeyboardMarkup)
    assert ask.reply_markup.keyboard[0][0].request_location
    listing, choice = await chat.feed(chat.updates.location(43.2565, 76.9284))
    assert isinstance(listing.reply_markup, ReplyKeyboardRemove)
    assert "Exact ru" in listing.text
    assert isinstance(choice.reply_markup, InlineKeyboardMarkup)


@pytest.mark.parametrize("make", ["sticker", "voice", "photo"])
async def test_media_gets_a_polite_answer(chat, make):
    [answer] = await chat.feed(getattr(chat.updates, make)())
    assert isinstance(answer, SendMessage)
    assert isinstance(answer.reply_markup, InlineKeyboardMarkup)


async def test_a_forged_button_gets_a_toast_and_the_menu(chat):
    await chat.say("/menu")
    message, _ = chat.last_keyboard_message()
    toast, menu = await chat.feed(chat.updates.press(message, "hack|x|y"))
    assert isinstance(toast, AnswerCallbackQuery) and toast.text
    assert isinstance(menu, EditMessageText)


async def test_group_chats_get_no_answer(chat):
    assert await chat.feed(chat.updates.in_group("/start")) == []


async def test_the_command_menu_is_registered_in_every_language(chat, services):
    await register_commands(chat.bot, services)
    calls = [c for c in chat.session.calls if isinstance(c, SetMyCommands)]
    assert [c.language_code for c in calls] == ["kk", "ru", "uz", "tg", None]
    assert [c.command for c in calls[0].commands] == ["start", "menu", "language", "help", "forget"]


async def test_replies_still_come_when_the_database_is_down(services):
    await services.db.close()
    services.db.engine = create_async_engine("sqlite+aiosqlite:////nonexistent/folder/jol.db")
    chat = Chat(services, language_code="kk", user_id=555)
    [menu] = await chat.say("/start")
    assert "Жолға шықпас бұрын" in str(menu.reply_markup)
    await chat.press("🌐")
    await chat.press("Oʻzbekcha")
    assert "Xizmat koʻrsatish markazlari" in str(chat.sent[-1].reply_markup)
