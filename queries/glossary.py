"""The glossary (queries/glossary.toml): words for general concepts, fund scopes and kinds of spending."""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

from ingest.meaning import meanings

MEASURES = ("money", "count")


class GlossaryError(ValueError):
    """glossary.toml is not what queries/glossary.py expects: says which entry and why."""


@dataclass(frozen=True)
class Concept:
    name: str
    words: tuple[str, ...]
    measure: str  # money | count
    parts: tuple[str, ...]
    context_words: tuple[str, ...] = ()  # words that name it only when the question also has `context`
    context: str = ""
    related: tuple[str, ...] = ()  # printed rows often taken for it, named when it is not printed
    amount: str = ""  # for a count, the money concept of the same thing ("买车的钱": 购置车辆 → 公务用车购置费)
    # a figure of the printed name written right before it ("市中医院迁建工程总投资"), not a second thing asked
    of_named: bool = False


@dataclass(frozen=True)
class Glossary:
    concepts: tuple[Concept, ...]
    scopes: dict[str, str]  # word → scope
    spending: dict[str, str]  # word → kind of spending
    table_order: tuple[str, ...]

    def concept(self, name: str) -> Concept:
        return next(c for c in self.concepts if c.name == name)

    def words(self) -> dict[str, list[Concept]]:
        """word → the concepts it names (a word may name a sum of money and a count)."""
        return self._words

    @cached_property
    def _words(self) -> dict[str, list[Concept]]:
        out: dict[str, list[Concept]] = {}
        for concept in self.concepts:
            for word in concept.words:
                out.setdefault(word, []).append(concept)
        return out

    @cached_property
    def words_by_first(self) -> dict[str, tuple[str, ...]]:
        """The words, by their first character: a question is scanned once, not once per word."""
        out: dict[str, list[str]] = {}
        for word in self._words:
            out.setdefault(word[:1], []).append(word)
        return {first: tuple(words) for first, words in out.items()}


def key(text: str) -> str:
    """How words are compared: NFKC (half-width), lower case, no spaces or quotes."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "“”\"'‘’「」")


@cache
def load_glossary() -> Glossary:
    raw = tomllib.loads(resources.files("queries").joinpath("glossary.toml").read_text(encoding="utf-8"))
    known = {c.name for c in meanings().concepts}
    concepts = []
    for number, entry in enumerate(raw["concepts"], start=1):
        where = f"glossary.toml: concept {number} ({entry.get('name', '?')})"
        allowed = {"name", "words", "measure", "parts", "context", "context_words", "related", "amount", "of_named"}
        unknown = set(entry) - allowed
        if unknown:
            raise GlossaryError(f"{where}: unknown key {sorted(unknown)[0]!r}; known: {', '.join(sorted(allowed))}")
        if bool(entry.get("context")) != bool(entry.get("context_words")):
            raise GlossaryError(f"{where}: give context and context_words together")
        if entry["name"] not in known:
            raise GlossaryError(f"{where}: no concept of that name in ingest/concepts.toml")
        measure = entry.get("measure", "money")
        if measure not in MEASURES:
            raise GlossaryError(f"{where}: measure {measure!r} is not one of {', '.join(MEASURES)}")
        context_words = tuple(key(w) for w in entry.get("context_words", ()))
        concepts.append(
            Concept(
                entry["name"],
                tuple(key(w) for w in entry["words"]) + context_words,
                measure,
                tuple(entry.get("parts", ())),
                context_words,
                key(entry.get("context", "")),
                tuple(key(w) for w in entry.get("related", ())),
                entry.get("amount", ""),
                bool(entry.get("of_named", False)),
            )
        )
    names = {c.name for c in concepts}
    for concept in concepts:
        if concept.amount and (concept.amount not in names or concept.measure != "count"):
            raise GlossaryError(
                f"glossary.toml: {concept.name}: amount {concept.amount!r} must name a concept and belong to a count"
            )
        missing = [part for part in concept.parts if part not in names]
        if missing:
            raise GlossaryError(f"glossary.toml: {concept.name} has part {missing[0]!r}, which is no concept here")
    scopes = {key(word): scope for scope, words in raw["scopes"].items() for word in words}
    spending = {key(word): kind for kind, words in raw["spending"].items() for word in words}
    return Glossary(tuple(concepts), scopes, spending, tuple(raw["tables"]["order"]))
