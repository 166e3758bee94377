"""The catalogues match the code (issue 15): extraction finds no sentence the catalogues lack, none they keep is
gone from the code, every entry is translated (each plural form too) and not fuzzy, and each .mo is the .po
compiled. ``scripts/i18n.py check`` says the same on the command line."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from core.i18n import DOMAINS, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["i18n_script"] = module
    spec.loader.exec_module(module)
    return module


def test_the_catalogues_are_up_to_date_complete_and_compiled() -> None:
    assert _script().problems() == []


def test_every_domain_has_a_polish_catalogue() -> None:
    for domain in DOMAINS:
        assert (LOCALE_DIR / "pl" / "LC_MESSAGES" / f"{domain}.mo").exists(), domain


def test_a_sentence_added_to_the_code_is_found_missing(tmp_path: Path, monkeypatch: object) -> None:
    script = _script()
    real = script.sources

    def with_new_sentence() -> object:
        yield from real()
        extra = ROOT / "pages" / "usage" / "_i18n_probe_for_test.py"
        yield extra

    probe = ROOT / "pages" / "usage" / "_i18n_probe_for_test.py"
    probe.write_text('from pages.shared.i18n import _\n\n_("A sentence nobody translated yet")\n', encoding="utf-8")
    try:
        script.sources = with_new_sentence
        found = script.problems()
    finally:
        probe.unlink()
    assert "pl/usage: not extracted yet: 'A sentence nobody translated yet'" in found
