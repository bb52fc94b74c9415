"""The python-telegram-bot (v22) runtime, Jol's second: updates in (`translate`), the
application's plans out (`render`), every Bot API call through `requests`, polling that survives
a bad update (`polling`), wiring in `app`. It behaves as the aiogram runtime does; the same
end-to-end suite runs against both.
"""
