"""One chat's turns follow each other; other chats and a flooding chat are not held up."""

from __future__ import annotations

import asyncio

from bot.app.ordering import ChatOrder


async def test_one_chats_turns_follow_each_other_and_leave_nothing_behind() -> None:
    order, seen = ChatOrder(), []

    async def turn(chat: int, name: str, pause: float) -> None:
        async with order.turn(chat):
            seen.append(f"{name} in")
            await asyncio.sleep(pause)
            seen.append(f"{name} out")

    await asyncio.gather(turn(1, "a", 0.05), turn(1, "b", 0), turn(2, "c", 0))
    assert seen.index("a out") < seen.index("b in")  # the second of chat 1 waited
    assert seen.index("c out") < seen.index("a out")  # chat 2 did not
    assert len(order) == 0


async def test_a_chat_with_too_many_waiting_is_not_held_up() -> None:
    order, released = ChatOrder(max_waiting=2), asyncio.Event()
    done: list[int] = []

    async def turn(number: int) -> None:
        async with order.turn(7):
            if number == 0:
                await released.wait()
            done.append(number)

    tasks = [asyncio.create_task(turn(n)) for n in range(5)]
    await asyncio.sleep(0.05)
    assert done == [3, 4]  # beyond two holders, handled at once rather than waiting
    released.set()
    await asyncio.gather(*tasks)
    assert done == [3, 4, 0, 1, 2]
    assert len(order) == 0
