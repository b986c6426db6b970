"""One cog per feature; each module ends in ``async def setup(bot)``.

Helpers the cogs share live beside this package (:mod:`bot.discord_app.replies`,
:mod:`bot.discord_app.checks`), never in an extension module.
"""
