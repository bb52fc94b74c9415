"""The core and search know nothing of Telegram frameworks or the database."""

import subprocess
import sys


def test_importing_the_core_loads_no_framework_and_no_database_layer():
    code = (
        "import sys, bot.core, bot.core.conversation, bot.search; "
        "print(sorted(m for m in ('aiogram', 'telegram', 'sqlmodel', 'sqlalchemy') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
