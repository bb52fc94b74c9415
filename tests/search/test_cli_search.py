"""`jol search` for editors: try a question, and measure search on the evaluation set."""

import json

from tests.test_cli import jol


def test_search_eval_prints_top1_and_top3_per_language(tmp_path):
    result = jol("search", "eval", "--part", "short", env={"JOL_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {
        line.split()[0]: line.split()
        for line in result.stdout.splitlines()
        if line[:3] in {"kk ", "ru ", "uz ", "tg "}
    }
    assert sorted(rows) == ["kk", "ru", "tg", "uz"]
    for row in rows.values():
        assert row[2].endswith("%") and row[3].endswith("%")
    assert "everywhere: met" in result.stdout
    assert "== tune" not in result.stdout and "== test" not in result.stdout
    assert "== fresh" not in result.stdout


def test_search_eval_reports_every_realistic_part_as_json(tmp_path):
    env = {"JOL_DATA_DIR": str(tmp_path)}
    result = jol("search", "eval", "--json", env=env)
    report = json.loads(result.stdout)
    assert sorted(report["parts"]) == ["dev", "fresh", "short", "test", "tune"]
    for part in report["parts"].values():
        assert sorted(part) == ["kk", "ru", "tg", "uz"]
    for name, least in (("test", 40), ("fresh", 60)):
        held_out = report["parts"][name]["ru"]
        assert held_out["cases"] >= least, name
        assert set(held_out["classes"]) == {"article", "place", "distress", "smalltalk", "decline"}
        for key in ("top1", "top3", "decline_precision", "decline_recall", "places_accuracy"):
            assert 0.0 <= held_out[key] <= 1.0, (name, key)
    assert result.returncode == (0 if report["targets_met"] else 1)


def test_misses_of_the_held_out_parts_are_never_listed(tmp_path):
    env = {"JOL_DATA_DIR": str(tmp_path)}
    tune = jol("search", "eval", "--part", "tune", "-v", env=env)
    assert ": expected " in tune.stdout
    dev = jol("search", "eval", "--part", "dev", "-v", env=env)
    assert "== dev" in dev.stdout and "== tune" not in dev.stdout
    for part in ("test", "fresh"):
        held_out = jol("search", "eval", "--part", part, "-v", env=env)
        assert f"== {part}" in held_out.stdout and ": expected " not in held_out.stdout, part
        assert "== tune" not in held_out.stdout, part


def test_search_shows_what_the_bot_would_answer(tmp_path):
    env = {"JOL_DATA_DIR": str(tmp_path)}
    found = jol("search", "pasportimni", "yo'qotdim", "--lang", "uz", env=env)
    assert found.returncode == 0, found.stderr
    assert found.stdout.startswith("understood as: article; articles: lost-documents")
    assert "\n1. lost-documents" in found.stdout
    assert "Pasport yoʻqoldi" in found.stdout and "matched: pasportimni, yo'qotdim" in found.stdout
    missed = jol("search", "рецепт плова", env=env)
    assert missed.stdout.startswith("understood as: decline")
    assert "No article fits" in missed.stdout
    place = jol("search", "где цон в алмате", env=env)
    assert place.stdout.startswith("understood as: place; place_kind: public_service; city: almaty")


def test_eval_fails_when_the_targets_are_missed(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "ru.yaml").write_text("- q: рецепт плова\n  expect: work-permit\n", encoding="utf-8")
    result = jol("search", "eval", "--set", str(folder), env={"JOL_DATA_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "NOT met" in result.stdout
