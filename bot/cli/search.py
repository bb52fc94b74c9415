"""`jol search "question" --lang uz` (what the bot would answer) and `jol search eval`."""

from __future__ import annotations

import argparse
import json
from functools import partial
from pathlib import Path

from bot.catalog import loader
from bot.config import PROJECT_ROOT, Settings
from bot.locales import FALLBACK_LOCALE, LOCALES
from bot.search import SearchIndex, search
from bot.search.evaluation import (
    CLASSES,
    TARGET_DISTRESS_RECALL,
    TARGET_TOP1,
    TARGET_TOP3,
    Score,
    evaluate,
    load,
)
from bot.search.understand import understand

EVAL_SET = PROJECT_ROOT / "bench" / "search_eval"
# `dev` is tuning data written later; `fresh` is a second held-out part, written before a later
# round of tuning (README there).
PARTS = ("short", "tune", "dev", "test", "fresh")
# Misses are listed for the parts one may tune on, never for the held-out ones.
LISTED = {"short", "tune", "dev"}


def _index(settings: Settings) -> tuple[SearchIndex, dict]:
    catalog = loader.load(settings.content_dir)
    return SearchIndex.build(catalog), dict(catalog.articles)


def _ask(settings: Settings, question: str, locale: str) -> int:
    index, articles = _index(settings)
    understood = understand(index, question, locale)
    print(f"understood as: {understood.intent}", end="")
    for name in ("articles", "place_kind", "city", "country", "ambiguous"):
        value = getattr(understood, name)
        if value:
            print(f"; {name}: {', '.join(value) if isinstance(value, tuple) else value}", end="")
    print("\nkeyword search:")
    hits = search(index, question, locale)
    if not hits:
        print("No article fits the keywords alone.")
        return 0
    for place, hit in enumerate(hits, start=1):
        title = articles[hit.article].text(locale)[0].title
        print(f"{place}. {hit.article:<26} {hit.score:>7.2f}  {title}")
        print(f"   {'':<26} {'':>7}  matched: {', '.join(hit.words)}")
    return 0


def _folder(root: Path, part: str) -> Path:
    return root if part == "short" else root / "realistic" / part


def _meets(part: str, score: Score) -> bool:
    return score.meets_short_targets() if part == "short" else score.meets_realistic_targets()


def _pct(rate: float | None) -> str:
    return "    —" if rate is None else f"{rate:>6.1%}"


def _print_part(part: str, folder: Path, scores: list[Score], verbose: bool) -> None:
    print(f"\n== {part}: {folder}")
    print("language  cases  top-1  top-3  decl.P decl.R places distress small")
    for s in scores:
        print(
            f"{s.locale:<9} {sum(s.total.values()):>5} {_pct(s.top1_rate)} {_pct(s.top3_rate)}"
            f" {_pct(s.decline_precision)} {_pct(s.decline_recall)} {_pct(s.places_accuracy)}"
            f"  {_pct(s.distress_recall)} {_pct(s.smalltalk_accuracy)}"
        )
    print("per class (correct/cases; answered as: article place distress smalltalk decline)")
    for s in scores:
        for expected in CLASSES:
            if not s.total[expected]:
                continue
            answered = " ".join(f"{s.confusion[expected, intent]:>3}" for intent in CLASSES)
            print(
                f"  {s.locale} {expected:<9} {s.right[expected]:>3}/{s.total[expected]:<3}"
                f" {_pct(s.class_accuracy(expected))}   {answered}"
            )
        if verbose and part in LISTED:
            for case, got in s.misses:
                wanted = ", ".join(case.articles) or case.kind or case.expect
                print(
                    f"    {case.text!r}: expected {case.expect} ({wanted}),"
                    f" got {got.intent} {', '.join(got.articles[:3])}"
                )
    verdict = "met" if all(_meets(part, s) for s in scores) else "NOT met"
    if part == "short":
        print(
            f"target: top-1 ≥ {TARGET_TOP1:.0%} and top-3 ≥ {TARGET_TOP3:.0%} everywhere: {verdict}"
        )
    else:
        print(f"target: distress recall ≥ {TARGET_DISTRESS_RECALL:.0%} everywhere: {verdict}")


def _evaluate(settings: Settings, root: Path, part: str, as_json: bool, verbose: bool) -> int:
    parts = PARTS if part == "all" else (part,)
    folders = {name: _folder(root, name) for name in parts}
    missing = [name for name, folder in folders.items() if not folder.is_dir()]
    if len(missing) == len(parts):
        print(f"jol: no evaluation set in {root} (it comes with the source repository)")
        return 2
    index, _ = _index(settings)
    answer = partial(understand, index)
    results = {
        name: evaluate(load(folder), answer)
        for name, folder in folders.items()
        if name not in missing
    }
    met = all(_meets(name, s) for name, scores in results.items() for s in scores) and all(
        results.values()
    )
    if as_json:
        report = {name: {s.locale: s.as_dict() for s in scores} for name, scores in results.items()}
        print(json.dumps({"parts": report, "targets_met": met}, ensure_ascii=False, indent=2))
    else:
        print(f"Search evaluation: {root}")
        for name, scores in results.items():
            _print_part(name, folders[name], scores, verbose)
    return 0 if met else 1


async def run(settings: Settings, args: argparse.Namespace) -> int:
    if args.words == ["eval"]:
        return _evaluate(settings, args.set, args.part, args.json, args.verbose)
    return _ask(settings, " ".join(args.words), args.lang)


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "search",
        help="what the bot answers to a typed question; `jol search eval` measures search",
    )
    parser.add_argument("words", nargs="+", help='a question, or "eval"')
    parser.add_argument(
        "--lang", choices=LOCALES, default=FALLBACK_LOCALE, help="the asker's interface language"
    )
    parser.add_argument("--set", type=Path, default=EVAL_SET, help="folder of the evaluation set")
    parser.add_argument(
        "--part",
        choices=(*PARTS, "all"),
        default="all",
        help="short set, realistic tune or dev part, held-out test or fresh part, or all (default)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list misses (never for the held-out parts)"
    )
    parser.set_defaults(func=run, quiet=True)
