"""Error bodies as the Chat Completions API (and Azure OpenAI) writes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Violation:
    """One rule of the API that a request broke, and how the API reports it."""

    rule: str
    message: str
    param: str | None = None
    code: str | None = None
    status: int = 400
    type: str = "invalid_request_error"

    def body(self) -> dict[str, Any]:
        """The JSON error body the API answers with."""
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


class Invalid(Exception):
    """Raised by a validation rule; carries the violation to answer with."""

    def __init__(self, rule: str, message: str, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.violation = Violation(rule, message, param, code)


def json_type(value: Any) -> str:
    """The API's name for the JSON type of `value` ("a string", "an integer", ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def invalid_type(param: str, expected: str, value: Any) -> Invalid:
    """The API's "Invalid type for 'x'" error."""
    return Invalid(
        "invalid_type",
        f"Invalid type for '{param}': expected {expected}, but got {json_type(value)} instead.",
        param,
        "invalid_type",
    )


def missing(param: str) -> Invalid:
    """The API's "Missing required parameter" error."""
    return Invalid("missing_parameter", f"Missing required parameter: '{param}'.", param, "missing_required_parameter")


def empty_array(param: str) -> Invalid:
    """The API's error for an array that must not be empty."""
    return Invalid(
        "empty_array",
        f"Invalid '{param}': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        param,
        "empty_array",
    )


def unsupported_value(param: str, value: Any, supported: tuple[str, ...]) -> Invalid:
    """The API's "Invalid value ... Supported values are" error."""
    quoted = [f"'{s}'" for s in supported]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])}, and {quoted[-1]}"
    return Invalid(
        "invalid_value", f"Invalid value: '{value}'. Supported values are: {listed}.", param, "invalid_value"
    )


def unexpected_property(name: str, where: str) -> Invalid:
    """The API's error for a property a message or part may not have."""
    message = f"Additional properties are not allowed ('{name}' was unexpected) - '{where}'"
    return Invalid("additional_property", message)


RATE_LIMITED = "Rate limit reached for requests. Please try again in {seconds}s."
SERVER_ERROR = "The server had an error while processing your request. Sorry about that!"


def api_error(status: int, message: str | None = None, *, code: str | None = None) -> Violation:
    """An error the API answers without the request being wrong (429 rate limit, 5xx server error, ...)."""
    if status == 429:
        return Violation(
            "rate_limited",
            message or RATE_LIMITED.format(seconds=1),
            None,
            code or "rate_limit_exceeded",
            status,
            "requests",
        )
    if status >= 500:
        return Violation("server_error", message or SERVER_ERROR, None, code, status, "server_error")
    return Violation("injected", message or "Invalid request.", None, code, status)
