"""One router per kind of input; each maps an update to a core event and nothing more."""

from aiogram import Router

from bot.runtime.aiogram.routers import (
    admin,
    buttons,
    commands,
    fallback,
    location,
    publish,
    text,
)


def all_routers() -> list[Router]:
    # Order matters: operators' commands before everyone's (whose router answers any command),
    # the catch-all fallback last.
    modules = (publish, admin, commands, buttons, location, text, fallback)
    return [module.create_router() for module in modules]
