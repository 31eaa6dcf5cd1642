"""The FastAPI application: server-rendered pages, a JSON/CSV API under ``/api``.

``create_app(ws, settings)`` builds it around an opened workspace. Charts use the
Plotly JavaScript bundled in the installed ``plotly`` package, served from
``/static/plotly.min.js``: nothing is fetched from a CDN, so it works offline.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from coachloop import __version__
from coachloop.errors import AccessError, CoachloopError
from coachloop.web.deps import CsrfFailed, LoginRequired
from coachloop.web.security import CookieSigner
from coachloop.web.settings import WebSettings
from coachloop.workspace.core import Workspace

HERE = Path(__file__).parent
#: Room for the multipart envelope and form fields around an upload's bytes.
UPLOAD_FORM_SLACK = 64 * 1024

PAGE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:"
)
#: FastAPI's Swagger UI page is an inline script loading its bundle from jsDelivr; the
#: strict page policy would leave it blank. Only /api/docs gets this one.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com"
)


def plotly_js_path() -> Path:
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.exists():  # pragma: no cover - a broken plotly install
        raise CoachloopError(
            "plotly.min.js is missing from the installed plotly package", hint="reinstall plotly"
        )
    return path


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.filters["score"] = lambda v: "–" if v is None else f"{v:.0f}"
    env.filters["delta"] = lambda v: "" if v is None else (f"+{v:.0f}" if v > 0 else f"{v:.0f}")
    env.filters["mmss"] = lambda s: "" if s is None else f"{int(s) // 60}:{int(s) % 60:02d}"
    env.filters["heat"] = _heat
    env.globals["version"] = __version__
    return templates


def _heat(score: float | None) -> str:
    """A background colour for a 0–100 score (red → amber → green)."""
    if score is None:
        return "#f1f1f1"
    s = max(0.0, min(100.0, float(score))) / 100
    hue = int(120 * s)
    return f"hsl({hue}, 60%, 82%)"


def create_app(
    ws: Workspace, settings: WebSettings | None = None, *, today: date | None = None
) -> FastAPI:
    settings = settings or WebSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The workspace opens a new SQLite connection per session (NullPool). When the
        # last connection to a WAL database closes, SQLite checkpoints the WAL and
        # deletes it, so every request's audit write paid a checkpoint (~30 ms here).
        # One idle connection held for the server's lifetime keeps the WAL open; it
        # holds no lock while idle.
        keeper = ws.engine.raw_connection() if ws.backend == "sqlite" else None
        try:
            yield
        finally:
            if keeper is not None:
                keeper.close()

    app = FastAPI(
        title="coachloop",
        version=__version__,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.ws = ws
    app.state.settings = settings
    app.state.signer = CookieSigner(settings.secret_key)
    app.state.templates = make_templates()
    app.state.today = today

    from coachloop.web.routes import api, auth, pages, practice

    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(practice.router)
    app.include_router(api.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(
            plotly_js_path(),
            media_type="application/javascript",
            headers={"Cache-Control": "max-age=86400"},
        )

    @app.middleware("http")
    async def refuse_oversized_uploads(request: Request, call_next: Any) -> Response:
        # The form is parsed (and spooled to disk) before the route runs, so a declared
        # size far above the limit is refused here, unread. The route still counts the
        # bytes for uploads that do not declare their length.
        declared = request.headers.get("content-length", "")
        if (
            request.method == "POST"
            and request.url.path == "/api/transcripts"
            and declared.isdigit()
            and int(declared) > settings.max_upload_bytes + UPLOAD_FORM_SLACK
        ):
            return JSONResponse(
                {
                    "error": {
                        "code": "CL231",
                        "message": f"the upload is larger than {settings.max_upload_bytes} "
                        "bytes; split the recording or raise COACHLOOP_WEB_MAX_UPLOAD_BYTES",
                    }
                },
                status_code=413,
            )
        response: Response = await call_next(request)
        return response

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            DOCS_CSP if request.url.path == "/api/docs" else PAGE_CSP,
        )
        return response

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api")

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        if wants_json(request):
            return JSONResponse(
                {"error": {"code": "CL821", "message": "sign in first"}}, status_code=401
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc: CsrfFailed) -> Response:
        return _error(
            request,
            403,
            "CL822",
            "the form's security token is missing or stale; reload the page and try again",
        )

    @app.exception_handler(AccessError)
    async def _access(request: Request, exc: AccessError) -> Response:
        status = (
            404
            if exc.code == "CL804"
            else 400
            if exc.code in ("CL810", "CL811")
            else 401
            if exc.code == "CL820"
            else 403
        )
        return _error(request, status, exc.code, str(exc))

    @app.exception_handler(CoachloopError)
    async def _coachloop(request: Request, exc: CoachloopError) -> Response:
        return _error(request, 400, exc.code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path"))
            parts.append(f"{loc}: {err.get('msg')}" if loc else str(err.get("msg")))
        return _error(request, 422, "CL830", "; ".join(parts) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, f"HTTP{exc.status_code}", str(exc.detail))

    def _error(request: Request, status: int, code: str, message: str) -> Response:
        if wants_json(request):
            return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
        templates: Jinja2Templates = app.state.templates
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": status, "code": code, "message": message, "auth": None},
            status_code=status,
        )

    return app
