"""What a typed message is: a question for an article, a place, a call for help, a greeting or
thanks, or something Jol does not cover; see README.md, "Typed questions".

The whole message counts, up to Telegram's 4096 characters. Greetings, politeness and the
story around the point (`filler` in intents.yaml, the stopwords) are left out before ranking,
and ranking sees the message as a bag of words, so where in a long message the point stands
does not change the answer. Articles are ranked by the learned `Ranker`, blended with the
lexical index (`rank.search`) on the message's rarest words; whether any article covers the
message at all is the out-of-scope model's (`scope.Scope`) to say.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.locales import FALLBACK_LOCALE
from bot.search.index import SearchIndex
from bot.search.lexicon import Lexicon, Message, entries, read
from bot.search.match import is_stopword
from bot.search.places import find as find_place
from bot.search.rank import search

MAX_CHARS = 4096

_DATA = read("intents.yaml")
EMPLOYER = entries(_DATA["employer"])
URGENT = entries(_DATA["urgent"])
HELP_ALONE = entries(_DATA["help_alone"])
FILLER = frozenset(entry.parts[0][0] for entry in entries(_DATA["filler"]).entries if entry.parts)
THANKS = entries(_DATA["smalltalk"]["thanks"])
GREETING = entries(_DATA["smalltalk"]["greeting"])
DECLINE = entries(_DATA["decline"])


@dataclass(frozen=True)
class _Distress:
    name: str
    words: Lexicon
    articles: tuple[str, ...]
    by_employer: tuple[str, ...]
    weak: bool
    # Said of the employer with nothing else that tells of danger now: a question for the
    # first `by_employer` article.
    employer_question: bool


DISTRESS = tuple(
    _Distress(
        name,
        entries(found),
        tuple(found.get("articles", ())),
        tuple(found.get("by_employer", ())),
        bool(found.get("weak")),
        bool(found.get("employer_question")),
    )
    for name, found in _DATA["distress"].items()
)
PLEA = next(kind for kind in DISTRESS if kind.name == "plea")

# The ranker's probability of the best article: below SURE an out-of-scope word declines,
# below LEAST nothing is answered at all; each at least LIFT times what a blind guess among the
# articles would have (a catalog of two articles gives any guess a half). Two articles within
# AMBIGUOUS of each other are both
# offered. BM25 adds up to LEXICAL to an article's probability, in proportion to its score.
SURE = 0.45
LEAST = 0.12
LIFT = 1.5
AMBIGUOUS = 0.6
LEXICAL = 0.25
# The ranker's own probability of the best article, when the keyword search agrees, that keeps
# a question with a word of `decline` or that looks out of scope an article question.
AGREED = 0.45
# Out of scope (`scope.py`) when its probability, less OFF_RANKER times the best article's,
# reaches OFF_SCOPE: a likely article outweighs a few words that look like small talk.
OFF_SCOPE = 0.4
OFF_RANKER = 1.0
# ... and only for a message of at most this many words that say what it is about: people tell
# long stories to be helped with something in them, and a long story's words average out.
OFF_WORDS = 8
# With a word of `decline` in the message, less is needed, whatever its length.
OFF_LEXICON = 0.0
OFF_PHRASE = -0.6
# A message this short gives the two rankers little to go on: when they disagree, both are shown.
FEW = 3
# Other articles are offered from this share of the best one's score.
RELATED = 0.1
# The rarest words of a long message that the lexical index reads.
LEXICAL_WORDS = 16
LIMIT = 4


@dataclass(frozen=True)
class Understanding:
    intent: str  # "article" | "place" | "distress" | "smalltalk" | "decline"
    # ranked article ids (for "article"; for "distress" the fitting ones)
    articles: tuple[str, ...] = ()
    place_kind: str | None = None  # centre kind for "place"
    city: str | None = None  # city id for "place"
    country: str | None = None  # "uz" | "tj" | "kg" for consulates
    ambiguous: bool = False


def smalltalk_kind(text: str) -> str:
    """ "thanks" for thanks and goodbyes, else "greeting" (hello, who are you, an emoji)."""
    message = Message(text[:MAX_CHARS])
    return "thanks" if message.has(THANKS) else "greeting"


def _content(message: Message, taken: set[int]) -> list[str]:
    """The words that say what the message is about, each once, in order."""
    found = []
    for position, (word, token) in enumerate(zip(message.words, message.tokens, strict=True)):
        if position in taken or token in FILLER or is_stopword(word):
            continue
        if len(word) > 1:
            found.append(word)
    return list(dict.fromkeys(found))


def _lexical_text(index: SearchIndex, content: list[str]) -> str:
    """The LEXICAL_WORDS rarest words, in the message's order: the same for any placement."""
    if len(content) <= LEXICAL_WORDS:
        return " ".join(content)
    from bot.search.normalise import fold

    rarity = {word: index.idf.get(fold(word), 0.0) for word in content}
    kept = set(sorted(content, key=lambda w: (-rarity[w], w))[:LEXICAL_WORDS])
    return " ".join(word for word in content if word in kept)


def rank(
    index: SearchIndex, content: list[str], locale: str | None
) -> tuple[list[tuple[str, float]], str | None, float]:
    """Articles with the blended score, best first; the lexical index's own best article,
    None when no article has the message's words; and the ranker's own best probability."""
    scores = dict(index.ranker.scores(content))
    learned = max(scores.values(), default=0.0)
    asked = _lexical_text(index, content)
    hits = search(index, asked, locale or FALLBACK_LOCALE, limit=LIMIT, strict=False)
    if hits:
        top = hits[0].score
        for hit in hits:
            scores[hit.article] = scores.get(hit.article, 0.0) + LEXICAL * hit.score / top
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return ranked, hits[0].article if hits else None, learned


def _present(index: SearchIndex, ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(article for article in ids if article in index.articles)


def _distress_articles(
    index: SearchIndex,
    kinds: list[_Distress],
    message: Message,
    ranked: list[tuple[str, float]],
) -> tuple[str, ...]:
    """The first fitting article of each kind of danger the message tells (beaten and not let
    go: the violence and the trafficking articles), then the ranker's best when it is sure,
    then the others."""
    by_employer = message.has(EMPLOYER)
    hinted = [
        _present(index, kind.by_employer if kind.by_employer and by_employer else kind.articles)
        for kind in kinds
    ]
    fitting = tuple(found[0] for found in hinted if found)
    if not all(kind.weak for kind in kinds) and ranked and ranked[0][1] >= SURE:
        fitting += (ranked[0][0],)
    fitting += tuple(article for found in hinted for article in found[1:])
    return tuple(dict.fromkeys(fitting))


def _employer_question(
    index: SearchIndex, danger: list[_Distress], message: Message, now: bool
) -> str | None:
    """The article for a threat by the employer with nothing else that tells of danger now
    ("хозяин угрожает убить если уйду"); None when the message is an emergency or not this."""
    if not danger or now or not all(kind.employer_question for kind in danger):
        return None
    if not message.has(EMPLOYER):
        return None
    found = _present(index, danger[0].by_employer)
    return found[0] if found else None


def understand(index: SearchIndex, text: str, locale: str | None) -> Understanding:
    message = Message(text[:MAX_CHARS])
    plea = message.matched(PLEA.words)
    urgent = message.matched(URGENT)
    danger = [k for k in DISTRESS if k is not PLEA and message.has(k.words)]
    place = find_place(index.places, message)
    social = message.matched(THANKS) | message.matched(GREETING)
    content = _content(message, plea | social | urgent)
    ranked, lexical, learned = rank(index, content, locale) if content else ([], None, 0.0)
    best = ranked[0][1] if ranked else 0.0
    blind = LIFT / max(len(index.ranker.articles), 1)
    least = max(LEAST, blind)
    # Both rankers agree on the best article, and it is likely: a question for that article
    # even when it has a word of `decline` in it (`цена патента`).
    agreed = lexical is not None and lexical == ranked[0][0] and learned >= AGREED

    strong = [k for k in danger if not k.weak]
    weak = [k for k in danger if k.weak]
    question = _employer_question(index, danger, message, bool(plea or urgent))
    if question:
        rest = tuple(article for article, _ in ranked[:LIMIT] if article != question)
        return Understanding("article", (question, *rest[: LIMIT - 1]))
    if strong or (weak and (plea or urgent)):
        return Understanding("distress", _distress_articles(index, danger, message, ranked))

    if place.kind and (place.where or place.city or place.country):
        country = place.country if place.kind == "consulate" else None
        return Understanding("place", place_kind=place.kind, city=place.city, country=country)
    if place.city and place.generic:
        return Understanding("place", city=place.city)

    # "ёрдам", "помощь!": nothing but the word for help.
    alone = message.matched(HELP_ALONE) - social
    if alone and not _content(message, plea | social | urgent | alone):
        return Understanding("distress", _distress_articles(index, [PLEA], message, ranked))
    if plea and (best < SURE or not content):
        return Understanding("distress", _distress_articles(index, [PLEA], message, ranked))
    # A city says where, not what about: "погода в Шымкенте" and "зарплата в Шымкенте" alike.
    topic = _content(message, plea | social | urgent | place.city_taken)
    # How much more likely out of scope than about the likeliest article.
    outside = index.scope.out(topic) - OFF_RANKER * learned if topic else 0.0
    # A word of `decline` ("бешбармак", "погода") is out of scope unless the rest of the
    # message is about something Jol covers ("работаем под дождём, не платят"); a phrase of it
    # ("квартиры снимают", "курс доллара") even when an article seems to fit.
    spans = message.spans(DECLINE)
    if any(len(span) > 1 for span in spans) and outside >= OFF_PHRASE:
        return Understanding("decline")
    if spans and not agreed and outside >= OFF_LEXICON:
        return Understanding("decline")
    if not content or (social and len(content) <= 1 and not plea):
        return Understanding("smalltalk")
    # Not one word the keyword index knows: the ranker could only guess from letters.
    if lexical is None or best < least:
        return Understanding("decline")
    if not agreed and len(topic) <= OFF_WORDS and outside >= OFF_SCOPE:
        return Understanding("decline")
    articles = tuple(article for article, score in ranked[:LIMIT] if score >= best * RELATED)
    # Two fit about equally, or the keyword search prefers the runner-up: let the user choose.
    ambiguous = len(ranked) > 1 and (
        ranked[1][1] >= AMBIGUOUS * best or (lexical == ranked[1][0] and len(content) <= FEW)
    )
    return Understanding("article", articles, ambiguous=ambiguous)
