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


class StoreBusy(StoreError):
    """The events catalog is locked by another process for longer than we wait."""


class CorruptArchive(FetchError):
    """A downloaded file matches its checksum but is not a readable zip archive."""


class LineRangeError(InputError, ValueError):
    """A line range is malformed, starts at 0 or runs backwards (a ``ValueError`` too)."""


class UnknownFactor(InputError, KeyError):
    """A factor id is not in the case (a ``KeyError`` too, for dict-like use)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnknownScenario(InputError):
    """A scenario id is not in the case; the message lists the ids that are."""


class UnknownEngine(InputError):
    """An events engine name is neither built in nor registered by a plugin."""


class InvalidPayoffs(InputError):
    """Payoffs that do not define an iterated prisoner's dilemma."""


class TableMismatch(SchemaError):
    """A CAMEO lookup table disagrees with the official one; ``codes`` lists the culprits."""

    def __init__(self, message: str, codes: list[str]) -> None:
        self.codes = codes
        super().__init__(message)


class DuplicateName(DyadscopeError, ValueError):
    """Two dataset adapters, or two events engines, claim one name.

    Built-in ones, ones registered in code and ones announced through an entry point
    (``dyadscope.adapters``, ``dyadscope.engines``) share one name space each; the
    first keeps the name and the second is refused, naming both.
    """


class RenderError(DyadscopeError):
    """A brief could not be rendered to the requested format (e.g. no headless browser)."""


class DocumentError(InputError):
    """A document cannot be read: unknown format, undecodable, malformed front matter."""


class MissingExtra(InputError):
    """An optional library a format needs is not installed."""


class DocumentNotFound(DocumentError):
    """A case's document is in none of the given folders, by name or by checksum."""
