"""One router per kind of input; each maps an update to a core event and nothing more."""

from aiogram import Router

from bot.runtime.aiogram.routers import buttons, commands, fallback, location, publish, text


def all_routers() -> list[Router]:
    # Order matters: the catch-all fallback goes last.
    # Operators' commands come first: for anyone else they fall through to the ordinary answer.
    modules = (publish, commands, buttons, location, text, fallback)
    return [module.create_router() for module in modules]
