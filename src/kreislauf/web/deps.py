"""Request dependencies: database session, language, current user, CSRF and the tenant.

Tenant isolation lives here and in :mod:`kreislauf.store.tenancy`: every route whose path
has ``{org}`` takes one of :data:`Viewer`, :data:`Editor` or :data:`Owner`, which resolve
the organisation from the path and the current user's membership (403 otherwise); the
route then reads data only through the store's scoped queries with that organisation.
``tests/web/test_isolation.py`` walks every route to prove it.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from kreislauf.errors import AuthenticationRequired, CsrfFailed, PermissionDenied
from kreislauf.i18n import Lang, is_lang
from kreislauf.settings import Settings
from kreislauf.store import account as account_store
from kreislauf.store.account import Access
from kreislauf.store.models import User
from kreislauf.web.sessions import session_claims

E = TypeVar("E")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def read_only(endpoint: E) -> E:
    """Mark a route that never writes: its session runs each query without a transaction.

    Saves the ``COMMIT`` round trip of a request that only reads (the dashboard API).
    """
    endpoint.read_only = True  # type: ignore[attr-defined]
    return endpoint


def get_db(request: Request) -> Iterator[Session]:
    """One session per request: committed when the route returns, rolled back on error.

    Routes marked :func:`read_only` get a session without transaction instead.
    """
    reads_only = getattr(request.scope.get("endpoint"), "read_only", False)
    state = request.app.state
    session: Session = (state.read_sessionmaker if reads_only else state.sessionmaker)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


#: ``scope="function"``: commit before the response is sent, so that a client following a
#: redirect after a form post always sees what the post wrote.
DB = Annotated[Session, Depends(get_db, scope="function")]


async def _lang_dependency(request: Request) -> Lang:
    return request_lang(request)


def request_lang(request: Request) -> Lang:
    """``?lang=``, then the ``lang`` cookie, then (API only) Accept-Language, then settings.

    Pages stay German unless the user switches: browsers send their UI language, which says
    little about the language a German SME works in.
    """
    for value in (request.query_params.get("lang"), request.cookies.get("lang")):
        if is_lang(value):
            return value
    if not request.url.path.startswith("/api/"):
        return request.app.state.settings.lang  # type: ignore[no-any-return]
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if is_lang(code):
            return code
    return request.app.state.settings.lang  # type: ignore[no-any-return]


# Dependencies without I/O are ``async`` so that FastAPI does not hand them to a thread.
LangDep = Annotated[Lang, Depends(_lang_dependency)]


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


async def verify_csrf(request: Request) -> None:
    """Unsafe requests authenticated by the session cookie must carry the CSRF token.

    Form posts send it as the field ``csrf_token``, scripts as the header
    ``X-CSRF-Token``. Requests with a bearer token carry no cookie authority and are exempt.
    """
    if request.method in SAFE_METHODS or _bearer(request) is not None:
        return
    if "uid" not in request.session and "csrf" not in request.session:
        return  # no session: nothing a forged request could use
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = request.session.get("csrf")
    if not sent or not expected or not secrets.compare_digest(str(sent), str(expected)):
        raise CsrfFailed()


async def same_origin(request: Request) -> None:
    """Refuse a sign-in or sign-up posted from another site (login CSRF).

    Such a post carries no session cookie (``SameSite=lax``), so :func:`verify_csrf` has no
    token to compare; the browser's ``Sec-Fetch-Site`` header (or, from browsers without
    it, ``Origin`` against ``Host``) tells where the form was. Clients that send neither
    (scripts, the CLI) are not browsers a forged page could drive.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        if site not in ("same-origin", "none"):
            raise CsrfFailed()
        return
    origin = request.headers.get("origin")
    if origin is None:
        return
    host = request.headers.get("host", "")
    if origin == "null" or origin.partition("://")[2].rstrip("/") != host:
        raise CsrfFailed()


#: Sign-in and sign-up routes take this (besides :func:`verify_csrf`).
SameOrigin = Annotated[None, Depends(same_origin)]


def optional_user(
    request: Request, db: DB, _csrf: Annotated[None, Depends(verify_csrf)]
) -> User | None:
    """The user of a bearer token or of a live session cookie, or None.

    A session is live within its idle and absolute timeouts and while its generation is the
    user's (:mod:`kreislauf.web.sessions`); an ended one is cleared.
    """
    token = _bearer(request)
    if token is not None:
        return account_store.user_for_token(db, token=token)
    claims = session_claims(request, get_settings(request))
    if claims is None:
        return None
    user_id, generation = claims
    user = account_store.session_user(db, user_id=user_id, generation=generation)
    if user is None:
        request.session.clear()
    return user


async def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    """The signed-in user; 401 otherwise."""
    if user is None:
        raise AuthenticationRequired()
    return user


CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]

OrgSlug = Annotated[str, Path(description="The organisation's slug", max_length=64)]
#: A record id in a path: a positive 32-bit integer (the databases' id range).
RecordId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def org_access(
    request: Request, org: OrgSlug, db: DB, _csrf: Annotated[None, Depends(verify_csrf)]
) -> Access:
    """The organisation named in the path, if the current user is a member.

    One query on the way in (:func:`kreislauf.store.account_store.access_of`: token or session
    user and generation, membership, organisation, data stamp); only when it finds nothing
    do further queries tell an unknown token or ended session (401) from a missing
    membership (403).
    """
    token = _bearer(request)
    claims = None if token is not None else session_claims(request, get_settings(request))
    if token is None and claims is None:
        raise AuthenticationRequired()
    user_id, generation = (None, None) if claims is None else claims
    found = account_store.access_of(
        db, slug=org, user_id=user_id, token=token, generation=generation
    )
    if found is not None:
        return found
    if optional_user(request, db, None) is None:
        raise AuthenticationRequired()
    raise PermissionDenied(organisation=org)


def _requiring(role: str) -> Callable[[Access], Awaitable[Access]]:
    async def dependency(access: Annotated[Access, Depends(org_access)]) -> Access:
        if not access.allows(role):
            raise PermissionDenied(organisation=access.organisation.slug)
        return access

    dependency.__name__ = f"org_{role}"
    return dependency


#: The organisation of the path, for members with at least the given role.
Viewer = Annotated[Access, Depends(_requiring("viewer"))]
Editor = Annotated[Access, Depends(_requiring("editor"))]
Owner = Annotated[Access, Depends(_requiring("owner"))]
