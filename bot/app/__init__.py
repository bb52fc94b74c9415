"""The application layer: one whole turn around the core, the same for every runtime.

A runtime (aiogram, python-telegram-bot) does only this:

    app = App(services)                       # once per process
    plan = await app.handle(Incoming(...))    # per update: user id, chat, event, ...
    render(plan)                              # Bot API calls, in order

`Incoming` carries the sender's id (made pseudonymous here at once), the chat, whether it is a
private chat, Telegram's language code, the sender's own names (only to scrub an unanswered
question), the pressed message (`Origin`) and the core `Event`. `Plan` says what to send:
core `Message`s and `Venue`s, `Picture`s, whether to acknowledge a press (with a toast) and
which message an edit replaces. `app.publish()` (SIGHUP) returns one `Plan` per operator.

Nothing here imports a Telegram framework; a test keeps it that way.
"""

from bot.app.incoming import Incoming, Origin
from bot.app.languages import UNKNOWN, SavedLanguages
from bot.app.plan import Output, Picture, Plan
from bot.app.turn import App

__all__ = ["UNKNOWN", "App", "Incoming", "Origin", "Output", "Picture", "Plan", "SavedLanguages"]
