"""Error answers: every failure is JSON `{error, message}`."""

from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

_NAMES = {
    401: "unauthorized",
    404: "not_found",
    409: "conflict",
    413: "message_too_long",
    422: "invalid_request",
    503: "unavailable",
}


def error_response(status: int, error: str, message: str, **extra: Any) -> JSONResponse:
    """A JSON error answer."""
    return JSONResponse({"error": error, "message": message, **extra}, status_code=status)


async def _invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = [f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}" for e in exc.errors()]
    return error_response(422, "invalid_request", "; ".join(problems) or "invalid request")


async def _http_error(_request: Request, exc: HTTPException) -> JSONResponse:
    response = error_response(exc.status_code, _NAMES.get(exc.status_code, "error"), str(exc.detail))
    response.headers.update(exc.headers or {})
    return response


def install_error_handlers(app: FastAPI) -> None:
    """Answer validation and HTTP errors as `{error, message}`."""
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
