"""Pages: sign-up, login, logout, language switch, the account (password change), the
organisations and their start page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from kreislauf.errors import KreislaufError
from kreislauf.i18n import is_lang
from kreislauf.store import account as account_store
from kreislauf.web.deps import (
    DB,
    CurrentUser,
    LangDep,
    OptionalUser,
    SameOrigin,
    Viewer,
    get_settings,
    verify_csrf,
)
from kreislauf.web.services.accounts import client_address, start_session
from kreislauf.web.templating import render

router = APIRouter()
Csrf = Annotated[None, Depends(verify_csrf)]


def _next(target: str | None) -> str:
    """Only local paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/orgs"


@router.get("/")
def home(user: OptionalUser) -> Response:
    return RedirectResponse("/orgs" if user else "/login", status_code=303)


@router.get("/lang/{code}")
def switch_language(code: str, next: str | None = None) -> Response:
    response = RedirectResponse(_next(next), status_code=303)
    if is_lang(code):
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="lax")
    return response


@router.get("/login")
def login_page(request: Request, lang: LangDep, next: str | None = None) -> Response:
    return render(request, "login.html", lang, next=_next(next), error=None, email="")


@router.post("/login")
def login(
    request: Request,
    db: DB,
    lang: LangDep,
    _csrf: Csrf,
    _origin: SameOrigin,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/orgs",
) -> Response:
    settings = get_settings(request)
    try:
        user = account_store.authenticate(
            db,
            email=email,
            password=password,
            client=client_address(request),
            max_failures=settings.login_max_failures,
            window_s=settings.login_window_s,
        )
    except KreislaufError as error:
        db.commit()  # keep the failed attempt for the rate limit
        return render(
            request, "login.html", lang, status_code=error.http_status,
            next=_next(next), error=error.message(lang), email=email,
        )  # fmt: skip
    start_session(request, user)
    return RedirectResponse(_next(next), status_code=303)


@router.get("/signup")
def signup_page(request: Request, lang: LangDep) -> Response:
    return render(request, "signup.html", lang, error=None, email="", name="")


@router.post("/signup")
def signup(
    request: Request,
    db: DB,
    lang: LangDep,
    _csrf: Csrf,
    _origin: SameOrigin,
    email: Annotated[str, Form()],
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
) -> Response:
    try:
        user = account_store.create_user(db, email=email, name=name, password=password, lang=lang)
    except KreislaufError as error:
        return render(
            request, "signup.html", lang, status_code=error.http_status,
            error=error.message(lang), email=email, name=name,
        )  # fmt: skip
    start_session(request, user)
    return RedirectResponse("/orgs", status_code=303)


@router.post("/logout")
def logout(request: Request, user: CurrentUser, db: DB) -> Response:
    account_store.end_sessions(db, user=user)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/account")
def account_page(request: Request, user: CurrentUser, lang: LangDep) -> Response:
    changed = request.query_params.get("changed") == "1"
    return render(request, "account.html", lang, user=user, error=None, changed=changed)


@router.post("/account/password")
def change_password(
    request: Request,
    user: CurrentUser,
    db: DB,
    lang: LangDep,
    current_password: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=200)],
) -> Response:
    """Set a new password (the current one is required); every other session of the user
    ends, this one is signed in again (``POST /api/v1/me/password`` on the API)."""
    try:
        account_store.change_password(db, user=user, current=current_password, new=password)
    except KreislaufError as error:
        db.rollback()
        return render(
            request, "account.html", lang, status_code=error.http_status,
            user=user, error=error.message(lang), changed=False,
        )  # fmt: skip
    start_session(request, user)
    return RedirectResponse("/account?changed=1", status_code=303)


@router.get("/orgs")
def organisations(request: Request, user: CurrentUser, db: DB, lang: LangDep) -> Response:
    items = account_store.memberships(db, user_id=user.id)
    return render(request, "orgs.html", lang, user=user, memberships=items, error=None, form={})


@router.post("/orgs")
def create_organisation(
    request: Request,
    user: CurrentUser,
    db: DB,
    lang: LangDep,
    slug: Annotated[str, Form()],
    name: Annotated[str, Form()],
    kind: Annotated[str, Form()],
) -> Response:
    try:
        organisation = account_store.create_organisation(
            db, owner=user, slug=slug.strip().lower(), name=name, kind=kind
        )
    except KreislaufError as error:
        db.rollback()
        items = account_store.memberships(db, user_id=user.id)
        form = {"slug": slug, "name": name, "kind": kind}
        return render(
            request, "orgs.html", lang, status_code=error.http_status,
            user=user, memberships=items, error=error.message(lang), form=form,
        )  # fmt: skip
    return RedirectResponse(f"/orgs/{organisation.slug}", status_code=303)


@router.get("/orgs/{org}")
def overview(access: Viewer) -> Response:
    """Companies land on their dashboard, networks on their questionnaires."""
    slug = access.organisation.slug
    target = "surveys" if access.organisation.kind == "network" else "dashboard"
    return RedirectResponse(f"/orgs/{slug}/{target}", status_code=303)
