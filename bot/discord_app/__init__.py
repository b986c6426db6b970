"""The Discord front end: the bot, its cogs, and serving the engine to Discord.

Named so that it can never shadow the ``discord`` library. It uses the engine
(``index``) and the stores (:mod:`bot.storage`); the terminal front end starts
it lazily (:func:`bot.discord_app.runner.run_bot`).
"""
