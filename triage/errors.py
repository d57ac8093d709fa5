"""The project's exceptions: bad input and broken knowledge, each one line for the user.

Every bad input is a `TriageError` (a broken knowledge base is its subclass `KnowledgeError`);
the CLI's command group turns any of them into one `error:` line and exit status 2.
"""


class TriageError(Exception):
    """Bad input from the user: the CLI prints it as one `error:` line and exits 2.

    `where` is the place the error was found (a file, an option); `reason` is what is wrong
    there, and `str()` is both, `where: reason`. An output that already names the place (a
    batch line's "file", a replay's ERROR line) shows `reason` alone.
    """

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.where = where
        self.reason = " ".join(message.splitlines())  # the user sees one line, whatever the source
        super().__init__(f"{where}: {self.reason}" if where else self.reason)

    def located(self, where: str) -> "TriageError":
        """The same error (same class, same code), placed in the file or option it came
        from; an error already placed there is returned as it is."""
        if where == self.where:
            return self
        # Not through __init__: a subclass may take other arguments (CaseKeyError's key).
        moved = type(self).__new__(type(self))
        moved.__dict__.update(self.__dict__)
        moved.args = (f"{where}: {self}",)
        moved.where = where
        moved.reason = str(self)
        return moved


class KnowledgeError(TriageError):
    """A broken knowledge base: names the file, the rule id and the field."""

    def __init__(self, message: str, *, where: str | None = None, code: str = "invalid") -> None:
        super().__init__(message, where=where)
        self.code = code  # the kind of problem, as `triage rules lint` names it


class EngineError(Exception):
    """The inference engine failed on a case (e.g. an exception inside a rule action)."""
