"""Errors raised by services; views, the API and the CLI turn them into 4xx or exit codes."""

from __future__ import annotations


class CliError(Exception):
    """A command-line refusal: ``commonground`` prints it as one line and exits with 2."""


class ServiceError(Exception):
    """A user-facing refusal: the message is shown as is and nothing was changed."""

    status: int = 400

    def __init__(self, message: str) -> None:
        # A lazily translated message is translated now, in the language of the request.
        message = str(message)
        super().__init__(message)
        self.message = message


class InvalidInput(ServiceError):
    status = 400


class NotAllowed(ServiceError):
    """The actor may not do this (wrong role, not a member, suspended)."""

    status = 403


class NotFound(ServiceError):
    status = 404


class WrongPhase(ServiceError):
    """The action exists but the cycle's phase does not allow it now."""

    status = 409


class Conflict(ServiceError):
    status = 409


class RateLimited(ServiceError):
    status = 429


class NotAuthenticated(ServiceError):
    """Anonymous: log in first."""

    status = 401
