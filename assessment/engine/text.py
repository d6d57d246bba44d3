"""User-facing text as the engine holds it: definition texts in several languages, and messages to translate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_LOCALE = "en"


def N_(message: str) -> str:
    """Marks an English message for extraction; the interface translates it where it is shown."""
    return message


@dataclass(frozen=True)
class Text:
    """A user-facing text in several languages; English is always present."""

    translations: Mapping[str, str]

    def in_(self, locale: str) -> str:
        """The text in `locale`, falling back to its language and then to English."""
        for candidate in (locale, locale.split("_")[0], DEFAULT_LOCALE):
            if candidate in self.translations:
                return self.translations[candidate]
        return self.translations[DEFAULT_LOCALE]
