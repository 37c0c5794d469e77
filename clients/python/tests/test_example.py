"""The python-telegram-bot example and the READMEs' snippets compile and use only what the package exports."""

from __future__ import annotations

import ast
import py_compile
import re
from pathlib import Path
from typing import List, Optional

import pytest

import jira_auth_client

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
REPOSITORY = EXAMPLES.parent.parent.parent


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


def _readme_snippets(readme: Path, section: Optional[str]) -> List[str]:
    """The python blocks of a README's section (up to the next ``## ``), or of the whole README."""
    text = readme.read_text(encoding="utf-8")
    if section is not None:
        start = text.index(section)
        end = text.find("\n## ", start + len(section))
        text = text[start : end if end != -1 else None]
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize(
    "readme, section",
    [
        (REPOSITORY / "README.md", "## Calling it from the bot (Python)"),
        (EXAMPLES.parent / "README.md", None),
    ],
    ids=["repository-readme", "client-readme"],
)
def test_the_readme_snippets_parse_and_use_exported_names(readme, section):
    snippets = _readme_snippets(readme, section)

    assert snippets, f"no python snippet in {section or 'the whole'} of {readme}"
    for snippet in snippets:
        # The client README's snippets are bodies of async functions; wrapped so that their awaits parse.
        tree = ast.parse("async def snippet():\n" + "".join(f"    {line}\n" for line in snippet.splitlines()))
        imported = [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "jira_auth_client"
            for alias in node.names
        ]
        assert [name for name in imported if name not in jira_auth_client.__all__] == []
