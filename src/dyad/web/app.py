"""The FastAPI application: routes, error pages, static assets, security middleware.

Every page is registered twice, datasette style: ``/doc/{id}`` (HTML) and
``/doc/{id}.json`` (the same view, JSON; these are the routes OpenAPI documents
at ``/docs``).  The JSON route is registered first so that ``….json`` never
reaches the HTML route as part of a path parameter.
"""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

import dyad
from dyad.web import views, views_entities, views_stories
from dyad.store.sqlite import is_server_url
from dyad.web.db import QueryTimeout, StorePool
from dyad.web.render import STATIC, error_response, respond
from dyad.web.security import SecurityMiddleware

DESCRIPTION = """\
JSON twins of every page of the dyad web app: add `.json` to a page's path.
Every fact carries `href`, a link to its source sentence (`/doc/{id}?hl=START-END#sN`);
offsets are character offsets into the document's `clean_text`.
All endpoints are read-only GETs; list endpoints take `page` and `limit`.
A story's briefing is also served as Markdown at `/story/{id}.md`.
"""

# (path, view, tag).  Paths are the HTML pages; the JSON twin adds ".json"
# (the overview's twin is /index.json).
ROUTES: list[tuple[str, Callable, str]] = [
    ("/", views.overview, "overview"),
    ("/documents", views.documents, "documents"),
    ("/doc/{doc_id}", views.document, "documents"),
    ("/search", views.search, "search"),
    ("/entities", views_entities.entities, "entities"),
    ("/entity/{name:path}", views_entities.entity, "entities"),
    ("/figures", views_entities.figures, "figures"),
    ("/stories", views_stories.stories, "stories"),
    ("/story/{story_id}", views_stories.story, "stories"),
    ("/ask", views_stories.ask, "ask"),
]


def create_app(db_path: str | Path, token: str | None = None, *, allowed_hosts: list[str] | None = None,
               pool_size: int = 4, query_timeout_ms: int = 2000) -> FastAPI:
    """The web app over the store at ``db_path`` (a SQLite file that must exist, or a ``postgresql://`` URL).

    With ``token`` every request must present it (``Authorization: Bearer …``,
    ``?token=…``, or the cookie set after a ``?token=`` visit).  Without it only
    loopback ``Host`` names are served, unless ``allowed_hosts`` says otherwise.
    Queries are read-only and each request's queries stop after ``query_timeout_ms``.
    """
    if not is_server_url(db_path) and not Path(db_path).is_file():
        raise FileNotFoundError(f"no store at {db_path}")
    pool = StorePool(db_path, size=pool_size, timeout_ms=query_timeout_ms)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(title="dyad", version=getattr(dyad, "__version__", "0"), description=DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json", lifespan=lifespan)
    app.state.pool = pool
    # Before the story page, whose {story_id} would otherwise swallow "….md".
    app.add_api_route("/story/{story_id}.md", views_stories.story_markdown, methods=["GET"], tags=["stories"],
                      response_class=PlainTextResponse, name="story_markdown",
                      summary=(views_stories.story_markdown.__doc__ or "").strip().partition("\n")[0],
                      responses={200: {"content": {"text/markdown": {}}}})
    for route, view, tag in ROUTES:
        json_path = "/index.json" if route == "/" else route + ".json"
        summary, _, description = (view.__doc__ or "").strip().partition("\n")
        app.add_api_route(json_path, view, methods=["GET"], tags=[tag], response_class=JSONResponse,
                          name=f"{view.__name__}_json", summary=summary.strip(),
                          description=inspect.cleandoc(description) if description.strip() else None)
        app.add_api_route(route, view, methods=["GET", "HEAD"], include_in_schema=False, response_class=HTMLResponse,
                          name=view.__name__)
    app.add_api_route("/docs", api_docs, methods=["GET"], include_in_schema=False, response_class=HTMLResponse)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    _error_handlers(app)
    app.add_middleware(SecurityMiddleware, token=token, allowed_hosts=allowed_hosts)
    return app


def _error_handlers(app: FastAPI) -> None:
    """Errors as pages for pages and as JSON for ``.json`` paths, never a traceback."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return error_response(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return error_response(request, 422, f"invalid parameters: {problems}")

    @app.exception_handler(QueryTimeout)
    async def timeout(request: Request, exc: QueryTimeout):
        return error_response(request, 503, f"{exc}; narrow the query or try again")

    @app.exception_handler(sqlite3.OperationalError)
    async def interrupted(request: Request, exc: sqlite3.OperationalError):
        if "interrupted" in str(exc):
            return error_response(request, 503, "the query took too long; narrow the query or try again")
        return error_response(request, 500, "database error")


def api_docs(request: Request) -> HTMLResponse:
    """The API reference, rendered here from the OpenAPI schema (no CDN-hosted Swagger UI)."""
    schema = request.app.openapi()
    endpoints = []
    for path, ops in schema.get("paths", {}).items():
        op = ops.get("get")
        if not op:
            continue
        params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                   "type": _schema_type(p.get("schema", {})), "description": p.get("description", "")}
                  for p in op.get("parameters", [])]
        endpoints.append({"path": path, "summary": op.get("summary", ""), "description": op.get("description", ""),
                          "tag": (op.get("tags") or [""])[0], "params": params})
    data = {"title": schema["info"]["title"], "description": schema["info"].get("description", ""),
            "endpoints": endpoints}
    return respond(request, "apidocs.html", data)


def _schema_type(s: dict) -> str:
    if "anyOf" in s:
        return " | ".join(_schema_type(x) for x in s["anyOf"])
    if "enum" in s:
        return " | ".join(map(str, s["enum"]))
    return s.get("type", "")

