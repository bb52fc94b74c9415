"""Runtime adapters: they turn Telegram updates into core requests and render the replies."""
