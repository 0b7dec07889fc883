"""Error answers: every failure is JSON `{error, message}`, database trouble a 503 with `Retry-After`."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from agents.database import STORE_ERRORS as DATABASE_ERRORS
from agents.readiness import RETRY_AFTER_S
from orchestrator.api.models import ErrorBody
from orchestrator.conversation_store import StoreUnavailable

logger = logging.getLogger(__name__)

STORE_UNAVAILABLE = "The conversation store is unavailable right now. Nothing was lost: please try again shortly."
INTERNAL_ERROR = "Something went wrong on our side. Please try again."

# A store that refuses to work (locked, read-only, unreachable): the request may succeed later.
STORE_ERRORS: tuple[type[Exception], ...] = (StoreUnavailable, *DATABASE_ERRORS)

_CODES = {
    401: "unauthorized",
    404: "not_found",
    409: "conflict",
    415: "unsupported_media_type",
    422: "invalid_request",
    503: "unavailable",
}


class ApiError(HTTPException):
    """An HTTP error with its own stable code (otherwise the status names it)."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(status, detail=message)
        self.error = error


@dataclass(frozen=True)
class Failure:
    """An error as the API answers it, over JSON or as an SSE `error` event."""

    status: int
    error: str
    message: str
    headers: dict[str, str] | None = None

    def response(self, **extra: Any) -> JSONResponse:
        return error_response(self.status, self.error, self.message, headers=self.headers, **extra)


def error_response(
    status: int, error: str, message: str, *, headers: Mapping[str, str] | None = None, **extra: Any
) -> JSONResponse:
    """A JSON error answer; a 503 tells the client when to retry."""
    if status == 503:
        headers = {"Retry-After": str(RETRY_AFTER_S), **(headers or {})}
    return JSONResponse({"error": error, "message": message, **extra}, status_code=status, headers=headers)


def unexpected_failure(exc: BaseException) -> Failure:
    """What to tell the client about an exception nothing else handled (logged here)."""
    if isinstance(exc, STORE_ERRORS):
        logger.warning("store unavailable: %s: %s", type(exc).__name__, exc)
        return Failure(503, "store_unavailable", STORE_UNAVAILABLE)
    logger.error("unhandled error", exc_info=exc)
    return Failure(500, "internal_error", INTERNAL_ERROR)


def _problem(error: dict[str, Any]) -> str:
    where = ".".join(str(p) for p in error["loc"] if p != "body") or "body"
    if error["type"] == "json_invalid":
        return f"body is not valid JSON: {error.get('ctx', {}).get('error', 'malformed')} (at character {where})"
    return f"{where}: {error['msg'].removeprefix('Value error, ')}"


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(422, "invalid_request", "; ".join(map(_problem, exc.errors())) or "invalid request")


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if isinstance(exc.__cause__, UnicodeDecodeError):  # FastAPI's 400 for a body it can't decode
        return error_response(422, "invalid_request", f"body is not valid UTF-8: {exc.__cause__.reason}")
    code = getattr(exc, "error", None) or _CODES.get(exc.status_code)
    code = code or HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_")
    return error_response(exc.status_code, code, str(exc.detail), headers=exc.headers)


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    return unexpected_failure(exc).response()


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error as `{error, message}`: validation, HTTP errors, store trouble and the unexpected."""
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    for kind in STORE_ERRORS:
        app.add_exception_handler(kind, _unexpected)
    app.add_exception_handler(Exception, _unexpected)


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the error statuses a route returns, all with the one error schema."""
    retry = {"Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}}
    return {
        status: {
            "model": ErrorBody,
            "description": HTTPStatus(status).phrase,
            **({"headers": retry} if status == 503 else {}),
        }
        for status in statuses
    }
