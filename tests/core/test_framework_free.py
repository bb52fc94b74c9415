"""Import boundaries: the core and search know nothing of Telegram frameworks, storage or the
layers above them; the application knows no Telegram framework. Checked in a fresh interpreter,
by what importing them actually loads."""

import subprocess
import sys

import pytest

CORE = ("bot.core", "bot.core.conversation", "bot.search", "bot.catalog.loader")
NOT_FOR_THE_CORE = (
    "aiogram",
    "telegram",
    "sqlalchemy",
    "sqlmodel",
    "storage",
    "bot.runtime",
    "bot.app",
    "bot.services",
)
APP = ("bot.app", "bot.app.turn", "bot.app.operators")
NOT_FOR_THE_APP = ("aiogram", "telegram", "bot.runtime")


def loaded_after_importing(modules: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    code = (
        f"import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted({{m for m in sys.modules for f in {forbidden!r} "
        f"if m == f or m.startswith(f + '.')}}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return eval(out.stdout.strip())  # a printed list of module names


@pytest.mark.parametrize(
    ("modules", "forbidden"),
    [(CORE, NOT_FOR_THE_CORE), (APP, NOT_FOR_THE_APP)],
    ids=["core", "application"],
)
def test_importing_a_layer_loads_nothing_it_must_not_know(modules, forbidden):
    assert loaded_after_importing(modules, forbidden) == []
