"""The one translation layer (docs/architecture.md, "Languages"): gettext catalogues managed with Babel.

Every user-facing sentence is written in English in the code and marked for extraction: ``_("...")`` or
``ngettext(...)`` in the pages (``pages/shared/i18n.py`` binds them to the session's language), ``N_("...")``
where the text is kept and translated later (module constants, the messages of ``DomainError``). The catalogues
are in ``core/i18n/locale/<language>/LC_MESSAGES/<domain>.po`` (one domain per feature, ``DOMAINS``), compiled to
``.mo`` beside them by ``scripts/i18n.py``. Numbers, dates and money are formatted by Babel for the language.

Placeholders are ``str.format`` fields; a ``Translator`` formats what it is given by type: whole numbers as
``1,583`` / ``1 583``, dates as ``01 Jan 2027`` / ``1 sty 2027``, everything else as ``str``. The command line's
JSON never goes through here: it stays English and unchanged.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = {"en": "English", "pl": "Polski"}  # the code's language first; each other one has its catalogues
SOURCE_LANGUAGE = "en"
LANGUAGE_ENV = "MARKETABLE_LANGUAGE"  # presets the language for the whole deployment (en, pl)
STRICT_ENV = "MARKETABLE_I18N_STRICT"  # tests: a sentence missing from a catalogue raises instead of showing English

# Which files each catalogue (gettext domain) holds: the first entry whose prefix matches a file wins. One domain per
# feature keeps each .po file small and owned by the feature it translates.
DOMAINS: dict[str, tuple[str, ...]] = {
    "usage": ("pages/usage/", "core/rules/money.py", "core/services/forecast.py", "core/services/breakdown.py"),
    "contacts": (
        "pages/contacts/contacts.py",
        "pages/contacts/contact.py",
        "pages/contacts/_table.py",
        "pages/contacts/_filters.py",
        "pages/contacts/_bulk",
        "pages/contacts/_dialogs.py",
        "pages/contacts/_state.py",
        "pages/contacts/_actions.py",
        "pages/contacts/_detail",
        "pages/contacts/_new_contact.py",
        "pages/contacts/_lists.py",
        "pages/contacts/_rows.py",
        "pages/shared/filter_builder.py",
        "pages/shared/_filter_value.py",
        "core/rules/filters.py",
        "core/rules/selection.py",
        "core/services/contacts.py",
        "core/services/contact_detail.py",
        "core/services/status.py",
        "core/services/lists.py",
        "core/services/views.py",
        "core/services/selection_errors.py",
        "core/rules/email_address.py",
        "core/rules/contact_fields.py",
        "core/rules/confirmation.py",
    ),
    "imports": (
        "pages/contacts/import_contacts.py",
        "pages/contacts/_import",
        "pages/contacts/sources.py",
        "pages/contacts/_sources",
        "pages/contacts/_hubspot",
        "core/services/imports/",
        "core/services/exports.py",
        "core/services/files.py",
        "core/services/sources.py",
        "core/rules/csvformat.py",
        "core/rules/record_id.py",
        "core/rules/hubspot",
    ),
    "workflows": ("pages/workflows/", "core/rules/workflows.py", "core/services/workflows/"),
    "admin": (
        "app.py",
        "pages/admin/",
        "pages/shared/",
        "core/services/account_settings.py",
        "core/services/audit.py",
        "core/services/users.py",
        "core/services/signin.py",
        "core/services/permissions.py",
        "core/services/hubspot/",
        "core/services/jobs.py",
        "core/services/background.py",
    ),
    "core": ("core/",),  # every other core module: errors, rules and services no page area owns
}


class MissingTranslation(KeyError):
    """Strict mode (tests): a sentence the catalogue of the chosen language does not translate."""


def N_(message: str) -> str:
    """Marks ``message`` for extraction; it is translated where it is shown (``Translator.__call__``)."""
    return message


def configured_language() -> str:
    """The deployment's language: ``MARKETABLE_LANGUAGE`` when it names one we have, else English."""
    wanted = (os.environ.get(LANGUAGE_ENV) or "").strip().lower().replace("_", "-").split("-")[0]
    return wanted if wanted in LANGUAGES else SOURCE_LANGUAGE


def domain_of(path: str) -> str | None:
    """The catalogue a source file's sentences belong to (``path`` relative to the project root)."""
    path = path.replace(os.sep, "/")
    return next((name for name, prefixes in DOMAINS.items() if path.startswith(prefixes)), None)


class _Strict(NullTranslations):
    """The fallback of a strict catalogue: a sentence it does not have is an error (tests only)."""

    def gettext(self, message: str) -> str:
        raise MissingTranslation(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        raise MissingTranslation(msgid1)

    def pgettext(self, context: str, message: str) -> str:
        raise MissingTranslation(f"{context}|{message}")


def _catalogue(language: str, strict: bool) -> NullTranslations:
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    merged: NullTranslations | None = None
    for domain in DOMAINS:
        part = Translations.load(str(LOCALE_DIR), [language], domain)
        if not isinstance(part, Translations):
            continue  # this domain has no catalogue yet for the language
        if merged is None:
            merged = part
        else:
            assert isinstance(merged, Translations)
            merged.merge(part)
    catalogue = merged or NullTranslations()
    if strict:
        catalogue.add_fallback(_Strict())
    return catalogue


# How each language writes a day, a day without its year, and an amount of money (Babel patterns). English keeps the
# forms the dashboard always used (``01 Jan 2027``, ``1,140 USD``); other languages use their locale's own.
_DAY = {"en": "dd MMM y"}
_DAY_MONTH = {"en": "dd MMM"}
_MONTH = {"en": "MMM y"}
_MONEY = {"en": "#,##0 ¤¤"}


@dataclass(frozen=True)
class Translator:
    """Sentences, numbers, dates and money in one language."""

    language: str
    catalogue: NullTranslations

    # sentences
    def gettext(self, message: str) -> str:
        return self.catalogue.gettext(message)

    def __call__(self, message: str, /, **params: Any) -> str:
        """``message`` translated, its ``{fields}`` filled with ``params`` formatted for the language."""
        translated = self.catalogue.gettext(message)
        return self.fill(translated, params) if params else translated

    def ngettext(self, singular: str, plural: str, n: int, /, **params: Any) -> str:
        """The form of a sentence for ``n`` (Polish has three: 1 kontakt, 2 kontakty, 5 kontaktów); ``{n}`` is
        filled with ``n`` formatted, and the other fields with ``params``."""
        translated = self.catalogue.ngettext(singular, plural, n)
        return self.fill(translated, {"n": n, **params})

    def pgettext(self, context: str, message: str, /, **params: Any) -> str:
        """A short word whose translation depends on where it stands (``context``)."""
        translated = str(self.catalogue.pgettext(context, message))
        return self.fill(translated, params) if params else translated

    def fill(self, text: str, params: dict[str, Any]) -> str:
        return text.format(**{key: self.value(value) for key, value in params.items()})

    def value(self, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return self.number(value)
        if isinstance(value, datetime):
            return self.moment(value)
        if isinstance(value, date):
            return self.day(value)
        render = getattr(value, "text", None)
        if callable(render) and isinstance(value, (str, BaseException)):
            return render(self)  # a core.errors.Sentence (a rule's reason) or an error: said in this language too
        return value

    # numbers, dates, money
    def number(self, value: int | float) -> str:
        """``1,583`` in English, ``1 583`` in Polish."""
        return format_decimal(value, locale=self.language)

    def percent(self, fraction: float) -> str:
        return format_percent(fraction, locale=self.language)

    def day(self, value: date) -> str:
        """``01 Jan 2027`` in English, ``1 sty 2027`` in Polish."""
        return format_date(value, _DAY.get(self.language, "medium"), locale=self.language)

    def day_month(self, value: date) -> str:
        """``01 Jan`` / ``1 sty``."""
        return format_date(value, _DAY_MONTH.get(self.language, "d MMM"), locale=self.language)

    def month(self, value: date) -> str:
        """``Jan 2027`` / ``sty 2027``."""
        return format_date(value, _MONTH.get(self.language, "LLL y"), locale=self.language)

    def moment(self, value: datetime) -> str:
        """A date and time: ``01 Jan 2027 14:05`` / ``1 sty 2027 14:05``."""
        return f"{self.day(value)} {format_datetime(value, 'HH:mm', locale=self.language)}"

    def money(self, value: int | float, currency: str) -> str:
        """``1,140 USD`` in English, ``890,00 USD`` in Polish."""
        pattern = _MONEY.get(self.language, "#,##0.00\u00a0¤¤")
        return format_currency(value, currency, pattern, locale=self.language, currency_digits=False)


def strict() -> bool:
    return os.environ.get(STRICT_ENV, "").strip() not in ("", "0")


@lru_cache(maxsize=16)
def _translator(language: str, strict_mode: bool) -> Translator:
    return Translator(language, _catalogue(language, strict_mode))


def translator(language: str | None = None) -> Translator:
    """The translator for ``language`` (default: the deployment's); an unknown language falls back to English."""
    chosen = language if language in LANGUAGES else configured_language()
    return _translator(chosen, strict())


ENGLISH = Translator(SOURCE_LANGUAGE, NullTranslations())  # what the command line and the JSON use


def message_text(error: BaseException, t: Translator) -> str:
    """An error's message in ``t``'s language: a ``DomainError`` carries its English sentence and its values
    (``core.errors``), anything else is shown as it is."""
    render = getattr(error, "text", None)
    return render(t) if callable(render) else str(error)
