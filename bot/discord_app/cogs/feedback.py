"""The feedback extension: routes clicks on any answer's buttons to :mod:`bot.discord_app.feedback`.

The buttons, and what building, recording and answering them takes, live in
the plain module :mod:`bot.discord_app.feedback`, which the ask cog imports too: keeping
them out of this extension keeps one copy of :class:`~bot.discord_app.feedback.FeedbackButton`
(``load_extension`` executes an extension's module afresh).
"""

from __future__ import annotations

from bot.discord_app.client import ArticleBot
from bot.discord_app.feedback import FeedbackButton


async def setup(bot: ArticleBot) -> None:
    """Register the buttons by template: clicks on any earlier answer are routed here."""
    bot.add_dynamic_items(FeedbackButton)


async def teardown(bot: ArticleBot) -> None:
    bot.remove_dynamic_items(FeedbackButton)
