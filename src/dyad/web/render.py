"""One view, two formats: the same data as an HTML page or as JSON (datasette style).

A view builds a JSON-ready dict and calls :func:`respond`; a path ending in
``.json`` gets the dict, any other path gets the template rendered with it (plus
HTML-only extras, computed only when a page is wanted).  Templates autoescape.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from importlib import resources
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from dyad.store.search_queries import MARK_CLOSE, MARK_OPEN
from dyad.web.charts import date_label
from dyad.web.text import entity_href, figure_title, format_value

TEMPLATES = resources.files("dyad.web") / "templates"
STATIC = resources.files("dyad.web") / "static"


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(value=format_value, entity_href=entity_href, urlq=lambda s: quote(str(s), safe=""),
                       marked=marked, figure_title=figure_title, safe_url=safe_url, datelabel=date_label)
    env.globals.update(fact_href=fact_href, doc_href=doc_href)
    return env


def wants_json(request: Request) -> bool:
    """Whether the request asked for the JSON twin of a page."""
    return request.url.path.endswith(".json")


def respond(request: Request, template: str, data: dict, extras: Callable[[], dict] | None = None,
            status: int = 200) -> HTMLResponse | JSONResponse:
    """The JSON twin for ``….json`` paths, else the page rendered from ``template``."""
    if wants_json(request):
        return JSONResponse(data, status_code=status)
    context = {"request": request, "path": request.url.path, "json_url": json_twin(request), "data": data, **data}
    if extras is not None:
        context.update(extras())
    return HTMLResponse(ENV.get_template(template).render(context), status_code=status)


def json_twin(request: Request) -> str:
    """The ``.json`` twin of this page's URL, without any token in it."""
    path = request.url.path
    if path == "/docs":
        return "/openapi.json"
    path = "/index.json" if path == "/" else path + ".json"
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
    return path + ("?" + urlencode(params) if params else "")


def error_response(request: Request, status: int, message: str) -> HTMLResponse | JSONResponse:
    """An error as JSON (``{"error": …}``) or as a page, by the path's format."""
    return respond(request, "error.html", {"error": message, "status": status}, status=status)


def marked(snippet: str) -> Markup:
    """An FTS snippet with its match markers as ``<mark>``, everything else escaped."""
    text = str(escape(snippet))
    return Markup(text.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def highlighted(text: str, spans: list) -> Markup:
    """``text`` escaped, with each ``(start, end)`` span (non-overlapping, in order) as ``<mark>``."""
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            continue
        out.append(f"{escape(text[at:start])}<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


def unmarked(snippet: str) -> str:
    """An FTS snippet as plain text (for JSON)."""
    return snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


def safe_url(url: str | None) -> str | None:
    """An article's URL if it is http(s), else None: ``javascript:`` never becomes a link."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def doc_href(doc_id: str) -> str:
    """The document page."""
    return "/doc/" + quote(doc_id, safe="")


def fact_href(doc_id: str, sentence: int | None, start: int | None = None, end: int | None = None) -> str:
    """A fact's source: the document opened at its sentence, the span highlighted."""
    href = doc_href(doc_id)
    if start is not None and end is not None:
        href += f"?hl={int(start)}-{int(end)}"
    if sentence is not None and sentence >= 0:
        href += f"#s{int(sentence)}"
    return href


class Pager:
    """Page/limit query parameters turned into offset, totals and neighbour links."""

    def __init__(self, request: Request, page: int, limit: int, total: int) -> None:
        self.page, self.limit, self.total = page, limit, total
        self.pages = max(1, math.ceil(total / limit)) if limit else 1
        self.offset = (page - 1) * limit
        self._request = request

    def url(self, page: int) -> str:
        """This request's URL at another page (other parameters kept, token dropped)."""
        params = [(k, v) for k, v in self._request.query_params.multi_items() if k not in ("page", "token")]
        params.append(("page", str(page)))
        return self._request.url.path + "?" + urlencode(params)

    def as_dict(self) -> dict:
        """The pagination block of a JSON response."""
        return {"page": self.page, "limit": self.limit, "total": self.total, "pages": self.pages,
                "next": self.url(self.page + 1) if self.page < self.pages else None,
                "prev": self.url(self.page - 1) if self.page > 1 else None}


ENV = _env()
