"""Robustness suite: bad input, crash safety, determinism, dyad doctor."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: a long test (SIGKILL crash safety); still part of the default run")
