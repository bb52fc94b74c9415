"""The aiogram 3 runtime, Jol's default: updates in (`translate`), the application's plans out
(`render`), every Bot API call through `retries`, polling that survives a bad update (`polling`).
"""
