"""`GET /`: the web chat page, plain HTML, CSS and JavaScript shipped with the package (no build step)."""

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).with_name("static")
# Everything the page loads comes from this server; nothing from a CDN.
PAGE_HEADERS = {
    "content-security-policy": "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    "cache-control": "no-cache",
}

router = APIRouter(tags=["web"])


@router.get("/", include_in_schema=False)
async def page() -> FileResponse:
    """The chat page."""
    return FileResponse(STATIC_DIR / "index.html", headers=PAGE_HEADERS)


def mount_assets(app: FastAPI) -> None:
    """Serve the page's scripts and styles under `/static`."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
