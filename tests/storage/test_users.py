"""The user's language choice, kept under a pseudonymous key, on both databases."""

from storage import Database, Pseudonymiser, UserStore
from storage.schema import upgrade


async def test_a_language_choice_survives_a_new_connection(database_url):
    first = Database(database_url)
    await upgrade(first)
    await UserStore(first).set_locale("k1", "kk")
    await UserStore(first).set_locale("k1", "tg")
    await first.close()

    second = Database(database_url)
    await upgrade(second)  # idempotent at every start
    assert await UserStore(second).locale("k1") == "tg"
    assert await UserStore(second).locale("unknown") is None
    await second.close()


def test_pseudonyms_are_stable_keyed_and_hide_the_id(tmp_path):
    made = Pseudonymiser.from_setting_or_file(None, tmp_path)
    again = Pseudonymiser.from_setting_or_file(None, tmp_path)
    other = Pseudonymiser(b"another-secret-key-0123")
    assert made.key_for(123456789) == again.key_for(123456789)
    assert made.key_for(123456789) != other.key_for(123456789)
    assert "123456789" not in made.key_for(123456789)
    assert (tmp_path / "pseudonym.key").stat().st_mode & 0o077 == 0
