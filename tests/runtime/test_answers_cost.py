"""What an answer from Telegram costs to read stays small: nothing is rebuilt per update."""

from __future__ import annotations

import gc
import weakref

from aiogram.methods import Response, SendMessage

from bot.runtime.aiogram import app
from bot.runtime.aiogram.polling import RawUpdates


def test_answer_models_survive_garbage_collection() -> None:
    assert app.RESPONSES  # loaded with the runtime
    for method in (RawUpdates, SendMessage):
        model = weakref.ref(Response[method.__returning__])
        gc.collect()
        # Rebuilt after every collection otherwise: a new class each time.
        assert model() is not None
        assert Response[method.__returning__] is model()
