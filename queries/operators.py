"""The operator vocabulary (queries/operators.toml): words that change what a question asks.

Each word names one operation (ratio, per_unit, rank, explanation …). A template says in its
`-- operators:` header which operations it carries out; `Answerer.understand` gives a question only to a
template that carries out every operation the question's words ask for, and refuses it, naming the
word, when none does. So no operator word can be dropped silently, as a stop-word would be.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


class OperatorError(ValueError):
    """operators.toml is not what queries/operators.py expects: says which entry and why."""


@dataclass(frozen=True)
class Operator:
    name: str
    title: str  # what it computes, as a refusal says it
    role: str | None  # the role of the value it adds (queries/answer.py ROLES), None when it only chooses
    words: tuple[str, ...]
    patterns: tuple[str, ...]
    examples: tuple[str, ...]  # words the patterns match: every one must be found (tests walk them)
    quoted: bool = False  # a quoted sentence of the document can state it (queries/passages.py)
    shortened: bool = False  # it can be asked of a printed name the asker shortened (queries/paraphrase.py)


@dataclass(frozen=True)
class OperatorWord:
    """One operator word found in a question."""

    start: int
    end: int
    word: str
    operator: Operator


@dataclass(frozen=True)
class Operators:
    operators: tuple[Operator, ...]

    def named(self, name: str) -> Operator:
        return next(o for o in self.operators if o.name == name)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(o.name for o in self.operators)

    def find(self, question: str) -> list[OperatorWord]:
        """Every operator word of the question, longest first where two overlap, left to right."""
        found: list[OperatorWord] = []
        for match in _pattern(self).finditer(question):
            name = next(key for key, value in match.groupdict().items() if value is not None)
            operator = self.named(name.split("__")[0])
            found.append(OperatorWord(match.start(), match.end(), match.group(0), operator))
        return found


@cache
def _pattern(operators: Operators) -> re.Pattern[str]:
    # One alternation per operator word, longest words first, so that "增长率" is a rate, not a change,
    # and "平均每辆" a per-unit figure, not an average.
    alternatives: list[tuple[int, str, str]] = []
    for number, operator in enumerate(operators.operators):
        for index, word in enumerate(operator.words):
            alternatives.append((len(word), f"{operator.name}__w{number}_{index}", re.escape(word)))
        for index, pattern in enumerate(operator.patterns):
            alternatives.append((20 + len(pattern), f"{operator.name}__p{number}_{index}", pattern))
    alternatives.sort(key=lambda entry: -entry[0])
    return re.compile("|".join(f"(?P<{group}>{text})" for _, group, text in alternatives))


def asked_operations(question: str) -> frozenset[str]:
    """The operations a question's words ask for, by name."""
    return frozenset(word.operator.name for word in operators().find(question))


@cache
def operators() -> Operators:
    text = resources.files("queries").joinpath("operators.toml").read_text(encoding="utf-8")
    return parse_operators(tomllib.loads(text))


def parse_operators(data: dict[str, object]) -> Operators:
    entries = data.get("operators")
    if not isinstance(entries, list) or not entries:
        raise OperatorError("operators.toml: give at least one [[operators]] entry")
    found: list[Operator] = []
    seen_words: dict[str, str] = {}
    for entry in entries:
        name = entry.get("name", "")
        if not re.fullmatch(r"[a-z_]+", name) or "__" in name:
            raise OperatorError(f"operators.toml: operator name {name!r} must be lower-case letters and _")
        if not entry.get("title"):
            raise OperatorError(f"operators.toml: operator {name!r} has no title (what the refusal calls it)")
        words = tuple(entry.get("words", ()))
        for word in words:
            if word in seen_words:
                raise OperatorError(f"operators.toml: word {word!r} is in both {seen_words[word]!r} and {name!r}")
            seen_words[word] = name
        patterns: list[str] = []
        examples: list[str] = []
        for item in entry.get("patterns", ()):
            try:
                compiled = re.compile(item["pattern"])
            except (KeyError, re.error) as error:
                raise OperatorError(f"operators.toml: operator {name!r} has a bad pattern: {error}") from None
            if not item.get("examples"):
                raise OperatorError(f"operators.toml: pattern {item['pattern']!r} of {name!r} needs examples")
            for example in item["examples"]:
                # an example is what a question holds; a pattern may look ahead ("怎么" before 增加)
                if not compiled.match(example):
                    raise OperatorError(f"operators.toml: example {example!r} does not match {item['pattern']!r}")
            patterns.append(item["pattern"])
            examples.extend(item["examples"])
        if not words and not patterns:
            raise OperatorError(f"operators.toml: operator {name!r} has neither words nor patterns")
        found.append(
            Operator(
                name,
                entry["title"],
                entry.get("role"),
                words,
                tuple(patterns),
                tuple(examples),
                bool(entry.get("quoted", False)),
                bool(entry.get("shortened", False)),
            )
        )
    return Operators(tuple(found))
