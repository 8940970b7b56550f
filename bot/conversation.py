"""What a chat remembers between questions, and the commands both chats (terminal, Telegram) share."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field, replace

from bot.pages import SourcePage, source_pages
from bot.render import params_json
from queries.answer import Answer, Choice
from queries.findings import Report, reports
from queries.frame import DocumentInfo
from queries.run import Answerer

DOCS_SHOWN = 50  # /docs lists at most this many; more are narrowed with words


@dataclass
class Conversation:
    """One chat's state: its current document, last answer and any choices offered."""

    document: str | None = None
    last: Answer | None = None
    choices: tuple[Choice, ...] = field(default_factory=tuple)
    asked: str = ""  # the last question that named what it asked about, written out in full

    def ask(self, answerer: Answerer, question: str, document: str | None = None) -> Answer:
        full = answerer.follow_up(self.asked, question) if self.asked else None
        answer = answerer.answer(full or question, document or self.document)
        if full is not None and answer.status == "answered":
            answer = replace(answer, notes=(f"（接上一问，按“{full}”回答）", *answer.notes))
        if answer.status in ("answered", "no_data"):
            self.asked = full or question
        self.remember(answer)
        return answer

    def choose(self, answerer: Answerer, number: int) -> Answer | None:
        """Answer the pending ambiguous question with choice `number` (1-based)."""
        if not 1 <= number <= len(self.choices):
            return None
        choice = self.choices[number - 1]
        return self.ask(answerer, choice.question, choice.document)

    def take(self, other: Conversation) -> None:
        """Become `other`: the state a worker process returns with its answer (bot/answer_pool.py)."""
        self.document, self.last, self.choices, self.asked = other.document, other.last, other.choices, other.asked

    def remember(self, answer: Answer) -> None:
        self.last = answer
        self.choices = answer.choices
        if answer.document:
            self.document = answer.document

    def documents(self, answerer: Answerer, words: str = "") -> str:
        """/docs: the loaded documents (numbered for /use), those whose label has every word."""
        documents = answerer.snapshot().documents
        if not documents:
            return "数据库中还没有文档；请先运行 budgetbot ingest 导入 PDF。"
        wanted = words.split()
        shown = [
            f"{number}. {doc.label}{'（当前）' if doc.id == self.document else ''}"
            for number, doc in enumerate(documents, start=1)
            if all(word in doc.label for word in wanted)
        ]
        if not shown:
            return f"没有文档的名称包含“{words}”。发送 /docs 查看全部 {len(documents)} 份。"
        if len(shown) > DOCS_SHOWN:
            head = f"共 {len(shown)} 份，只列出前 {DOCS_SHOWN} 份；加上关键词可以缩小范围，如 /docs 财政局 2024"
            shown = [head, *shown[:DOCS_SHOWN]]
        return "\n".join([*shown, "发送 /use 序号 选定其中一份，之后的问题都针对它。"])

    def use(self, answerer: Answerer, argument: str) -> str:
        """/use N (a number from /docs) or /use words (naming exactly one document)."""
        found = _named(answerer, argument, "use")
        if isinstance(found, str):
            return found
        self.document = found.id
        return f"已选定：{found.label}。之后的问题都针对这份文档，问题里写别的部门或年份即可切换。"

    def check(self, answerer: Answerer, argument: str) -> Report | str:
        """/check [N|words]: the figure checker's findings for the named or the current document."""
        if argument.strip():
            found = _named(answerer, argument, "check")
            if isinstance(found, str):
                return found
            self.document = found.id
        documents = [d for d in answerer.snapshot().documents if d.id == self.document]
        if not documents:
            return NO_CHECK
        return reports(answerer, documents)[0]

    def sql(self) -> tuple[str, str] | None:
        """/sql: the last answer's SQL and its parameters as JSON."""
        if self.last is None or self.last.sql is None:
            return None
        return self.last.sql, params_json(self.last.params)

    def source_pages(self) -> list[SourcePage]:
        """The pages the last answer cites, with its figures to mark on them."""
        return source_pages(self.last) if self.last is not None else []


def _named(answerer: Answerer, argument: str, command: str) -> DocumentInfo | str:
    """The one document `argument` names (a number from /docs, or words of its label), or why not."""
    documents = answerer.snapshot().documents
    found: list[DocumentInfo] = []
    if argument.isdigit():
        if not 1 <= int(argument) <= len(documents):
            return f"没有第 {argument} 份文档：序号是 1 到 {len(documents)}，见 /docs。"
        found = [documents[int(argument) - 1]]
    elif argument.strip():
        found = [d for d in documents if all(word in d.label for word in argument.split())]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        return f"有 {len(found)} 份文档符合“{argument}”，请用 /docs {argument} 查看序号后 /{command} 序号。"
    return f"请用 /{command} 序号 选定文档，序号见 /docs。"


NO_SQL = "还没有可显示 SQL 的答案；先问一个问题。"
NO_SOURCE = "上一答案没有来源页；先问一个关于数字的问题。"
NO_ROWS = "上一答案没有可导出的数字；先问一个问题。"
NO_CHART = "上一答案不是一组数字（多年、各单位排名或构成），没有图表；例如问“某单位历年三公经费”。"
NO_CHECK = "先选定一份文档：/check 序号（序号见 /docs），或 /check 加文档名称中的词，或先问一个关于它的问题。"

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "开始使用"),
    ("help", "示例问题"),
    ("docs", "已加载的文档（可加关键词筛选）"),
    ("use", "选定文档：/use 序号"),
    ("sql", "上一答案的 SQL 和参数"),
    ("source", "上一答案的来源页图片，所引数字用红框标出"),
    ("chart", "上一答案的图表（多年、排名、构成）"),
    ("export", "上一答案导出为 CSV"),
    ("check", "数字核对：当前文档中前后不一致的数字"),
)

# Example questions by topic; each is answered on the bundled sample or the real corpus (tested).
HELP_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("一个数字", ("三公经费多少？", "那公务接待费呢？", "基本支出是多少", "机关运行经费")),
    ("比较与构成", ("三公经费比上年增加多少", "基本支出占比多少", "三公经费由哪些构成", "支出最多的科目")),
    ("跨部门、跨年度", ("2019年哪个部门三公经费最多", "江苏省政协办公厅历年三公经费", "2019年各部门三公经费合计")),
    ("表格与页码", ("有哪些表", "三公经费表在第几页", "列出三公经费表", "第5页是什么")),
    ("文字", ("什么是机关运行经费", "主要职责是什么", "编制多少人", "群众满意度目标是多少")),
)


def help_text(quit_command: bool = False) -> str:
    lines = ["直接输入问题即可，例如："]
    for topic, examples in HELP_TOPICS:
        lines.append(f"【{topic}】" + " / ".join(examples))
    lines.append("问题里写部门和年份可换文档（如“普陀区财政局2024年三公经费”），不写则沿用上一问的文档。")
    lines.append("命令：" + " · ".join(f"/{name} {title}" for name, title in COMMANDS if name != "start"))
    if quit_command:
        lines[-1] += " · /quit 退出"
    return "\n".join(lines)


EXPORT_COLUMNS = (
    "项目",
    "原文数字",
    "数值",
    "单位",
    "折合万元",
    "文字",
    "文档",
    "部门",
    "年度",
    "表",
    "页",
    "文件",
    "文件页",
)


def export_csv(answer: Answer) -> bytes:
    """The answer's values with their sources, as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for value in answer.values:
        source = answer.sources[value.source] if value.source < len(answer.sources) else None
        writer.writerow(
            [
                value.label,
                value.printed or "",
                "" if value.value is None else f"{value.value:f}",
                value.unit or "",
                "" if value.value_wan is None else f"{value.value_wan:f}",
                value.text or "",
                source.document if source else "",
                source.body if source else "",
                (source.year or "") if source else "",
                source.table if source else "",
                source.page if source else "",
                source.file if source else "",
                source.file_page if source else "",
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def export_name(answer: Answer) -> str:
    return f"budget-{answer.template or 'answer'}-{answer.document or 'all'}.csv"


# -- choice buttons that survive a restart ---------------------------------------------------------
# A button carries the chat's document when the question was asked, the path of choices taken
# (1.2 = second choice after the first) and a digest of the chosen question. Pressing it answers
# the original question again (the message the buttons reply to) and follows the path; if the data
# changed so that the path leads elsewhere, the digest differs and the button has expired.

CALLBACK_PREFIX = "c"


def digest(text: str) -> str:
    return hashlib.blake2s(text.encode(), digest_size=4).hexdigest()


def choice_data(document: str | None, path: tuple[int, ...], choice: Choice) -> str:
    steps = ".".join(str(step) for step in path)
    return f"{CALLBACK_PREFIX}:{digest(document) if document else '-'}:{steps}:{digest(choice_key(choice))}"


def choice_key(choice: Choice) -> str:
    return f"{choice.document}|{choice.question}"


@dataclass(frozen=True)
class Pressed:
    """A choice button's data, decoded."""

    document_digest: str | None
    path: tuple[int, ...]
    choice_digest: str


def parse_choice(data: str) -> Pressed | None:
    parts = data.split(":")
    if len(parts) != 4 or parts[0] != CALLBACK_PREFIX:
        return None
    steps = parts[2].split(".")
    if not all(step.isdigit() for step in steps):
        return None
    return Pressed(None if parts[1] == "-" else parts[1], tuple(int(step) for step in steps), parts[3])


def follow(answerer: Answerer, question: str, pressed: Pressed) -> tuple[str | None, Choice, Answer] | None:
    """Ask `question` again and take the pressed path: (context document, choice, its answer), or None if expired."""
    document = None
    if pressed.document_digest is not None:
        document = next((d.id for d in answerer.snapshot().documents if digest(d.id) == pressed.document_digest), None)
        if document is None:
            return None
    answer = answerer.answer(question, document)
    choice: Choice | None = None
    for step in pressed.path:
        if not 1 <= step <= len(answer.choices):
            return None
        choice = answer.choices[step - 1]
        answer = answerer.answer(choice.question, choice.document or document)
    if choice is None or digest(choice_key(choice)) != pressed.choice_digest:
        return None
    return document, choice, answer
