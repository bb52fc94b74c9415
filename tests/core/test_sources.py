"""Where a fact comes from is shown in the reader's language when editors have translated it."""

from bot.catalog.model import Source


def test_a_source_title_per_language_falls_back_to_russian():
    source = Source(title={"ru": "МВД РК", "kk": "ҚР ІІМ"})
    assert source.shown("kk") == "ҚР ІІМ"
    assert source.shown("tg") == "МВД РК"


def test_a_single_source_title_is_shown_to_everyone():
    assert Source(title="Baiandina et al., 2021").shown("uz") == "Baiandina et al., 2021"
