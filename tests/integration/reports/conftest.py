"""Reports on the demo warehouse; the browser test's screenshots are kept as test artefacts (tests/artifacts/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT

ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
_KEPT: list[Path] = []


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where tests leave what a person should look at (git-ignored; listed at the end of the run)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def keep_artifact(path: Path) -> Path:
    """List ``path`` in the run's summary."""
    _KEPT.append(path)
    return path


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for path in _KEPT:
        if path.exists():
            terminalreporter.write_line(f"test artefact: {path} ({path.stat().st_size:,} bytes)")
