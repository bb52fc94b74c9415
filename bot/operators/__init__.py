"""Operators' views of the statistics: a period, a summary in Telegram, a chart."""
