"""Jol: a Telegram information service for labour migrants."""
