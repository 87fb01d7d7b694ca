"""Type stubs for ``ediguard._native``, the compiled half of ``ediguard``."""

import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal, Optional, Union, final

from typing_extensions import TypeAlias

_Input: TypeAlias = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]"]
_SeverityName: TypeAlias = Literal["error", "warning", "info"]
_FormatName: TypeAlias = Literal["x12", "edifact", "eld"]

__all__ = [
    "__version__",
    "Counts",
    "EdiguardError",
    "Finding",
    "LimitError",
    "Options",
    "ParseError",
    "Report",
    "ValidationError",
    "check",
    "detect",
    "rules",
]

__version__: str

class EdiguardError(ValueError):
    """Base class of every exception ediguard raises (a ValueError)."""

class ParseError(EdiguardError):
    """The input cannot be read at all."""

    kind: Literal["unrecognized", "unsupported_encoding", "malformed"]
    message: str
    offset: int
    line: int
    column: int

class LimitError(EdiguardError):
    """A bound was exceeded (input length, segment length, ...)."""

    kind: Literal["limit"]
    message: str
    offset: int
    line: int
    column: int

class ValidationError(EdiguardError):
    """Raised by ``Report.raise_for_errors()``; carries the report."""

    report: Report

@final
class Options:
    """How ``check`` runs: severity overrides, disabled rules, limits."""

    def __new__(
        cls,
        *,
        severity: Optional[Mapping[str, str]] = None,
        disabled: Optional[Iterable[str]] = None,
        max_findings: Optional[int] = None,
        max_input_len: Optional[int] = None,
    ) -> Options: ...
    @property
    def severity(self) -> dict[str, _SeverityName]: ...
    @property
    def disabled(self) -> frozenset[str]: ...
    @property
    def max_findings(self) -> int: ...
    @property
    def max_input_len(self) -> int: ...

@final
class Finding:
    """One thing a rule found, with its exact location."""

    @property
    def rule(self) -> str: ...
    @property
    def severity(self) -> _SeverityName: ...
    @property
    def message(self) -> str: ...
    @property
    def offset(self) -> int: ...
    @property
    def line(self) -> Optional[int]: ...
    @property
    def column(self) -> Optional[int]: ...
    @property
    def segment(self) -> Optional[int]: ...
    @property
    def element(self) -> Optional[int]: ...
    @property
    def component(self) -> Optional[int]: ...
    @property
    def repetition(self) -> Optional[int]: ...
    @property
    def field(self) -> Optional[int]: ...
    @property
    def expected(self) -> Optional[str]: ...
    @property
    def found(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Counts:
    """Counts of what a check saw."""

    @property
    def interchanges(self) -> int: ...
    @property
    def groups(self) -> int: ...
    @property
    def messages(self) -> int: ...
    @property
    def segments(self) -> int: ...
    def to_dict(self) -> dict[str, int]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class Report:
    """The result of checking one input: every finding."""

    @property
    def findings(self) -> list[Finding]: ...
    @property
    def errors(self) -> list[Finding]: ...
    @property
    def ok(self) -> bool: ...
    @property
    def format(self) -> Optional[_FormatName]: ...
    @property
    def counts(self) -> Counts: ...
    @property
    def dropped(self) -> int: ...
    def count(self, severity: str) -> int: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def raise_for_errors(self) -> None: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Finding]: ...

def detect(data: _Input) -> _FormatName: ...
def check(data: _Input, options: Optional[Options] = None) -> Report: ...
def rules() -> list[tuple[str, _SeverityName, str]]: ...
