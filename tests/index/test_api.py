"""The public API: ``from index import ...`` gives every name, and ``import index`` loads nothing."""

from __future__ import annotations

import subprocess
import sys

import index


def test_every_public_name_resolves_from_the_module_that_defines_it() -> None:
    assert sorted(index.__all__) == sorted(index._HOME)
    for name in index.__all__:
        value = getattr(index, name)
        assert getattr(value, "__module__", index._HOME[name]).startswith("index"), name


def test_summarize_is_the_function_even_after_its_module_is_imported() -> None:
    code = "import index.summarize, index; from index import summarize; print(callable(summarize))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "True"


def test_importing_index_loads_no_module_of_it() -> None:
    code = (
        "import sys, index; "
        "print(sorted(m for m in sys.modules if m.startswith('index.') or m == 'numpy'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
