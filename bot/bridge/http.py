"""HTTP routes: the demo page, the agent console, static files, login and health."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from bot.bridge.errors import StorageError, Unauthorized
from bot.bridge.keys import DESK, SETTINGS, STORAGE

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# Scripts and styles come only from the bridge itself; nothing inline, nothing remote.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Add the headers that keep pages from being framed, sniffed or scripted."""
    response = await handler(request)
    if not request.path.startswith("/socket.io"):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


def _page(name: str) -> Handler:
    async def page(request: web.Request) -> web.StreamResponse:
        path = request.app[SETTINGS].web_root / "pages" / name
        if not path.is_file():
            raise web.HTTPNotFound(text="The front-end is not built; run `make setup`.")
        return web.FileResponse(path, headers={"Cache-Control": "no-cache"})
    return page


async def static(request: web.Request) -> web.StreamResponse:
    """Serve a built bundle from dist/ or a stylesheet from static/, never anything else."""
    name = request.match_info["name"]
    if "/" in name or "\\" in name or name.startswith("."):
        raise web.HTTPNotFound()
    root: Path = request.app[SETTINGS].web_root
    for folder in ("dist", "static"):
        path = root / folder / name
        if path.is_file():
            return web.FileResponse(path, headers={"Cache-Control": "no-cache"})
    raise web.HTTPNotFound()


async def favicon(request: web.Request) -> web.Response:
    """No icon, said quickly, so browsers stop asking and logs stay clean."""
    return web.Response(status=204, headers={"Cache-Control": "max-age=86400"})


async def _json_object(request: web.Request) -> dict[str, object]:
    try:
        data = await request.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(text='{"error": "invalid"}', content_type="application/json")
    return data


async def login(request: web.Request) -> web.Response:
    """Exchange a username and password for a short-lived agent token."""
    data = await _json_object(request)
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str) \
            or not username or not password or len(username) > 64 or len(password) > 256:
        return web.json_response({"error": "invalid"}, status=400)
    try:
        result = await request.app[DESK].login(username, password)
    except Unauthorized:
        log.info("failed login attempt")
        return web.json_response({"error": "unauthorized"}, status=401)
    return web.json_response({
        "token": result.token,
        "expires_at": result.expires_at,
        "agent": {"username": result.agent.username, "display_name": result.agent.display_name},
    })


async def logout(request: web.Request) -> web.Response:
    """Revoke the bearer token and disconnect its sockets."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return web.json_response({"error": "unauthorized"}, status=401)
    await request.app[DESK].logout(token.strip())
    return web.json_response({"ok": True})


async def health(request: web.Request) -> web.Response:
    """Whether the bridge can reach its database."""
    try:
        await request.app[STORAGE].agent_count()
    except StorageError:
        return web.json_response({"ok": False, "database": "unreachable"}, status=503)
    return web.json_response({"ok": True})


def add_routes(app: web.Application) -> None:
    """Attach every HTTP route."""
    app.router.add_get("/", _page("index.html"))
    app.router.add_get("/agent", _page("agent.html"))
    app.router.add_get("/static/{name}", static)
    app.router.add_post("/api/login", login)
    app.router.add_post("/api/logout", logout)
    app.router.add_get("/healthz", health)
    app.router.add_get("/favicon.ico", favicon)
