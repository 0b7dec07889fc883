"""The rules of the layout: no router tool in the product, orchestrator and specialists apart."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_router_tool_in_the_product():
    for package in ("agents", "orchestrator", "specialists"):
        for path in python_files(package):
            assert "call_specialist_agent" not in path.read_text(), path


def test_orchestrator_and_specialists_never_import_each_other():
    for package, forbidden in (("orchestrator", "specialists"), ("specialists", "orchestrator")):
        for path in python_files(package):
            bad = {m for m in imported_modules(path) if m == forbidden or m.startswith(forbidden + ".")}
            assert not bad, f"{path} imports {bad}"


def test_agents_imports_neither():
    for path in python_files("agents"):
        bad = {m for m in imported_modules(path) if m.split(".")[0] in ("orchestrator", "specialists")}
        assert not bad, f"{path} imports {bad}"


def test_private_maf_modules_are_imported_in_one_place():
    for package in ("agents", "orchestrator", "specialists"):
        for path in python_files(package):
            private = {m for m in imported_modules(path) if m.startswith("agent_framework") and "._" in m}
            assert not private or path == ROOT / "agents" / "maf_internals.py", f"{path} imports {private}"


def test_specialists_name_handoffs_through_the_extension_not_the_mesh():
    for path in python_files("specialists"):
        mesh = {m for m in imported_modules(path) if "orchestrations" in m}
        assert not mesh, f"{path} imports {mesh}; name handoff tools with agents.handoff_extension"
