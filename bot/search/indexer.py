"""Build the keyword index (`bot.search.index`), in a process of its own.

    python -m bot.search.indexer < texts.json > index

The bot runs this as a child process (`bot.search.apart`): reads what `index.texts` sends on
stdin, writes the `index.Packed` index on stdout.
"""

from __future__ import annotations

import sys

from bot.search import apart
from bot.search.index import pack

if __name__ == "__main__":
    sys.exit(apart.serve(lambda payload: pack(payload).to_bytes()))
