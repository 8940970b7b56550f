"""Journalists' questions about the real corpus and the sample, written from the PDF pages before they
were run (tests/data/questions/*.toml; format in tests/data/questions/README.md), and how an answer
is judged against them.

Run as a script for a report by question class:
    .venv/bin/python -m tests.question_sets [--db FILE] [FILES...]
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from bot.conversation import Conversation
from bot.render import to_text
from queries.answer import Answer, Value
from queries.run import Answerer

QUESTIONS = Path(__file__).parent / "data" / "questions"
CORPORA = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real",
    Path(__file__).resolve().parent.parent / "samples",
)
VERDICTS = ("correct", "incomplete", "refused", "wrong")
Case = dict[str, Any]


def load(paths: list[Path] | None = None) -> list[Case]:
    """Every question (a conversation counts as one case), with the file it came from."""
    cases: list[Case] = []
    for path in paths or sorted(QUESTIONS.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for number, question in enumerate(data.get("questions", []), start=1):
            cases.append({**question, "file": path.name, "id": f"{path.stem}#{number}"})
        for number, conversation in enumerate(data.get("conversations", []), start=1):
            cases.append({**conversation, "class": "conversation", "file": path.name, "id": f"{path.stem}#c{number}"})
    return cases


@dataclass(frozen=True)
class Verdict:
    kind: str  # correct | incomplete | refused | wrong
    why: str
    answers: tuple[Answer, ...]


@cache
def page_text(file_name: str, page: int) -> str:
    """The text pdfium reads from one page, without spaces and thousands separators."""
    for folder in CORPORA:
        path = folder / file_name
        if path.is_file():
            pdf = pdfium.PdfDocument(path)
            try:
                return re.sub(r"[\s,]", "", pdf[page - 1].get_textpage().get_text_range())
            finally:
                pdf.close()
    return ""


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").replace("%", "").strip())
    except InvalidOperation:
        return None


def _unit(unit: str | None) -> str:
    # "名" and "人" both count persons: "万元/名" is "万元/人"
    return unicodedata.normalize("NFKC", unit or "").replace("/", "").replace("名", "人")


def _same_unit(printed: str | None, expected: str) -> bool:
    """The unit the answer prints is the one expected, or a count unit naming it among others ("台(套)" is 台 or 套)."""
    if _unit(printed) == _unit(expected):
        return True
    alternatives = re.split(r"[()/]", unicodedata.normalize("NFKC", printed or ""))
    return bool(expected) and expected in [a for a in alternatives if a]


# The answer's value roles (queries/answer.py ROLES) each expected role may be given by.
_ROLES: dict[str, frozenset[str]] = {
    "count": frozenset({"count", "sum", "difference", "average"}),
    "change": frozenset({"change", "difference"}),
    "rate": frozenset({"rate", "execution"}),
    "share": frozenset({"share"}),
    "ratio": frozenset({"ratio"}),
    "per_unit": frozenset({"per_unit"}),
    "rank": frozenset({"rank"}),
}
# Roles that are never the amount itself: a change or a percentage is no answer to "how much".
_NOT_AMOUNT = frozenset({"change", "rate", "share", "execution", "count", "ratio", "per_unit"})


def _expected_role(figure: dict[str, Any]) -> str:
    """The figure's role; a unit says it where the file names a plain one ("amount" in 万元/月 is a per-unit
    figure, a "rate" in 倍 a ratio)."""
    role: str = figure.get("role", "amount")
    unit = figure.get("unit", "")
    if role in ("amount", "rate") and unit == "倍":
        return "ratio"
    if role == "amount" and "/" in unit:
        return "per_unit"
    return role


def _role_fits(value: Value, figure: dict[str, Any]) -> bool:
    role = _expected_role(figure)
    if role in _ROLES:
        return value.role in _ROLES[role]
    return value.role not in _NOT_AMOUNT


def _sign_fits(value: Value, figure: dict[str, Any]) -> bool:
    """A change or rate goes the way the page says: a decrease of 37.6 is not an increase of 37.6."""
    direction: str | None = figure.get("direction")
    if direction is None or value.value is None or value.value == 0:
        return True
    return bool(value.value < 0) == (direction == "decrease")


def _matches(value: Value, answer: Answer, figure: dict[str, Any]) -> bool:
    """Whether one value of the answer is the expected figure: its number, unit, role and sign."""
    if figure.get("role") == "place":
        return _cites(answer, value, figure)
    if "contains" not in figure and value.role == "text" and value.text is not None:
        return _quotes(answer, value, figure)
    if "contains" not in figure and not (_role_fits(value, figure) and _sign_fits(value, figure)):
        return False
    if figure.get("name") and _bare(figure["name"]) not in _bare(value.label):
        return False  # a ranked item: the right figure under another item's name is not the answer
    if figure.get("phase") and figure["phase"] not in value.label:
        return False  # a point of a series that mixes 决算 and 预算 must say which it is
    if "contains" in figure:
        # a phrase the answer must hold: in a text, or a figure written with its unit ("12件", "900")
        shown = value.text if value.text is not None else f"{value.printed or ''}{value.unit or ''}"
        # punctuation of either width is the same text ("总量不变，结构调整" as stored "总量不变,结构调整")
        return _flat(figure["contains"]) in _flat(shown)
    unit = figure.get("unit", "")
    for _file, _page, printed in figure.get("at", []):
        expected = _number(printed)
        if expected is None or value.value is None:
            continue
        same = (value.printed and _number(value.printed) == expected) or abs(value.value) == abs(expected)
        if same and _same_unit(value.unit, unit):
            source = answer.sources[value.source] if value.source < len(answer.sources) else None
            # The page the answer cites must print the figure (read from the PDF, not the database).
            if (
                value.printed
                and source is not None
                and source.file
                and value.printed.replace(",", "") not in page_text(source.file, source.file_page)
            ):
                continue
            return True
    if "computed" in figure and value.value is not None:
        expected = _number(figure["computed"])
        if expected is None:
            return False
        mine = value.value
        # a per-unit figure ("万元/辆") converts by its money part, as a plain amount does
        money, _, per = unit.partition("/")
        own_money, _, own_per = (value.unit or "").partition("/")
        if _unit(per) != _unit(own_per):
            return False
        if money == "元" and own_money == "万元":
            mine = mine * 10000
        elif money == "万元" and own_money == "元":
            mine = mine / 10000
        elif not _same_unit(value.unit, unit) and not (unit in ("%", "") and value.unit == "%"):
            return False
        places = len(figure["computed"].split(".")[1]) if "." in figure["computed"] else 0
        tolerance = Decimal(1).scaleb(-places) / 2 + Decimal("0.006")
        return abs(abs(mine) - abs(expected)) <= tolerance
    return False


def judge(answer: Answer, case: Case) -> Verdict:
    if case.get("expect") == "refuse":
        if answer.status == "answered" and any(v.value is not None for v in answer.values):
            return Verdict("wrong", "answered a question whose figure the document does not print", (answer,))
        if answer.status == "answered":
            return Verdict("wrong", "answered (with text) a question that must be refused", (answer,))
        said = to_text(answer)
        missing = case.get("missing", "")
        named = [missing, *case.get("missing_also", [])]
        if missing and not any(_bare(word) in _bare(said) for word in named):
            return Verdict("incomplete", f"refused without naming “{'” or “'.join(named)}”", (answer,))
        return Verdict("correct", "refused", (answer,))
    figures = case.get("figures", [])
    if not case.get("mixed_phase"):
        # a point's phase must be said only where the series mixes 决算 and 预算
        figures = [{k: v for k, v in f.items() if k != "phase"} for f in figures]
    if answer.status != "answered":
        return Verdict("refused", f"{answer.status}: {answer.headline}", (answer,))
    unmatched = [f for f in figures if not any(_matches(v, answer, f) for v in answer.values)]
    if not unmatched:
        return Verdict("correct", "", (answer,))
    first = next((v for v in answer.values if v.value is not None or v.text is not None), None)
    if first is not None and not any(_matches(first, answer, f) for f in figures):
        return Verdict("wrong", "first value is none of the expected: " + _want(unmatched), (answer,))
    return Verdict("incomplete", "missing " + _want(unmatched), (answer,))


def _quotes(answer: Answer, value: Value, figure: dict[str, Any]) -> bool:
    """Whether a quoted sentence prints the figure as the page does, quoted from one of the pages it is on."""
    if value.source >= len(answer.sources) or value.text is None:
        return False
    source = answer.sources[value.source]
    said = _flat(value.text).replace(",", "")
    for file, page, printed in figure.get("at", []):
        number = printed.replace(",", "")
        printed_there = source.file == file and source.file_page == page and number
        if printed_there and re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", said):
            return True
    return False


def _cites(answer: Answer, value: Value, figure: dict[str, Any]) -> bool:
    """Whether the value's source is one of the places (file and page; the table's title holding
    `table`, when given) the figure lists."""
    if value.source >= len(answer.sources):
        return False
    source = answer.sources[value.source]
    table = _bare(figure.get("table", ""))
    for file, page, _printed in figure.get("at", []):
        # the table named by its title; a narrative place by its page (its section heading is the asker's)
        named = not table or table in _bare(source.table) or source.table == "情况说明"
        if source.file == file and source.file_page == page and named:
            return True
    return False


def _flat(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def _bare(text: str) -> str:
    """Text without what may sit between the words of a name in a reply: spaces, quotes, 的; one width."""
    return re.sub(r"[\s“”\"'‘’「」的]", "", unicodedata.normalize("NFKC", text))


def _want(figures: list[dict[str, Any]]) -> str:
    out = []
    for f in figures:
        shown = f.get("computed") or (f["at"][0][2] if f.get("at") else f.get("contains", ""))
        out.append(f"{f.get('what', '')}={shown}{f.get('unit', '')}")
    return "; ".join(out)


def _document_ids(answerer: Answerer, key: str) -> set[str]:
    files = answerer.snapshot().files
    return {doc for doc, entries in files.items() if any(Path(name).stem.startswith(key) for _, name, _, _ in entries)}


def ask(answerer: Answerer, chat: Conversation, question: str, key: str) -> Answer:
    """Ask as a user would, pressing the choice that leads to the case's document when one is offered."""
    answer = chat.ask(answerer, question)
    wanted = _document_ids(answerer, key) if key else set()
    for _ in range(3):
        if answer.status != "ambiguous" or not wanted:
            return answer
        docs = {d.id: d for d in answerer.snapshot().documents}
        target = [docs[d] for d in wanted if d in docs]
        pressed = None
        for number, choice in enumerate(answer.choices, start=1):
            if choice.document in wanted:
                pressed = number
            elif (
                choice.document is None
                and target
                and any(str(t.year) in choice.label or t.body in choice.label for t in target)
            ):
                pressed = pressed or number
        if pressed is None:
            return answer
        chosen = chat.choose(answerer, pressed)
        if chosen is None:
            return answer
        answer = chosen
    return answer


def run_case(answerer: Answerer, case: Case) -> Verdict:
    chat = Conversation()
    key = case.get("document", "")
    if case.get("class") == "conversation":
        answers = []
        for turn in case["turns"]:
            answer = ask(answerer, chat, turn["question"], key)
            answers.append(answer)
            verdict = judge(answer, {"expect": turn.get("expect", "answer"), **turn})
            if verdict.kind != "correct":
                return Verdict(verdict.kind, f"turn “{turn['question']}”: {verdict.why}", tuple(answers))
        return Verdict("correct", "", tuple(answers))
    return judge(ask(answerer, chat, case["question"], key), case)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the journalists' question files and report by class.")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--show", choices=VERDICTS, action="append", default=[])
    args = parser.parse_args(argv)
    answerer = Answerer(args.db, answers_kept=0)
    tally: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    for case in load(args.files or None):
        verdict = run_case(answerer, case)
        tally[(case["class"], verdict.kind)] += 1
        totals[verdict.kind] += 1
        if verdict.kind in args.show:
            question = case.get("question") or " / ".join(t["question"] for t in case["turns"])
            print(f"[{verdict.kind}] {case['id']} {case['class']}: {question}\n    {verdict.why}")
            for answer in verdict.answers[-1:]:
                print("    " + to_text(answer).replace("\n", "\n    "))
    classes = sorted({c for c, _ in tally})
    print(f"{'class':16} " + " ".join(f"{v:>10}" for v in VERDICTS))
    for name in classes:
        print(f"{name:16} " + " ".join(f"{tally[(name, v)]:>10}" for v in VERDICTS))
    count = sum(totals.values())
    print(f"{'all':16} " + " ".join(f"{totals[v]:>10}" for v in VERDICTS) + f"   of {count}")
    print(f"correct {totals['correct'] / max(count, 1):.1%}, wrong {totals['wrong'] / max(count, 1):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
