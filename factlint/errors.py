"""Exceptions named by the condition. The CLI maps ConfigError and UsageError to exit code 2."""


class FactlintError(Exception):
    """Base class for errors that reach the user as one line, never a traceback."""


class ConfigError(FactlintError):
    """Configuration, vocabulary or reference data that fails to load or validate."""


class UsageError(FactlintError):
    """A bad flag or a missing path."""
