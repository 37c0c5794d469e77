"""The python-telegram-bot example compiles and uses only what the package exports."""

from __future__ import annotations

import ast
import py_compile
from pathlib import Path

import jira_auth_client

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_the_example_bot_compiles(tmp_path):
    for example in EXAMPLES.glob("*.py"):
        py_compile.compile(str(example), cfile=str(tmp_path / (example.stem + ".pyc")), doraise=True)


def test_the_example_bot_imports_only_exported_names():
    tree = ast.parse((EXAMPLES / "telegram_bot.py").read_text(encoding="utf-8"))
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "jira_auth_client"
        for alias in node.names
    ]

    assert imported, "the example should use the client"
    assert [name for name in imported if name not in jira_auth_client.__all__] == []
