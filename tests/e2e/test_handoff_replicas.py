"""Two replicas of the bot relay one conversation: each polls its own fake server (one
Telegram, two connections), both use one PostgreSQL database. What one replica learns (the
topic, the chat to deliver to) the other must find in the database, not in its memory."""

from __future__ import annotations

from pathlib import Path

import asyncpg

from tests.conftest import fresh_postgres
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.handoff_world import OPERATOR, OPERATORS, handoff_env, in_topic, ru
from tests.e2e.harness import TOKEN, BotProcess, Driver, TgUser


async def raw_id_columns(url: str, needle: str) -> list[str]:
    connection = await asyncpg.connect(url)
    try:
        columns = await connection.fetch(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public'"
        )
        found = []
        for row in columns:
            table, column = row["table_name"], row["column_name"]
            hit = await connection.fetchval(
                f'SELECT count(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE $1',
                f"%{needle}%",
            )
            if hit:
                found.append(f"{table}.{column}")
        return found
    finally:
        await connection.close()


async def test_two_replicas_share_one_conversation(runtime: str, tmp_path: Path) -> None:
    async with fresh_postgres() as url:
        with FakeTelegram(TOKEN) as first, FakeTelegram(TOKEN).share_chats_with(first) as second:
            # Replicas share the pseudonym secret, or one user would be two people.
            env = handoff_env(DATABASE_URL=url, JOL_PSEUDONYM_KEY="replicas-share-this-secret")
            a = BotProcess(first, tmp_path / "a", tmp_path / "logs-a", runtime=runtime, **env)
            b = BotProcess(second, tmp_path / "b", tmp_path / "logs-b", runtime=runtime, **env)
            a.start()
            b.start()
            via_a, via_b = Driver(first, a), Driver(second, b)
            user = TgUser(700_951, "ru")
            try:
                await via_a.reply(user, via_a.send_text(user, "/talk"))
                asked = via_a.send_text(user, "Где получить патент?")
                made = await via_a.wait_for("createForumTopic", lambda c: c.ok, since=asked)
                thread_id = made.result["message_thread_id"]
                await via_a.wait_for("copyMessage", in_topic(thread_id), since=asked)

                # The operator's reply reaches the other replica, which never saw this user.
                answer = via_b.send_in_topic(OPERATOR, OPERATORS, thread_id, "В ЦОНе.")
                copied = await via_b.wait_for("copyMessage", lambda c: c.ok, since=answer)
                assert copied.params["chat_id"] == user.id
                assert first.message(user.id, copied.result["message_id"])["text"] == "В ЦОНе."

                # And the user's next message, on that replica, goes into the same topic.
                more = via_b.send_text(user, "А в субботу?")
                await via_b.wait_for("copyMessage", in_topic(thread_id), since=more)
                assert not second.calls("createForumTopic")
                end = await via_b.sentinel(user)
                # No echo: nothing reached the user but the answer to the sentinel.
                assert not via_b.calls("sendMessage", since=more, until=end, chat_id=user.id)

                close = via_a.send_in_topic(OPERATOR, OPERATORS, thread_id, "/close")
                ended = await via_a.reply(user, close)
                assert ended.text.startswith(
                    ru(
                        "The operators have ended the conversation. "
                        "To write to them again, send /talk."
                    )
                )
                late = via_b.send_in_topic(OPERATOR, OPERATORS, thread_id, "Ещё вопрос?")
                note = await via_b.wait_for("sendMessage", in_topic(thread_id), since=late)
                assert note.text == ru(
                    "This conversation is closed: nothing written here is delivered."
                )
            finally:
                for process in (a, b):
                    process.stop_and_check()
        assert await raw_id_columns(url, str(user.id)) == []
