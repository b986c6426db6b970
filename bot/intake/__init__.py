"""Adding articles to the folder and removing them: by link, file or pasted text.

Front ends (Discord, the terminal) call the same functions, so both say the
same things and keep the same guarantees: the page is fetched safely
(:mod:`bot.intake.fetching`), its main text extracted
(:mod:`bot.intake.extraction`), the article written in the seed format with
its source, and the index rebuilt by the caller's ``rebuild``; a failure
leaves the folder as it was (:mod:`bot.intake.folder`). No discord.py here.
"""

from bot.intake.drafts import draft_from_file, draft_from_text, draft_from_url
from bot.intake.errors import DuplicateArticle, IntakeError, PrivateAddressRefused
from bot.intake.folder import Added, Removed, add_to_folder, remove_from_folder
from bot.intake.messages import added_message, removed_message
from bot.intake.records import Draft

__all__ = [
    "Added",
    "Draft",
    "DuplicateArticle",
    "IntakeError",
    "PrivateAddressRefused",
    "Removed",
    "add_to_folder",
    "added_message",
    "draft_from_file",
    "draft_from_text",
    "draft_from_url",
    "remove_from_folder",
    "removed_message",
]
