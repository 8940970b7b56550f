"""What a chat remembers between questions, and the commands both chats share."""

from __future__ import annotations

from dataclasses import dataclass, field

from queries.answer import Answer, Choice
from queries.run import Answerer


@dataclass
class Conversation:
    """One chat's state: its current document, last answer and any choices offered."""

    document: str | None = None
    last: Answer | None = None
    choices: tuple[Choice, ...] = field(default_factory=tuple)

    def ask(self, answerer: Answerer, question: str, document: str | None = None) -> Answer:
        answer = answerer.answer(question, document or self.document)
        self.remember(answer)
        return answer

    def choose(self, answerer: Answerer, number: int) -> Answer | None:
        """Answer the pending ambiguous question with choice `number` (1-based)."""
        if not 1 <= number <= len(self.choices):
            return None
        choice = self.choices[number - 1]
        return self.ask(answerer, choice.question, choice.document)

    def remember(self, answer: Answer) -> None:
        self.last = answer
        self.choices = answer.choices
        if answer.document:
            self.document = answer.document


HELP = """可以这样问（直接输入问题）：
· 三公经费多少？ / 那公务接待费呢？
· 基本支出是多少 / 收入总计 / 机关运行经费
· 三公经费比上年增加多少
· 什么是机关运行经费 / 主要职责 / 有几个股室 / 编制多少人
· 群众满意度目标是多少 / 运行维护响应时间
· 有哪些文档 / 有哪些表
命令：/help 帮助 · /docs 文档列表 · /use 序号 选定文档
/sql 上一答案的 SQL · /source 上一答案的来源页 · /quit 退出"""
