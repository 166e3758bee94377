"""Sessions that last across a reload and a new tab: the session token in a secure, HttpOnly cookie.

Streamlit's script cannot set a cookie (it talks to the browser over a WebSocket), but ``st.App`` serves extra
HTTP routes (``server.py``). After signing in, the page hands the browser a one-time code, never the token:
a hidden component POSTs the code to ``/marketable/session`` (same origin only), and the route answers with
``Set-Cookie`` holding the token (HttpOnly, SameSite=Strict, Secure over HTTPS, no expiry date: the server's
idle timeout and sign-out end it). A new tab or a reload sends the cookie with the WebSocket's first request,
where ``st.context.cookies`` reads it, and the session is resumed in core (``core.services.signin.resume``).
Signing out ends the session in core and asks the route to clear the cookie the same way. No token ever
appears in a URL, and script code in the page cannot read it.

Codes live in this process's memory for a minute and are used once; run without ``server.py`` (plain
``streamlit run app.py``), the route does not exist and signing in lasts for the tab, as before."""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time

import streamlit as st
import streamlit.components.v1 as components
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

COOKIE = "marketable_session"
PATH = "/marketable/session"
CODE_SECONDS = 60
_PENDING = "cookie_code"
_codes: dict[str, tuple[str | None, float]] = {}  # sha256(code) -> (token to set, or None to clear; expiry)
_used: dict[str, float] = {}  # sha256(code) -> when it was used (kept a while for ``sync`` to see)
_lock = threading.Lock()


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _hand_over(token: str | None) -> str:
    """A one-time code the browser exchanges for the cookie (``token``), or for clearing it (None)."""
    code = secrets.token_urlsafe(32)
    now = time.monotonic()
    with _lock:
        for key in [k for k, (_, expiry) in _codes.items() if expiry < now]:
            del _codes[key]
        for key in [k for k, used_at in _used.items() if used_at < now - 10 * CODE_SECONDS]:
            del _used[key]
        _codes[_digest(code)] = (token, now + CODE_SECONDS)
    return code


def _take(code: str) -> tuple[bool, str | None]:
    """Use a code once: (known and fresh, the token it stands for)."""
    key = _digest(code)
    with _lock:
        found = _codes.pop(key, None)
        if found is None or found[1] < time.monotonic():
            return False, None
        _used[key] = time.monotonic()
    return True, found[0]


def _used_up(code: str) -> bool:
    with _lock:
        return _digest(code) in _used


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    return origin is not None and origin == f"{request.url.scheme}://{request.headers.get('host', '')}"


async def _exchange(request: Request) -> Response:
    if not _same_origin(request):
        return Response(status_code=403)
    known, token = _take((await request.body()).decode(errors="replace")[:100])
    if not known:
        return Response(status_code=400)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    if token is None:
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    else:
        secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
        response.set_cookie(COOKIE, token, path="/", httponly=True, samesite="strict", secure=secure)
    return response


ROUTES = [Route(PATH, _exchange, methods=["POST"])]


def keep(token: str | None) -> None:
    """Ask the browser to keep ``token`` in the cookie (None: to clear it); done by ``sync`` on the next runs."""
    st.session_state[_PENDING] = _hand_over(token)


def sync() -> None:
    """While a code is waiting, draw the hidden component that hands it to the route (every run until used)."""
    code = st.session_state.get(_PENDING)
    if not code:
        return
    if _used_up(code):
        del st.session_state[_PENDING]
        return
    url, body = json.dumps(PATH), json.dumps(code)
    send = f"fetch(window.parent.location.origin + {url}, {{method: 'POST', body: {body}, credentials: 'same-origin'}})"
    components.html(f"<script>{send}</script>", height=0)


def cookie_token() -> str | None:
    """The session token the browser sent with this connection, if any."""
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # no browser (AppTest, bare mode): no cookies
        return None
    return token if isinstance(token, str) and token else None
