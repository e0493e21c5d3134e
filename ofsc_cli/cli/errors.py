"""Exit codes, and the one place where errors become a message and a code.

====  ===========================================================================
code  meaning
====  ===========================================================================
0     success (an empty list is a success)
1     API error: a 4xx other than those below, a 5xx after retries, a bad response
2     usage error: bad arguments or options, invalid input file; nothing was sent
3     configuration error: no or unknown profile, invalid config file, missing secret
4     authentication or authorization failed (HTTP 401/403, token service refusal)
5     not found (HTTP 404: unknown id, label or login)
6     network: DNS failure, connection refused or reset, a garbled answer, timeout, circuit
      breaker open
130   interrupted (Ctrl-C)
====  ===========================================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Defined below the CLI so that the renderers can raise it; the CLI's name for it stays here.
from ofsc_cli.errors import UsageError

if TYPE_CHECKING:
    from ofsc_cli.errors import OFSError

__all__ = [
    "EXIT_API",
    "EXIT_AUTH",
    "EXIT_CANCELLED",
    "EXIT_CONFIG",
    "EXIT_DIFFERENCES",
    "EXIT_INTERRUPTED",
    "EXIT_NETWORK",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_USAGE",
    "UsageError",
    "exit_code_for",
    "message_for",
]

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_AUTH = 4
EXIT_NOT_FOUND = 5
EXIT_NETWORK = 6
EXIT_DIFFERENCES = 7
EXIT_CANCELLED = 8
EXIT_INTERRUPTED = 130


def exit_code_for(error: OFSError) -> int:
    from ofsc_cli import errors as e

    # An error that ended because of another (the retries' last failure, the failure that
    # stopped an export) exits like that one: a 401 during an export is an auth error.
    cause = getattr(error, "last_error", None)
    if isinstance(cause, e.OFSError) and cause is not error:
        return exit_code_for(cause)
    if isinstance(error, e.OFSConfigurationError):
        return EXIT_CONFIG
    if isinstance(error, e.OFSAuthenticationError):
        return EXIT_AUTH
    if error.status_code == 404:
        return EXIT_NOT_FOUND
    if isinstance(error, e.OFSConnectionError | e.OFSTimeoutError | e.OFSCircuitOpenError):
        return EXIT_NETWORK
    if isinstance(error, e.OFSValidationError) and error.status_code is None:
        return EXIT_USAGE
    return EXIT_API


def message_for(error: OFSError, *, profile: str | None, auth_method: str | None) -> str:
    """One line for stderr, with a hint where one helps."""
    from ofsc_cli import errors as e

    text = str(error)
    cause = getattr(error, "last_error", None)
    if isinstance(error, e.OFSAuthenticationError) or isinstance(cause, e.OFSAuthenticationError):
        who = f"profile '{profile}'" if profile else "the current profile"
        how = f", auth {auth_method}" if auth_method else ""
        hint = f"ofsc auth test -p {profile}" if profile else "ofsc auth test"
        return f"{text} ({who}{how}); check the credentials with: {hint}"
    return text
