"""End-to-end tests: the real bot process against a fake Telegram Bot API server."""
