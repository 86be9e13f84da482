"""Security headers on every response: CSP, framing, sniffing, referrer, HSTS, caching.

:class:`SecurityHeaders` is a pure ASGI middleware: it adds a handful of precomputed header
lines to the ``http.response.start`` message and touches nothing else, so it costs a few
microseconds per request (docs/web.md, "Headers"). It covers pages, the JSON API, problem
responses, redirects, downloads and static files.

- ``Content-Security-Policy``: scripts, styles, images and fonts only from this origin, no
  inline script or style (the templates have none), no plugins, no ``<base>``, forms post
  only here, and ``frame-ancestors 'none'``. A response that sets its own policy keeps it
  (the API documentation with a per-request nonce, the self-contained Sankey page with the
  hashes of its scripts, :func:`document_csp`, an SVG chart, :data:`SVG_CSP`).
- ``X-Frame-Options: DENY`` for browsers without ``frame-ancestors``;
  ``X-Content-Type-Options: nosniff``; ``Referrer-Policy: same-origin``.
- ``Strict-Transport-Security`` when the request came over HTTPS (the ASGI scheme, which
  uvicorn takes from a trusted proxy's ``X-Forwarded-Proto``) or the platform is declared
  to be served over TLS (setting ``cookie_secure``).
- ``Cache-Control: no-store`` on everything but ``/static/``, unless the response chose
  its own: pages and API answers carry an organisation's data and a CSRF token.

References
----------
OWASP Secure Headers Project, https://owasp.org/www-project-secure-headers/ ;
W3C Content Security Policy Level 3, https://www.w3.org/TR/CSP3/
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The policy of every page and answer that does not set its own.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: The policy of an SVG chart opened on its own: matplotlib styles by attribute, no script.
SVG_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; sandbox"
)
HSTS = b"max-age=31536000; includeSubDomains"
STATIC_PREFIX = "/static/"
#: Where the API documentation (Swagger UI) loads its script and style from.
DOCS_CDN = "https://cdn.jsdelivr.net"

_COMMON = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
_CSP = b"content-security-policy"
_CACHE = b"cache-control"
_HSTS = b"strict-transport-security"
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def nonce(scope: Scope) -> str:
    """The CSP nonce of this request (made once, kept in the request's state)."""
    state = scope.setdefault("state", {})
    value = state.get("csp_nonce")
    if value is None:
        value = state["csp_nonce"] = secrets.token_urlsafe(16)
    return str(value)


def docs_csp(nonce_value: str) -> str:
    """The policy of the API documentation page: its one inline script by nonce, the
    Swagger UI bundle and style from :data:`DOCS_CDN` (Swagger UI sets inline styles; the
    page shows no user data)."""
    return (
        f"default-src 'self'; script-src 'nonce-{nonce_value}' {DOCS_CDN}; "
        f"style-src 'self' 'unsafe-inline' {DOCS_CDN}; "
        "img-src 'self' data: https://fastapi.tiangolo.com; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


def document_csp(html: str) -> str:
    """The policy of a self-contained HTML document (plotly's interactive Sankey).

    Its inline scripts are allowed by their SHA-256 hashes and nothing else may run; the
    styles plotly injects at run time need ``'unsafe-inline'`` for style. ``sandbox
    allow-scripts`` gives the document an opaque origin: its scripts cannot read the
    platform's cookies or call the API, and ``connect-src 'none'`` stops any request.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _SCRIPT.findall(html)
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'; sandbox allow-scripts"
    )


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response.

    Parameters
    ----------
    app : the application to wrap
    https : send HSTS on every response, whatever the request's scheme (the platform is
        behind a TLS-terminating proxy)
    """

    def __init__(self, app: ASGIApp, *, https: bool = False) -> None:
        self.app = app
        self.https = https
        self._csp = CSP.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(STATIC_PREFIX)
        hsts = self.https or scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[tuple[bytes, bytes]] = list(message.get("headers", ()))
                names = {name.lower() for name, _ in headers}
                headers.extend(_COMMON)
                if _CSP not in names:
                    headers.append((_CSP, self._csp))
                if not static and _CACHE not in names:
                    headers.append((_CACHE, b"no-store"))
                if hsts:
                    headers.append((_HSTS, HSTS))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
