"""Fixtures for the report tests; they live in report_support, which the tests import by that
unique name (several test folders have a conftest.py, so `from conftest import` found whichever
folder was collected first)."""
from report_support import *  # noqa: F401,F403  (fixtures are found by name here)
