"""Named exceptions raised by the library.

The CLI turns every :class:`DyadscopeError` into a red message and a non-zero
exit code; nothing else in the library should print.  Each message says what
was wrong, where (file, line or row, field) and, when possible, what to do.
"""

from __future__ import annotations


class DyadscopeError(Exception):
    """Base class of every error the library raises on purpose."""

    exit_code: int = 1


class InputError(DyadscopeError):
    """Bad input supplied by the user (file, option, argument)."""

    exit_code = 2


class CaseValidationError(InputError):
    """A case file failed validation; ``problems`` lists every problem found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s)\n{lines}")


class UnknownCase(InputError):
    """No case is available for the requested pair of states."""


class UnknownCountry(InputError):
    """A country code or name could not be resolved."""


class SchemaError(InputError):
    """A data file does not have the expected columns, types or values."""


class UnknownDataset(InputError):
    """A dataset name is not in the adapter registry."""


class ChecksumMismatch(DyadscopeError):
    """A downloaded or vendored file does not match its recorded checksum."""


class FetchError(DyadscopeError):
    """A download failed after all retries."""


class MissingData(DyadscopeError):
    """The data needed for a result is not in the store."""


class StoreError(DyadscopeError):
    """A store file cannot be locked, created or written (busy, read-only, disk full)."""


class RenderError(DyadscopeError):
    """A brief could not be rendered to the requested format (e.g. no headless browser)."""
