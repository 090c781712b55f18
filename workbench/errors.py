"""Errors the user can act on: each carries one line that names the file (and line) and what to do."""


class WorkbenchError(Exception):
    """An error shown to the user as a single line, without a traceback."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        self.detail = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")


class InputError(WorkbenchError):
    """The input file cannot be read as an article or as claims."""


class DatabaseError(WorkbenchError):
    """claims.db cannot be opened or written."""


class ModelError(WorkbenchError):
    """The embedding model cannot be loaded or does not match its checksum."""


class NothingToIngest(InputError):
    """The file holds nothing to store (empty, no article text): refused on its own, skipped and listed
    when a directory holds it."""
