#!/usr/bin/env python3
"""Merge an addon's fresh ``.pot`` into its ``zh_CN.po`` (used by ``scripts/i18n_export.sh``).

Every entry of the template is kept in the template's order, with the translation the ``.po``
already had for the same (msgctxt, msgid); new entries get an empty translation (the completeness
test ``tests/test_i18n_complete.py`` then names them); entries no longer in the code are dropped.
Unlike ``msgmerge`` nothing is guessed: no fuzzy entry is ever written.

    i18n_merge.py ADDON_DIR [--lang zh_CN]   prints the entries left to translate
"""

import argparse
import sys
from pathlib import Path

import polib


def merge(addon_dir, lang="zh_CN"):
    addon_dir = Path(addon_dir)
    pot_path = addon_dir / "i18n" / f"{addon_dir.name}.pot"
    po_path = addon_dir / "i18n" / f"{lang}.po"
    pot = polib.pofile(str(pot_path), wrapwidth=78)
    old = polib.pofile(str(po_path), wrapwidth=78) if po_path.exists() else None
    known = {}
    if old is not None:
        for entry in old:
            if entry.msgstr and "fuzzy" not in entry.flags and not entry.obsolete:
                known[(entry.msgctxt, entry.msgid)] = entry.msgstr
    merged = polib.POFile(wrapwidth=78)
    merged.metadata = dict(pot.metadata)
    if old is not None:
        merged.metadata.update({k: v for k, v in old.metadata.items() if k not in ("POT-Creation-Date",)})
    merged.metadata["Language"] = lang
    merged.metadata.setdefault("Plural-Forms", "nplurals=1; plural=0;")
    merged.header = pot.header
    missing = []
    for entry in pot:
        new = polib.POEntry(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgstr=known.get((entry.msgctxt, entry.msgid), ""),
            occurrences=entry.occurrences,
            comment=entry.comment,
            tcomment=entry.tcomment,
            flags=[flag for flag in entry.flags if flag != "fuzzy"],
        )
        if not new.msgstr:
            missing.append(new)
        merged.append(new)
    merged.save(str(po_path))
    return missing


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("addons", nargs="+")
    parser.add_argument("--lang", default="zh_CN")
    args = parser.parse_args()
    total = 0
    for addon in args.addons:
        missing = merge(addon, args.lang)
        total += len(missing)
        for entry in missing:
            where = entry.occurrences[0][0] if entry.occurrences else "?"
            print(f"{addon}: untranslated ({where}): {entry.msgid!r}")
    print(f"{total} entries to translate", file=sys.stderr)


if __name__ == "__main__":
    main()
