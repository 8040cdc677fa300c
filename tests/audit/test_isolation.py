"""Only the bias audit reads the self-identification table: scoring, the pages and the exports never do."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Source trees of the product (tests excluded).
TREES = ("bot", "actions", "rasa_ext", "rasa_sdk_plugins")
#: Where the model (or its table) may be named in code.
ALLOWED = {
    "bot/db/models.py",  # its definition
    "bot/audit/selfid.py",  # storing and forgetting an answer
    "bot/audit/data.py",  # the audit's query
    "bot/db/migrations/versions/0006_self_identification.py",
}
#: Modules that feed scoring, the recruiter pages or the exports: they may not import the audit at all.
NO_AUDIT = (
    "bot/results.py",
    "bot/rescoring.py",
    "bot/review.py",
    "bot/scoring",
    "bot/web/data.py",
    "bot/web/recruiter.py",
    "bot/web/exports.py",
    "bot/web/privacy.py",
    "bot/privacy/export.py",
    "bot/notify",
    "bot/interview",
    "actions",
)


def _sources() -> list[tuple[str, ast.Module]]:
    found = []
    for tree in TREES:
        for path in sorted((ROOT / tree).rglob("*.py")) if (ROOT / tree).exists() else []:
            found.append((path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))))
    return found


def _code_names(module: ast.Module) -> set[str]:
    """Identifiers, attribute names, imported names and string constants that are not docstrings."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(module)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    names: set[str] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            names.add(node.name.rsplit(".", 1)[-1])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            names.add(node.value)
    return names


def test_the_scan_sees_the_allowed_modules() -> None:
    users = {path for path, module in _sources() if "SelfIdentification" in _code_names(module)}
    assert {"bot/db/models.py", "bot/audit/selfid.py", "bot/audit/data.py"} <= users


def test_only_the_audit_names_the_model_or_its_table() -> None:
    offenders = []
    for path, module in _sources():
        if path in ALLOWED:
            continue
        names = _code_names(module)
        if "SelfIdentification" in names or any("self_identifications" in n for n in names):
            offenders.append(path)
    assert offenders == []


def _imports(module: ast.Module) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_scoring_pages_and_exports_do_not_import_the_audit() -> None:
    offenders = [
        path
        for path, module in _sources()
        if path.startswith(NO_AUDIT) and any(m == "bot.audit" or m.startswith("bot.audit.") for m in _imports(module))
    ]
    assert offenders == []
