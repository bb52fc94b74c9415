"""The aiogram 3 runtime, Jol's default."""
