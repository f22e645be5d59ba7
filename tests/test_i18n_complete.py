"""Every word a user sees is Chinese: each addon's ``i18n/zh_CN.po`` translates its whole ``.pot``.

* every addon ships ``i18n/<addon>.pot`` and ``i18n/zh_CN.po``;
* every entry of the ``.pot`` has a non-empty, non-fuzzy Chinese translation in the ``.po``, and
  the ``.po`` has no untranslated or fuzzy entry of its own;
* a translation keeps the placeholders of its source (``%(name)s``, ``%s``), or formatting fails;
* the ``.pot`` is not stale for the code: every string marked ``_("...")``/``_lt("...")`` in the
  addon's Python files (the libraries' message ids included) is in it.

After adding strings, run ``scripts/i18n_export.sh`` (regenerates the ``.pot`` files and merges them
into ``zh_CN.po``), then translate the entries it lists.
"""

import re
from pathlib import Path

import polib
import pytest
from babel.messages.extract import extract_from_file

ROOT = Path(__file__).resolve().parent.parent
ADDONS = sorted(path.parent.name for path in ROOT.glob("*/__manifest__.py"))
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


def _key(entry):
    return (entry.msgctxt, entry.msgid)


def _placeholders(text):
    return sorted(match for match in PLACEHOLDER.findall(text) if match != "%%")


def _code_msgids(addon):
    """The strings marked for translation in the addon's Python files (as Odoo's exporter reads them)."""
    msgids = set()
    for path in sorted((ROOT / addon).rglob("*.py")):
        if "tests" in path.relative_to(ROOT / addon).parts:
            continue
        for _lineno, message, _comments, _context in extract_from_file(
            "python", str(path), keywords={"_": None, "_lt": None}, options={"encoding": "UTF-8"}
        ):
            if isinstance(message, str) and message:
                msgids.add(message)
    return msgids


@pytest.mark.parametrize("addon", ADDONS)
def test_pot_and_po_exist(addon):
    assert (ROOT / addon / "i18n" / f"{addon}.pot").is_file(), f"{addon}: run scripts/i18n_export.sh"
    assert (ROOT / addon / "i18n" / "zh_CN.po").is_file(), f"{addon}: no i18n/zh_CN.po"


@pytest.mark.parametrize("addon", ADDONS)
def test_po_translates_every_pot_entry(addon):
    pot = polib.pofile(str(ROOT / addon / "i18n" / f"{addon}.pot"))
    po = polib.pofile(str(ROOT / addon / "i18n" / "zh_CN.po"))
    translations = {_key(entry): entry for entry in po if not entry.obsolete}
    problems = []
    for entry in pot:
        translated = translations.get(_key(entry))
        if translated is None:
            problems.append(f"missing: {entry.msgid!r}")
        elif not translated.msgstr.strip():
            problems.append(f"untranslated: {entry.msgid!r}")
        elif "fuzzy" in translated.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
    for entry in po:
        if not entry.obsolete and (not entry.msgstr.strip() or "fuzzy" in entry.flags):
            problems.append(f"untranslated or fuzzy in zh_CN.po: {entry.msgid!r}")
    assert not problems, f"{addon}/i18n/zh_CN.po, {len(problems)} problem(s):\n" + "\n".join(sorted(set(problems)))


@pytest.mark.parametrize("addon", ADDONS)
def test_translations_keep_placeholders(addon):
    po = polib.pofile(str(ROOT / addon / "i18n" / "zh_CN.po"))
    wrong = [
        f"{entry.msgid!r} -> {entry.msgstr!r}"
        for entry in po
        if entry.msgstr
        and any(occurrence[0].startswith("code:") for occurrence in entry.occurrences)
        and _placeholders(entry.msgid) != _placeholders(entry.msgstr)
    ]
    assert not wrong, f"{addon}: placeholders differ:\n" + "\n".join(wrong)


@pytest.mark.parametrize("addon", ADDONS)
def test_pot_holds_every_code_msgid(addon):
    pot = polib.pofile(str(ROOT / addon / "i18n" / f"{addon}.pot"))
    known = {entry.msgid for entry in pot}
    stale = sorted(_code_msgids(addon) - known)
    assert not stale, f"{addon}/i18n/{addon}.pot is stale (run scripts/i18n_export.sh), not in it:\n" + "\n".join(
        map(repr, stale)
    )
