"""Pages: passports on the platform (owner list, publish, access log, PACT credentials and
inbox) and the public side (passport page, signed file, QR code, GS1 resolver, JWK Set).

The public routes carry no organisation: a passport id, a GTIN or nothing (the key set)
names what is shown, and only the public tier is ever shown
(:mod:`kreislauf.web.services.passport_platform`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from kreislauf.errors import KreislaufError, NotFound
from kreislauf.i18n import Lang, is_lang
from kreislauf.passport.resolver import GS1_VOC, preferred_languages
from kreislauf.web.deps import DB, Editor, LangDep, Owner, RecordId, Viewer
from kreislauf.web.problems import error_entries
from kreislauf.web.services import pact_inbox
from kreislauf.web.services import passport_platform as platform
from kreislauf.web.templating import render

router = APIRouter()

PassportRef = Annotated[str, Path(min_length=1, max_length=36, pattern=r"^[0-9a-fA-F-]+$")]
Version = Annotated[int | None, Query(ge=1, le=2_147_483_647)]
#: GS1 AI values: GTIN (8–14 digits), serial (AI 21) and batch (AI 10), ≤ 20 characters.
GtinPath = Annotated[str, Path(min_length=8, max_length=14, pattern=r"^\d+$")]
KeyPath = Annotated[str, Path(min_length=1, max_length=60)]
LINKSET = "application/linkset+json"


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


# --- public -------------------------------------------------------------------------


@router.get("/p/{passport_ref}")
def public_page(
    request: Request, passport_ref: PassportRef, db: DB, lang: LangDep, version: Version = None
) -> Response:
    """The public passport page (public tier only), German or English."""
    shown = platform.public_passport(db, passport_ref, version=version, base=_base(request))
    return render(request, "passport_public.html", lang, passport=shown)


@router.get("/p/{passport_ref}/passport.json")
def public_file(passport_ref: PassportRef, db: DB, version: Version = None) -> Response:
    """The public tier as a signed passport file (JWS Ed25519, docs/passport.md)."""
    data = platform.signed_public(db, passport_ref, version=version)
    name = f"passport-{passport_ref}.json"
    return Response(
        data,
        media_type="application/json",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get("/p/{passport_ref}/qr.svg")
def public_qr(request: Request, passport_ref: PassportRef, db: DB) -> Response:
    """The passport's QR code: its GS1 Digital Link URI on this host."""
    uri, data = platform.qr_svg(db, passport_ref, base=_base(request))
    return Response(data, media_type="image/svg+xml", headers={"X-Digital-Link": uri})


@router.get("/.well-known/jwks.json")
def jwks(db: DB) -> Response:
    """Every organisation's public signing key as a JWK Set (RFC 7517); ``kid`` is the key's
    RFC 7638 thumbprint, named in the JWS header of each signed passport."""
    return JSONResponse(platform.jwks(db), media_type="application/jwk-set+json")


def _resolve(request: Request, db: DB, link_type: str | None) -> Response:
    answer = platform.resolve_path(
        db,
        request.url.path,
        base=_base(request),
        link_type=link_type,
        accept=request.headers.get("accept"),
        accept_language=request.headers.get("accept-language"),
    )
    if answer.status == 404:
        raise NotFound(what="product", id=request.url.path)
    linkset = f'<{request.url.path}?linkType=all>; rel="linkset"; type="{LINKSET}"'
    if answer.linkset is not None and _wants_html(request.headers.get("accept")):
        page = render(
            request,
            "passport_links.html",
            _choice_lang(request),
            status_code=300,
            choices=_choices(answer.linkset),
            linkset_href=f"{request.url.path}?linkType=all",
        )
        page.headers["Link"] = linkset
        page.headers["Vary"] = "Accept, Accept-Language"
        return page
    if answer.linkset is not None:
        return JSONResponse(
            answer.linkset,
            media_type=LINKSET,
            headers={"Link": linkset, "Vary": "Accept, Accept-Language"},
        )
    assert answer.location is not None
    return RedirectResponse(
        answer.location,
        status_code=307,
        headers={"Link": linkset, "Vary": "Accept, Accept-Language"},
    )


def _wants_html(accept: str | None) -> bool:
    """Whether a ``linkType=all`` request comes from a browser: ``text/html`` accepted and
    neither the linkset nor JSON asked for (GS1-Conformant Resolver 1.1, 6.7: 300 with
    the choices; the linkset for machines)."""
    wanted = (accept or "").lower()
    return "text/html" in wanted and LINKSET not in wanted and "application/json" not in wanted


def _choice_lang(request: Request) -> Lang:
    """The choice page's language: ``?lang=`` or the cookie, else the best of
    ``Accept-Language`` (as the resolver picks a 307 target)."""
    for value in (request.query_params.get("lang"), request.cookies.get("lang")):
        if is_lang(value):
            return value
    return preferred_languages(request.headers.get("accept-language"))[0]


def _choices(linkset: dict[str, Any]) -> list[dict[str, str]]:
    """The links of a linkset as rows of the choice page (link type, language, title)."""
    rows = []
    for relation, targets in linkset["linkset"][0].items():
        if relation == "anchor":
            continue
        link_type = "gs1:" + relation.removeprefix(GS1_VOC)
        for target in targets:
            rows.append(
                {
                    "link_type": link_type,
                    "lang": ",".join(target.get("hreflang") or []),
                    "href": target["href"],
                    "title": target["title"],
                    "type": target.get("type", ""),
                }
            )
    return rows


LinkType = Annotated[str | None, Query(alias="linkType", max_length=100)]


@router.get("/01/{gtin}")
def resolve_product(
    request: Request, gtin: GtinPath, db: DB, link_type: LinkType = None
) -> Response:
    """GS1 Digital Link resolver for a product model: 307 to the link of ``linkType``
    (default ``gs1:pip``) in the best language, the linkset for ``linkType=all``, 404."""
    return _resolve(request, db, link_type)


@router.get("/01/{gtin}/21/{serial}")
def resolve_item(
    request: Request, gtin: GtinPath, serial: KeyPath, db: DB, link_type: LinkType = None
) -> Response:
    """GS1 Digital Link resolver for a serialised item (AI 21); falls back to the model."""
    return _resolve(request, db, link_type)


@router.get("/01/{gtin}/10/{batch}")
def resolve_batch(
    request: Request, gtin: GtinPath, batch: KeyPath, db: DB, link_type: LinkType = None
) -> Response:
    """GS1 Digital Link resolver for a batch (AI 10); falls back to the model."""
    return _resolve(request, db, link_type)


# --- owner ---------------------------------------------------------------------------


def _list_page(
    request: Request, access: Viewer, db: DB, lang: LangDep, *, status: int = 200, **extra: object
) -> Response:
    context: dict[str, object] = {
        "access": access,
        "passports": platform.own_passports(db, organisation_id=access.organisation_id),
        "published": None,
        "error": None,
        "problems": [],
    }
    return render(request, "passports.html", lang, status_code=status, **(context | extra))


@router.get("/orgs/{org}/passports")
def passports_page(request: Request, access: Viewer, db: DB, lang: LangDep) -> Response:
    """The organisation's passports with their public links; the publish form."""
    return _list_page(request, access, db, lang)


@router.post("/orgs/{org}/passports")
def passports_publish(
    request: Request,
    access: Editor,
    db: DB,
    lang: LangDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Publish a passport file as the next version; located errors, nothing stored."""
    try:
        passport = platform.read_upload(request, file)
        published = platform.publish(db, organisation_id=access.organisation_id, passport=passport)
    except KreislaufError as error:
        db.rollback()
        return _list_page(
            request,
            access,
            db,
            lang,
            status=error.http_status,
            error=error.message(lang).splitlines()[0],
            problems=error_entries(error, lang),
        )
    return _list_page(request, access, db, lang, published=published)


@router.get("/orgs/{org}/passports/access")
def access_page(request: Request, access: Viewer, db: DB, lang: LangDep) -> Response:
    """Who accessed the organisation's passports: time, passport, channel, tier, format."""
    rows = platform.access_log(db, organisation_id=access.organisation_id)
    return render(request, "passport_access.html", lang, access=access, rows=rows)


def _pact_page(
    request: Request, access: Owner, db: DB, lang: LangDep, *, status: int = 200, **extra: object
) -> Response:
    context: dict[str, object] = {
        "access": access,
        "clients": pact_inbox.clients(db, access),
        "peers": pact_inbox.peers(db, access),
        "inbox": pact_inbox.inbox(db, access),
        "credentials": None,
        "queued": None,
        "error": None,
        "problems": [],
    }
    return render(request, "passport_pact.html", lang, status_code=status, **(context | extra))


def _pact_failed(
    request: Request, access: Owner, db: DB, lang: LangDep, error: KreislaufError
) -> Response:
    db.rollback()
    return _pact_page(
        request,
        access,
        db,
        lang,
        status=error.http_status,
        error=error.message(lang).splitlines()[0],
    )


@router.get("/orgs/{org}/passports/pact")
def pact_page(request: Request, access: Owner, db: DB, lang: LangDep) -> Response:
    """PACT client credentials, credentials at requesters, the request inbox."""
    return _pact_page(request, access, db, lang)


@router.post("/orgs/{org}/passports/pact/clients")
def pact_client_create(
    request: Request,
    access: Owner,
    db: DB,
    lang: LangDep,
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """New client credentials; the secret is shown once."""
    try:
        credentials = pact_inbox.create_client(db, access, name)
    except KreislaufError as error:
        return _pact_failed(request, access, db, lang, error)
    return _pact_page(request, access, db, lang, credentials=credentials)


def _back(access: Owner) -> Response:
    return RedirectResponse(f"/orgs/{access.organisation.slug}/passports/pact", status_code=303)


@router.post("/orgs/{org}/passports/pact/clients/{client_ref}/revoke")
def pact_client_revoke(client_ref: RecordId, access: Owner, db: DB) -> Response:
    """Revoke a client's credentials."""
    pact_inbox.revoke_client(db, access, client_ref)
    return _back(access)


@router.post("/orgs/{org}/passports/pact/peers")
def pact_peer_add(
    request: Request,
    access: Owner,
    db: DB,
    lang: LangDep,
    base_url: Annotated[str, Form(max_length=2000)] = "",
    client_id: Annotated[str, Form(max_length=200)] = "",
    client_secret: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    """Keep credentials for a requester's PACT host."""
    try:
        pact_inbox.add_peer(
            db, access, base_url=base_url, client_id=client_id, client_secret=client_secret
        )
    except KreislaufError as error:
        return _pact_failed(request, access, db, lang, error)
    return _back(access)


@router.post("/orgs/{org}/passports/pact/peers/{peer_ref}/remove")
def pact_peer_remove(peer_ref: RecordId, access: Owner, db: DB) -> Response:
    """Forget credentials for a requester's host."""
    pact_inbox.remove_peer(db, access, peer_ref)
    return _back(access)


@router.post("/orgs/{org}/passports/pact/inbox/{inbox_ref}/{answer}")
def pact_answer(
    request: Request,
    inbox_ref: RecordId,
    answer: str,
    access: Owner,
    db: DB,
    lang: LangDep,
    message: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Fulfil or reject a request (``answer`` fulfil|reject), or send a failed reply again
    (``retry``); the reply is delivered by a background job."""
    try:
        if answer == "retry":
            job = pact_inbox.retry(request, db, access, inbox_ref)
        else:
            job = pact_inbox.answer(
                request, db, access, inbox_ref, decision=answer, message=message
            )
    except KreislaufError as error:
        if isinstance(error, NotFound):
            raise
        return _pact_failed(request, access, db, lang, error)
    return _pact_page(request, access, db, lang, queued=job.id)
