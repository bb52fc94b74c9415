"""`jol search "question" --lang uz` (what the bot would answer) and `jol search eval`."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.catalog import loader
from bot.config import PROJECT_ROOT, Settings
from bot.locales import FALLBACK_LOCALE, LOCALES
from bot.search import SearchIndex, search
from bot.search.evaluation import TARGET_TOP1, TARGET_TOP3, evaluate, load

EVAL_SET = PROJECT_ROOT / "bench" / "search_eval"


def _index(settings: Settings) -> tuple[SearchIndex, dict]:
    catalog = loader.load(settings.content_dir)
    return SearchIndex.build(catalog), dict(catalog.articles)


def _ask(settings: Settings, question: str, locale: str) -> int:
    index, articles = _index(settings)
    hits = search(index, question, locale)
    if not hits:
        print("No article fits: the bot says so, offers the sections, and counts the question.")
        return 0
    for place, hit in enumerate(hits, start=1):
        title = articles[hit.article].text(locale)[0].title
        print(f"{place}. {hit.article:<26} {hit.score:>7.2f}  {title}")
        print(f"   {'':<26} {'':>7}  matched: {', '.join(hit.words)}")
    return 0


def _evaluate(settings: Settings, folder: Path, verbose: bool) -> int:
    if not folder.is_dir():
        print(f"jol: no evaluation set in {folder} (it comes with the source repository)")
        return 2
    index, _ = _index(settings)
    scores = evaluate(index, load(folder))
    print(f"Search evaluation: {folder}")
    print("language  questions        top-1         top-3   unanswerable declined")
    for score in scores:
        print(
            f"{score.locale:<9} {score.answerable:>9}  {score.top1:>4} {score.top1_rate:>7.1%}"
            f"  {score.top3:>4} {score.top3_rate:>7.1%}   {score.declined} of {score.unanswerable}"
        )
        if verbose:
            for question, found in score.misses:
                expected = question.expect or "(nothing)"
                got = ", ".join(found[:3]) or "(nothing)"
                print(f"    {question.text!r}: expected {expected}, got {got}")
    met = bool(scores) and all(score.meets_targets for score in scores)
    verdict = "met" if met else "NOT met"
    print(f"target: top-1 ≥ {TARGET_TOP1:.0%} and top-3 ≥ {TARGET_TOP3:.0%} everywhere: {verdict}")
    return 0 if met else 1


async def run(settings: Settings, args: argparse.Namespace) -> int:
    if args.words == ["eval"]:
        return _evaluate(settings, args.set, args.verbose)
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
    parser.add_argument("-v", "--verbose", action="store_true", help="list what eval got wrong")
    parser.set_defaults(func=run, quiet=True)
