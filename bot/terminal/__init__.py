"""The terminal front end: the ``articlebot`` command and its sub-commands.

It uses the engine (``index``) and the question log (:mod:`bot.storage`), and
imports the Discord front end only to start the bot, inside a function, so
terminal commands never load discord.py.
"""
