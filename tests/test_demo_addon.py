"""Demo builders are no models of a production database (issue 16 §3).

The builders (``student.loan.demo``, ``student.loan.intake.demo``, the competition's and the portal's
demo methods) live in the demo-only addon ``student_loan_demo``. A production install of the functional
addons (``--without-demo=all``, without ``student_loan_demo``) therefore registers none of them: no
functional addon defines or calls them, none depends on the demo addon, and the demo addon is never
installed automatically. (``student_loan_demo/tests`` checks ``ir.model`` in the installed database.)
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO_ADDON = "student_loan_demo"
ADDONS = sorted(path.parent.name for path in ROOT.glob("*/__manifest__.py"))
FUNCTIONAL = [addon for addon in ADDONS if addon != DEMO_ADDON]
DEMO_MODELS = ("student.loan.demo", "student.loan.intake.demo")
DEMO_METHODS = ("_create_demo_data", "_demo_load_sample", "_portal_demo_accounts", "_hide_odoo_demo")


def _manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text(encoding="utf-8"))


def _dependencies(addon, seen=None):
    seen = set() if seen is None else seen
    for dependency in _manifest(addon).get("depends", []):
        if dependency in ADDONS and dependency not in seen:
            seen.add(dependency)
            _dependencies(dependency, seen)
    return seen


def test_demo_addon_exists_and_is_demo_only():
    manifest = _manifest(DEMO_ADDON)
    assert manifest["demo"], "the builders run from the demo files"
    assert not manifest.get("data"), "installed without demo, the addon loads nothing"
    assert not manifest.get("auto_install")
    assert not manifest.get("post_init_hook")
    for model in DEMO_MODELS:
        assert re.search(rf'_name = "{re.escape(model)}"', _sources(DEMO_ADDON, ".py")), model


def _sources(addon, suffix):
    return "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted((ROOT / addon).rglob(f"*{suffix}"))
        if "tests" not in path.relative_to(ROOT / addon).parts and "i18n" not in path.relative_to(ROOT / addon).parts
    )


@pytest.mark.parametrize("addon", FUNCTIONAL)
def test_functional_addon_has_no_builder(addon):
    code = _sources(addon, ".py") + _sources(addon, ".xml")
    for model in DEMO_MODELS:
        assert model not in code, f"{addon} uses the demo model {model}"
    for method in DEMO_METHODS:
        assert not re.search(rf"\b{method}\b", code), f"{addon} defines or calls the demo builder {method}"


@pytest.mark.parametrize("addon", FUNCTIONAL)
def test_functional_addon_does_not_depend_on_the_demo(addon):
    assert DEMO_ADDON not in _dependencies(addon)


def test_demo_addon_is_installed_by_make_run_and_make_test():
    """The Makefile's ADDONS list is every directory with a manifest: make run and make test install it."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "ADDONS    := $(shell ls -d */__manifest__.py" in makefile
    assert (ROOT / DEMO_ADDON / "tests" / "__init__.py").is_file()
