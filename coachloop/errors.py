"""The project's exception tree. Every error a user can cause is one of these.

::

    CoachloopError                 (CL000) base; has .code, .message, .hint
    ├── ModelError                 (CL1xx) an impossible Meeting/Utterance/Speaker
    ├── InputError                 (CL2xx) a file we cannot read; names file and place
    │   ├── FormatError            (CL21x) content is not the (detected or forced) format
    │   └── EncodingError          (CL22x) bytes we cannot decode
    ├── ConfigError                (CL3xx) bad settings or component config
    ├── RoleError                  (CL4xx) cannot tell who the manager is
    ├── WorkspaceError             (CL5xx) storage, roster, ingest
    ├── PracticeError              (CL6xx) scenario library and sessions
    ├── AnalysisError              (CL7xx) outcomes / statistics refusals
    └── AccessError                (CL8xx) permissions (web/API)

The CLI turns any of these into one line on stderr and exit code 2 (bad input)
or 1 (other failures); the web layer turns them into an HTTP status and JSON.
Messages say what is wrong and what to do about it.
"""

from __future__ import annotations

from pathlib import Path


class CoachloopError(Exception):
    """Base class: a user-facing error with a stable code and a fix."""

    code = "CL000"
    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None, code: str | None = None) -> None:
        self.message = message
        self.hint = hint
        if code is not None:
            self.code = code
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = f"{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class ModelError(CoachloopError, ValueError):
    """A conversation object that cannot exist (negative time, end before start...)."""

    code = "CL100"
    exit_code = 2


class InputError(CoachloopError):
    """A file we cannot read. Always names the file and, where known, the place in it."""

    code = "CL200"
    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        cue: str | None = None,
        hint: str | None = None,
        code: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.line = line
        self.cue = cue
        super().__init__(message, hint=hint, code=code)

    @property
    def place(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.cue is not None:
            parts.append(f"cue {self.cue}")
        return ", ".join(parts)

    def __str__(self) -> str:
        place = self.place
        text = f"{place}: {self.message}" if place else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class FormatError(InputError):
    code = "CL210"


class EncodingError(InputError):
    code = "CL220"


class ConfigError(CoachloopError):
    code = "CL300"
    exit_code = 2


class RoleError(CoachloopError):
    code = "CL400"
    exit_code = 2


class WorkspaceError(CoachloopError):
    code = "CL500"
    exit_code = 2


class PracticeError(CoachloopError):
    code = "CL600"
    exit_code = 2


class AnalysisError(CoachloopError):
    code = "CL700"
    exit_code = 2


class AccessError(CoachloopError):
    code = "CL800"
    exit_code = 2


def unreadable_hint(exc: OSError) -> str:
    """How to fix a file that cannot be opened, for an InputError's hint."""
    if isinstance(exc, FileNotFoundError):
        return "check the path"
    if isinstance(exc, IsADirectoryError):
        return "give the file itself, not a folder"
    if isinstance(exc, PermissionError):
        return "check the file's permissions"
    return "check the file"
