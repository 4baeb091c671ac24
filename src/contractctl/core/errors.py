"""The one exception hierarchy of contractctl and the exit codes it maps to.

Exceptions mean the tool could not do its job; findings (rule violations) are data,
not exceptions. The tree::

    ContractctlError                 exit 70 unless a subclass says otherwise
    ├── UsageError                   2   bad flags or arguments
    ├── InputError                   3   unreadable or invalid input
    │   ├── LoadError                    a file that cannot be read or parsed
    │   ├── ConfigError                  contractctl.yaml is wrong
    │   └── SchemaParseError             a schema that cannot be parsed at all
    ├── BaselineError                3   a baseline (git ref, directory) that cannot be read
    ├── RenderError                  3   output that cannot be written
    │   └── PagesNotBuilt                3   pages whose template failed (70: a bug), the rest built
    ├── RegistryError                4   talking to a schema registry failed
    │   ├── RegistryUnavailable          connection, timeout, 5xx after retries
    │   ├── RegistryAuthError            401 / 403
    │   ├── RegistryNotFound             404 where the command needed the object
    │   └── RegistryConflict             409 incompatible schema
    └── BrokerError                  4   talking to Kafka failed (down, refused, auth)

Every error carries the fields a user needs (file, line, field) and renders as one line.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2
    INPUT = 3
    REGISTRY = 4
    INTERNAL = 70


class ContractctlError(Exception):
    """Base of every error contractctl raises on purpose."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.field = field

    def one_line(self) -> str:
        """``file:line:col: field: message`` with whatever parts are known, on one line."""
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        text = " ".join(self.message.split())
        return f"{where}{field}{text}"

    def __str__(self) -> str:
        return self.one_line()


class UsageError(ContractctlError):
    exit_code = ExitCode.USAGE


class InputError(ContractctlError):
    exit_code = ExitCode.INPUT


class LoadError(InputError):
    """A file that cannot be read or parsed (missing, binary, malformed YAML/JSON, too big)."""


class ConfigError(InputError):
    """contractctl.yaml is unreadable or invalid."""


class SchemaParseError(InputError):
    """A payload schema that cannot be parsed at all."""


class BaselineError(InputError):
    """A compatibility baseline (git ref, directory) that cannot be read."""


class RenderError(ContractctlError):
    exit_code = ExitCode.INPUT


class PagesNotBuilt(RenderError):
    """Some pages could not be rendered; every other page was written, and these are absent.

    ``failures`` holds (page, reason) pairs. Exit 3 when every reason is a template error
    (a user's override, most often); 70 when rendering a page hit a bug in contractctl.
    """

    def __init__(self, failures: list[tuple[str, str]], *, internal: bool = False) -> None:
        shown = "; ".join(f"{page}: {reason}" for page, reason in failures[:5])
        more = f"; and {len(failures) - 5} more" if len(failures) > 5 else ""
        count = f"{len(failures)} page{'s' if len(failures) != 1 else ''}"
        super().__init__(f"{count} not built (every other page was): {shown}{more}")
        self.failures = failures
        if internal:
            self.exit_code = ExitCode.INTERNAL


class RegistryError(ContractctlError):
    exit_code = ExitCode.REGISTRY


class RegistryUnavailable(RegistryError):
    """Connection refused, timeout, 5xx or 429 after every retry."""


class RegistryAuthError(RegistryError):
    """401 or 403."""


class RegistryNotFound(RegistryError):
    """404 for an object the command needed."""


class RegistryConflict(RegistryError):
    """409: the registry refused an incompatible schema."""


class BrokerError(ContractctlError):
    """Kafka brokers unreachable, or they refused the client (network exit code, 4)."""

    exit_code = ExitCode.REGISTRY
