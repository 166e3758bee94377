"""The translation catalogues (docs/architecture.md, "Languages"), with Babel.

    .venv/bin/python scripts/i18n.py extract          # the sentences in the code -> core/i18n/locale/<domain>.pot
    .venv/bin/python scripts/i18n.py update           # each language's .po gets the new sentences (untranslated)
    .venv/bin/python scripts/i18n.py compile          # .po -> .mo, what the dashboard reads
    .venv/bin/python scripts/i18n.py init de          # a new language: its .po files, from the templates
    .venv/bin/python scripts/i18n.py check            # exit 1 if a catalogue is out of date, incomplete or fuzzy

Run ``extract update`` after changing a sentence, translate what is new in the .po files, then ``compile``.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.i18n import DOMAINS, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE, domain_of  # noqa: E402

KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
PROJECT = "Marketable"
STAMP = datetime(2026, 12, 5, tzinfo=UTC)  # fixed: a catalogue changes only when its sentences do


def new_catalog(language: str | None = None) -> Catalog:
    return Catalog(
        locale=language,
        project=PROJECT,
        version="",
        copyright_holder="the Marketable authors",
        msgid_bugs_address="",
        last_translator="the Marketable authors",
        language_team=f"{language or 'en'} <https://github.com/marketable>",
        creation_date=STAMP,
        revision_date=STAMP,
        charset="utf-8",
        fuzzy=False,
    )


def sources() -> Iterator[Path]:
    yield ROOT / "app.py"
    for top in ("pages", "core"):
        yield from sorted((ROOT / top).rglob("*.py"))


def template(domain: str) -> Catalog:
    """The sentences of one domain, as Babel extracts them from the code (sorted: the file does not churn)."""
    catalog = new_catalog()
    for path in sources():
        relative = path.relative_to(ROOT).as_posix()
        if domain_of(relative) != domain:
            continue
        for lineno, message, comments, context in extract_from_file(
            "python", str(path), keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
        ):
            catalog.add(message, None, [(relative, lineno)], auto_comments=comments, context=context)
    return catalog


def _write(catalog: Catalog, path: Path, *, po: bool = True) -> None:
    buffer = io.BytesIO()
    if po:
        write_po(buffer, catalog, width=120, sort_output=True, omit_header=False, include_lineno=False)
    else:
        write_mo(buffer, catalog)
    data = buffer.getvalue()
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def pot_path(domain: str) -> Path:
    return LOCALE_DIR / f"{domain}.pot"


def po_path(language: str, domain: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=language)


def extract() -> None:
    for domain in DOMAINS:
        _write(template(domain), pot_path(domain))


def languages() -> list[str]:
    return [language for language in LANGUAGES if language != SOURCE_LANGUAGE]


def update() -> None:
    for domain in DOMAINS:
        pot = read(pot_path(domain))
        for language in languages():
            path = po_path(language, domain)
            catalog = read(path, language) if path.exists() else new_catalog(language)
            catalog.update(pot, no_fuzzy_matching=True)
            catalog.obsolete.clear()  # a sentence gone from the code is gone from the catalogue
            catalog.revision_date = catalog.creation_date = STAMP
            catalog.fuzzy = False
            _write(catalog, path)


def init(language: str) -> None:
    for domain in DOMAINS:
        path = po_path(language, domain)
        if path.exists():
            sys.exit(f"{path} exists already")
        catalog = new_catalog(language)
        catalog.update(read(pot_path(domain)), no_fuzzy_matching=True)
        _write(catalog, path)


def compile_all() -> None:
    for domain in DOMAINS:
        for language in languages():
            path = po_path(language, domain)
            if path.exists():
                _write(read(path, language), path.with_suffix(".mo"), po=False)


def problems() -> list[str]:
    """What keeps the catalogues from matching the code: new or gone sentences, untranslated or fuzzy ones, a .mo
    older than its .po."""
    found = []
    for domain in DOMAINS:
        code = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in template(domain) if m.id}
        pot = pot_path(domain)
        if code and not pot.exists():
            found.append(f"{domain}: no template; run scripts/i18n.py extract")
            continue
        if not pot.exists():
            continue
        for language in languages():
            path = po_path(language, domain)
            if not path.exists():
                found.append(f"{language}/{domain}: no catalogue; run scripts/i18n.py update")
                continue
            catalog = read(path, language)
            have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}
            for _context, msgid in sorted(code - have, key=str):
                found.append(f"{language}/{domain}: not extracted yet: {msgid!r}")
            for _context, msgid in sorted(have - code, key=str):
                found.append(f"{language}/{domain}: no longer in the code: {msgid!r}")
            for m in catalog:
                if not m.id:
                    continue
                strings = m.string if isinstance(m.string, (list, tuple)) else [m.string]
                if not all(strings):
                    found.append(f"{language}/{domain}: untranslated: {m.id!r}")
                if m.fuzzy:
                    found.append(f"{language}/{domain}: fuzzy: {m.id!r}")
            mo = path.with_suffix(".mo")
            buffer = io.BytesIO()
            write_mo(buffer, catalog)
            if not mo.exists() or mo.read_bytes() != buffer.getvalue():
                found.append(f"{language}/{domain}: the .mo does not match the .po; run scripts/i18n.py compile")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("steps", nargs="+", help="extract, update, compile, check, or init LANGUAGE")
    args = parser.parse_args()
    steps = list(args.steps)
    while steps:
        step = steps.pop(0)
        if step == "extract":
            extract()
        elif step == "update":
            update()
        elif step == "compile":
            compile_all()
        elif step == "init":
            init(steps.pop(0))
        elif step == "check":
            if found := problems():
                print("\n".join(found))
                sys.exit(1)
            print("catalogues up to date")
        else:
            parser.error(f"unknown step {step!r}")


if __name__ == "__main__":
    main()
