"""The ranker is trained in a child process and kept in the data folder; the bot scores with
what the child hands back, and answers exactly as scikit-learn's own model would."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import textwrap

import pytest
from scipy.sparse import hstack

from bot.catalog import loader
from bot.search import ranker, train
from bot.search.normalise import words
from bot.search.ranker import Model, Ranker, TrainingFailed, folded, learn, samples, stemmed
from bot.snapshot import SnapshotHolder, load_context
from tests.conftest import CONTENT_DIR, FIXTURE_CONTENT, LOCALES_DIR
from tests.editors.files import edit

# Real questions, as people typed them, and a few that fit nothing.
QUESTIONS = (
    "не платят зарплату",
    "pasportimni olib qoyishdi",
    "жолга кандай кужат керек",
    "кудакро ба мактаб кабул намекунанд",
    "регистрация сколько дней",
    "права",
    "xxxxx",
)
KILLED = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"]
CRASHED = [sys.executable, "-c", "raise SystemExit('ValueError: no such thing')"]
SLOW = [sys.executable, "-c", "import time; time.sleep(60)"]
NOT_A_MODEL = [sys.executable, "-c", "print('hello')"]


@pytest.mark.parametrize("which", ["ctx", "real_ctx"])
def test_the_child_trained_scorer_equals_scikit_learns_own_model(request, which):
    """The served ranker came from the child; scikit-learn trains here, in the test process,
    on the same samples: every probability is the same."""
    ctx = request.getfixturevalue(which)
    served = ctx.search.ranker
    chars, stems, classifier = train.fit(samples(ctx.catalog))
    assert served.articles == tuple(classifier.classes_)
    for text in QUESTIONS:
        tokens = words(text)
        matrix = hstack([chars.transform([folded(tokens)]), stems.transform([stemmed(tokens)])])
        expected = classifier.predict_proba(matrix.tocsr())[0]
        assert list(served.scores(tokens).values()) == pytest.approx(list(expected), abs=1e-6)


def test_a_model_survives_being_written_and_read(real_ctx):
    trained = train.model(samples(real_ctx.catalog))
    again = Model.from_bytes(trained.to_bytes())
    assert again.chars == trained.chars and again.stems == trained.stems
    assert (again.weights == trained.weights).all()
    first = Ranker(real_ctx.catalog.articles, trained)
    second = Ranker(real_ctx.catalog.articles, again)
    for text in QUESTIONS:
        assert first.scores(words(text)) == second.scores(words(text))


@pytest.mark.parametrize("cut", [0, 5, 100, -1])
def test_a_cut_or_foreign_file_is_not_a_model(ctx, cut):
    data = train.model(samples(ctx.catalog)).to_bytes()
    with pytest.raises(ValueError):
        Model.from_bytes(data[:cut] if cut else b"PK\x03\x04" + data)


def test_a_learned_model_is_kept_and_read_back_instead_of_training(ctx, tmp_path, monkeypatch):
    first = learn(ctx.catalog, tmp_path)
    assert len(list(tmp_path.glob("*.ranker"))) == 1
    # Training again would fail now: only the kept model can answer.
    monkeypatch.setattr(ranker, "TRAINER", KILLED)
    second = learn(ctx.catalog, tmp_path)
    for text in QUESTIONS:
        assert second.scores(words(text)) == first.scores(words(text))


def test_other_content_is_trained_again_and_old_models_are_dropped(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    models = tmp_path / "models"
    monkeypatch.setattr(ranker, "KEEP_MODELS", 2)
    digests = []
    for name in ("Первые шаги", "Первые дни", "Первые недели"):
        folder = content / "articles" / "first-steps"
        text = (folder / "ru.md").read_text(encoding="utf-8")
        title = text.split("title: ", 1)[1].split("\n", 1)[0]
        edit(folder / "ru.md", f"title: {title}", f"title: {name}")
        catalog = loader.load(content)
        digests.append(samples(catalog).digest())
        learn(catalog, models)
    assert len(set(digests)) == 3
    assert sorted(p.stem for p in models.glob("*.ranker")) == sorted(digests[1:])


def test_a_broken_kept_model_is_trained_again(ctx, tmp_path, caplog):
    kept = tmp_path / f"{samples(ctx.catalog).digest()}.ranker"
    kept.write_bytes(b"JOLRANK1 not really")
    with caplog.at_level(logging.WARNING, "bot.search.ranker"):
        learned = learn(ctx.catalog, tmp_path)
    assert learned.learned
    assert "broken" in caplog.text
    assert Model.from_bytes(kept.read_bytes()).articles == learned.articles


@pytest.mark.parametrize(
    ("trainer", "reason"),
    [
        (KILLED, "killed by signal 9"),
        (CRASHED, "exited with status 1: ValueError: no such thing"),
        (SLOW, "no model within 2 s, stopped"),
        (NOT_A_MODEL, "its answer is not a model"),
    ],
)
def test_a_failed_child_says_how_it_failed(ctx, tmp_path, monkeypatch, trainer, reason):
    monkeypatch.setattr(ranker, "TRAINER", trainer)
    monkeypatch.setattr(ranker, "TRAIN_TIMEOUT", 2.0)
    with pytest.raises(TrainingFailed) as failed:
        learn(ctx.catalog, tmp_path)
    assert failed.value.reason.startswith(reason)
    assert not list(tmp_path.glob("*.ranker"))


def test_a_reload_whose_ranker_fails_keeps_the_last_good_content(tmp_path, monkeypatch, caplog):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    holder = SnapshotHolder(load_context(content, LOCALES_DIR), content, LOCALES_DIR)
    serving = holder.current
    folder = content / "articles" / "first-steps"
    (folder / "examples.yaml").write_text("ru: [где купить дыню]\n", encoding="utf-8")
    monkeypatch.setattr(ranker, "TRAINER", KILLED)
    with caplog.at_level(logging.ERROR, "bot.snapshot"):
        published = holder.reload()
    assert not published.ok
    assert holder.current is serving
    assert "killed by signal 9" in published.problems[0].message
    assert "search ranker could not be trained (killed by signal 9)" in caplog.text
    # The trainer works again: the same edit is published.
    monkeypatch.undo()
    assert holder.reload().ok
    assert holder.current is not serving


def test_the_bot_process_never_imports_scikit_learn(tmp_path):
    """Start the services as `jol run` does, wait for the learned ranker, answer a question."""
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
            await services.searching.wait()
            index = services.content.current.search
            found = understand(index, "не платят зарплату", "ru")
            await services.close()
            print(index.ranker.learned, found.articles[0])
            print(sorted(m for m in ("sklearn", "scipy") if m in sys.modules))

        asyncio.run(main())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    assert done.stdout.splitlines() == ["True unpaid-wages", "[]"], done.stderr
    assert len(list((tmp_path / "models").glob("*.ranker"))) == 1
