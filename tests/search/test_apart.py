"""Search is built by child processes and kept in the data folder: a restart reads it back,
new content is built again, and a child that fails is reported by how it failed, with the
last good content still served. The bot process itself never imports scikit-learn."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import textwrap
import threading

import pytest

from bot.catalog import loader
from bot.search import SearchIndex, apart, search
from bot.search.index import pack, texts
from bot.search.learned import learn
from bot.search.normalise import words
from bot.snapshot import SnapshotHolder, load_context
from tests.conftest import CONTENT_DIR, FIXTURE_CONTENT, LOCALES_DIR
from tests.editors.files import edit
from tests.search.test_ranker import QUESTIONS

# Children that fail in each way a child can; `-m module` comes after the code, as its argv.
KILLED = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"]
CRASHED = [sys.executable, "-c", "raise SystemExit('ValueError: no such thing')"]
SLOW = [sys.executable, "-c", "import time; time.sleep(60)"]
NOT_READABLE = [sys.executable, "-c", "print('hello')"]


def test_the_child_built_keyword_index_is_the_one_built_here(real_ctx):
    built = SearchIndex.keywords(real_ctx.catalog, reuse=False)
    here = SearchIndex(pack(texts(real_ctx.catalog)))
    assert built.articles == here.articles and built.keys == here.keys
    assert dict(built.idf) == dict(here.idf)
    assert dict(built.postings) == dict(here.postings)
    assert built.keyword_of == here.keyword_of
    for text in QUESTIONS:
        assert search(built, text, "ru") == search(here, text, "ru")


def test_what_children_built_is_kept_and_read_back_instead(ctx, tmp_path, monkeypatch):
    ranker, scope = learn(ctx.catalog, tmp_path)
    index = SearchIndex.keywords(ctx.catalog, models=tmp_path, reuse=False)
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".index", ".learned"]
    # Building again would fail now: only what was kept can answer.
    monkeypatch.setattr(apart, "PYTHON", KILLED)
    ranker_again, scope_again = learn(ctx.catalog, tmp_path)
    index_again = SearchIndex.keywords(ctx.catalog, models=tmp_path, reuse=False)
    for text in QUESTIONS:
        assert ranker_again.scores(words(text)) == ranker.scores(words(text))
        assert scope_again.out(words(text)) == scope.out(words(text))
        assert search(index_again, text, "ru") == search(index, text, "ru")


def test_other_content_is_built_again_and_old_builds_are_dropped(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    models = tmp_path / "models"
    monkeypatch.setattr(apart, "KEEP", 2)
    folder = content / "articles" / "first-steps"
    title = "First steps (ru)"
    kept = []
    for name in ("Первые шаги", "Первые дни", "Первые недели"):
        edit(folder / "ru.md", f"title: {title}", f"title: {name}")
        title = name
        learn(loader.load(content), models)
        kept.append({p.name for p in models.iterdir()})
    assert len(kept[0]) == 1 and len(kept[1]) == 2 and len(kept[2]) == 2
    assert kept[2] == (kept[1] - kept[0]) | (kept[2] - kept[1])


def test_a_broken_kept_build_is_built_again(ctx, tmp_path, caplog):
    learn(ctx.catalog, tmp_path)
    [kept] = tmp_path.iterdir()
    good = kept.read_bytes()
    kept.write_bytes(b"JOLRANK1 not really")
    with caplog.at_level(logging.WARNING, "bot.search.apart"):
        ranker, _ = learn(ctx.catalog, tmp_path)
    assert ranker.learned
    assert f"{kept.name} is broken" in caplog.text
    assert kept.read_bytes() == good


@pytest.mark.parametrize(
    ("child", "reason"),
    [
        (KILLED, "killed by signal 9"),
        (CRASHED, "exited with status 1: ValueError: no such thing"),
        (SLOW, "nothing within 2 s, stopped"),
        (NOT_READABLE, "its answer cannot be read: not the learned models"),
    ],
)
def test_a_failed_child_says_how_it_failed(ctx, tmp_path, monkeypatch, child, reason):
    monkeypatch.setattr(apart, "PYTHON", child)
    monkeypatch.setattr(apart, "TIMEOUT", 2.0)
    with pytest.raises(apart.BuildFailed) as failed:
        learn(ctx.catalog, tmp_path)
    assert failed.value.reason == reason
    assert not list(tmp_path.iterdir())


def test_a_stopping_bot_kills_its_children(ctx, monkeypatch):
    monkeypatch.setattr(apart, "PYTHON", SLOW)
    failures: list[apart.BuildFailed] = []

    def build() -> None:
        try:
            apart.run("bot.search.train", b"{}")
        except apart.BuildFailed as exc:
            failures.append(exc)

    builder = threading.Thread(target=build)
    builder.start()
    while not apart._RUNNING:
        builder.join(0.01)
    apart.stop()
    builder.join()
    assert [failure.reason for failure in failures] == ["killed by signal 9"]


def test_the_keyword_index_is_built_here_when_its_child_fails(ctx, monkeypatch, caplog):
    monkeypatch.setattr(apart, "PYTHON", CRASHED)
    with caplog.at_level(logging.ERROR, "bot.search.index"):
        index = SearchIndex.keywords(ctx.catalog, reuse=False)
    assert "its child failed (exited with status 1" in caplog.text
    assert index.keys == SearchIndex(pack(texts(ctx.catalog))).keys


def test_a_reload_whose_ranker_fails_keeps_the_last_good_content(tmp_path, monkeypatch, caplog):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    holder = SnapshotHolder(load_context(content, LOCALES_DIR), content, LOCALES_DIR)
    serving = holder.current
    folder = content / "articles" / "first-steps"
    (folder / "examples.yaml").write_text("ru: [где купить дыню]\n", encoding="utf-8")
    monkeypatch.setattr(apart, "PYTHON", KILLED)
    with caplog.at_level(logging.ERROR, "bot.snapshot"):
        published = holder.reload()
    assert not published.ok
    assert holder.current is serving
    assert published.problems[0].message == "search could not be built: killed by signal 9"
    assert "search could not be built (killed by signal 9)" in caplog.text
    # The children work again: the same edit is published.
    monkeypatch.undo()
    assert holder.reload().ok
    assert holder.current is not serving


def test_the_bot_process_never_imports_scikit_learn_scipy_or_alembic(tmp_path):
    """Start the services as `jol run` does (a new database, so it is migrated), wait for the
    learned ranker, answer a question; then start again, which reads what was kept."""
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from bot.config import load_settings
        from bot.services import open_services
        from bot.search.understand import understand

        async def main():
            settings = load_settings(
                content_dir={str(CONTENT_DIR)!r}, locales_dir={str(LOCALES_DIR)!r},
                jol_data_dir={str(tmp_path)!r}, database_url=None,
            )
            services = await open_services(settings)
            await services.learned.wait()
            index = services.content.current.search
            found = understand(index, "не платят зарплату", "ru")
            await services.close()
            print(index.ranker.learned, found.articles[0])
            print(sorted(m for m in ("sklearn", "scipy", "alembic") if m in sys.modules))

        asyncio.run(main())
        """
    )
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
        )
        assert done.stdout.splitlines() == ["True unpaid-wages", "[]"], done.stderr
        kept = sorted(p.suffix for p in (tmp_path / "models").iterdir())
        assert kept == [".index", ".learned"]
