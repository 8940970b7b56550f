"""`budgetbot serve`: every platform config.toml enables, in one process over one Answerer.

Telegram runs when its token's environment variable is set (or when nothing else is enabled, so that
its missing token is the error); 钉钉, 企业微信/政务微信 and 飞书 when their section says enabled = true.
Everything start-up can check (tokens, secrets, the database) is checked before any platform starts.
All platforms answer on one thread and one pool of answer processes: the Answerer's DuckDB connection
belongs to one thread, and a process that serves four platforms should not start four pools.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot.answer_pool import AnswerPool
from bot.charts import set_up_matplotlib
from bot.messenger import Access, MessengerCore
from bot.settings import Settings, SettingsError
from queries.run import Answerer

logger = logging.getLogger(__name__)

Runner = Callable[[MessengerCore, asyncio.Event], Coroutine[Any, Any, None]]


def messengers(settings: Settings) -> list[tuple[str, Access, Runner]]:
    """The enabled messenger platforms: name, access rules, and how to run it. Checks each one's secrets
    (SettingsError naming the variable) before returning, so nothing starts when one is missing."""
    limit = settings.bot.max_question_chars
    found: list[tuple[str, Access, Runner]] = []
    if settings.dingtalk.enabled:
        from bot.dingtalk import check_dingtalk, run_dingtalk

        dingtalk = settings.dingtalk
        check_dingtalk(dingtalk)
        access = Access(dingtalk.allowed_user_ids, dingtalk.allowed_departments, dingtalk.rate_limit_per_minute, limit)
        found.append(("dingtalk", access, lambda core, stop: run_dingtalk(dingtalk, core, stop)))
    if settings.wecom.enabled:
        from bot.wecom import check_wecom, run_wecom

        wecom = settings.wecom
        check_wecom(wecom)
        access = Access(wecom.allowed_user_ids, wecom.allowed_departments, wecom.rate_limit_per_minute, limit)
        found.append(("wecom", access, lambda core, stop: run_wecom(wecom, core, stop)))
    if settings.feishu.enabled:
        from bot.feishu import check_feishu, run_feishu

        feishu = settings.feishu
        check_feishu(feishu)
        access = Access(feishu.allowed_user_ids, feishu.allowed_departments, feishu.rate_limit_per_minute, limit)
        found.append(("feishu", access, lambda core, stop: run_feishu(feishu, core, stop)))
    return found


def serve(settings: Settings) -> int:
    """Check everything start-up can check, then serve until Ctrl-C or SIGTERM."""
    from bot.telegram_app import BudgetBot, RedactToken, read_token, serve_until

    enabled = messengers(settings)
    bot_settings = settings.bot
    token = os.environ.get(bot_settings.token_env, "").strip()
    if not enabled:
        token = read_token(bot_settings)  # Telegram alone: its missing token is the error
    if token and bot_settings.mode == "webhook" and not bot_settings.webhook_url:
        raise SettingsError(
            f'{settings.file}: [bot] mode = "webhook" needs webhook_url, the public HTTPS URL Telegram posts to'
        )
    answerer = Answerer(settings.database.path)
    telegram: BudgetBot | None = None
    if token:
        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactToken(token))  # python-telegram-bot logs its API URL, token included
        telegram = BudgetBot(bot_settings, answerer)
        if telegram.access.open:
            logger.warning("allowed_user_ids and allowed_chat_ids are empty: anyone who finds the bot can use it")
        executor, pool = telegram.worker, telegram.pool
    else:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="answers")
        workers = bot_settings.worker_count
        pool = AnswerPool(answerer.database, workers) if workers > 1 else None
        if pool is None:
            executor.submit(set_up_matplotlib)
    cores = [
        (name, MessengerCore(answerer, access, executor=executor, pool=pool), run) for name, access, run in enabled
    ]

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signal_number, stop.set)
        # Telegram stops after the messengers: its shutdown closes the answer thread and pool they share.
        telegram_stop = asyncio.Event()
        runs: dict[asyncio.Task[Any], str] = {asyncio.create_task(run(core, stop)): name for name, core, run in cores}
        if telegram is not None:
            application = telegram.application(token)
            runs[asyncio.create_task(serve_until(application, bot_settings, token, telegram_stop))] = "telegram"
        logger.info("serving: %s", ", ".join(runs.values()))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({*runs, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stop.set()  # one platform ended (it failed): the others stop too
        messenger_runs = [task for task, name in runs.items() if name != "telegram"]
        results = list(await asyncio.gather(*messenger_runs, return_exceptions=True))
        for _, core, _ in cores:
            await core.close()
        telegram_stop.set()
        results += await asyncio.gather(*(t for t, name in runs.items() if name == "telegram"), return_exceptions=True)
        failures = [result for result in results if isinstance(result, BaseException)]
        if failures:
            raise failures[0]

    try:
        asyncio.run(main())
    finally:
        if telegram is None:
            executor.shutdown(wait=True)
            if pool is not None:
                pool.close()
    return 0
