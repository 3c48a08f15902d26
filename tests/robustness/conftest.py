"""Fixtures for the robustness tests (see report/conftest.py for why they live in
robustness_support)."""
from robustness_support import *  # noqa: F401,F403  (fixtures are found by name here)
