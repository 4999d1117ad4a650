"""Texts of a definition file that people read, in every language of the app.

A lifecycle or record file names a state, a step, a deadline or itself either with one text
(English, as older and custom files do) or with one text per language:
`label: {en: Fiche drafting, fr: Rédaction de la fiche}`. A label reads in the language of the
current request (twinflow.i18n), else in English: outside a web request, so the API and the
CLI keep their English labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import ValidationError, fields

from twinflow.i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language


@dataclass(frozen=True)
class Labels:
    """One text per language (English first); empty when the file gives none."""

    texts: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, value: Labels | str | dict | None) -> Labels:
        if isinstance(value, Labels):
            return value
        if not value:
            return cls()
        if isinstance(value, str):
            return cls(((DEFAULT_LANGUAGE, value),))
        ordered = sorted(value.items(), key=lambda item: item[0] != DEFAULT_LANGUAGE)
        return cls(tuple((language, text) for language, text in ordered if text))

    def get(self, language: str) -> str | None:
        return next((text for lang, text in self.texts if lang == language), None)

    def text(self, language: str | None = None) -> str:
        """In `language` (the current one by default), else in English."""
        wanted = language or current_language()
        return self.get(wanted) or self.get(DEFAULT_LANGUAGE) or ""

    @property
    def english(self) -> str:
        return self.get(DEFAULT_LANGUAGE) or ""

    def missing(self, languages=LANGUAGES) -> list[str]:
        return [language for language in languages if not self.get(language)]

    def filled_from(self, other: Labels) -> Labels:
        """These texts, and `other`'s in the languages these lack (an older edition's labels
        completed from the current edition's)."""
        have = {language for language, _ in self.texts}
        extra = tuple((lang, text) for lang, text in other.texts if lang not in have)
        return Labels(self.texts + extra) if extra else self

    def __str__(self) -> str:
        return self.text()

    def __bool__(self) -> bool:
        return bool(self.texts)


class LabelField(fields.Field):
    """A text read by people: one string (English), or {en: ..., fr: ...} with English given."""

    def __init__(self, *args, max_length: int | None = None, allow_empty=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length, self.allow_empty = max_length, allow_empty

    def _deserialize(self, value, attr, data, **kwargs):
        labels = self._labels(value)
        if not labels and not self.allow_empty:
            raise ValidationError("must not be empty")
        too_long = [lang for lang, text in labels.texts if len(text) > (self.max_length or 1e9)]
        if too_long:
            raise ValidationError(
                f"the {too_long[0]} text is longer than {self.max_length} characters"
            )
        return labels

    def _labels(self, value) -> Labels:
        if isinstance(value, str):
            return Labels.of(value)
        if not isinstance(value, dict):
            raise ValidationError(
                "must be a text, or one text per language such as {en: ..., fr: ...}"
            )
        for language, text in value.items():
            if language not in LANGUAGES:
                raise ValidationError(
                    f"{language!r} is not a language of the app; the languages are "
                    f"{', '.join(LANGUAGES)}"
                )
            if not isinstance(text, str) or not text.strip():
                raise ValidationError(f"the {language} text must be a non-empty text")
        if DEFAULT_LANGUAGE not in value:
            raise ValidationError(f"needs its English text ({DEFAULT_LANGUAGE}: ...)")
        return Labels.of(value)
