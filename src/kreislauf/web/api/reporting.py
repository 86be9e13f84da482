"""The VSME report and the LkSG follow-up of an organisation as JSON and files."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from kreislauf.web.deps import DB, LangDep, Viewer
from kreislauf.web.schemas.reporting import LksgOut, VsmeOut
from kreislauf.web.services.reporting import (
    VSME_MEDIA,
    lksg_documentation,
    lksg_view,
    lksg_year,
    vsme_download,
    vsme_view,
)

router = APIRouter(tags=["reporting"])


@router.get("/orgs/{org}/reporting/vsme")
def vsme(
    access: Viewer,
    db: DB,
    lang: LangDep,
    year: Annotated[str | None, Query(pattern=r"^\d{4}$", description="reporting year")] = None,
) -> VsmeOut:
    """VSME data points of a year by module: value, unit, source; open ones with help."""
    return vsme_view(db, access, year=year, lang=lang)


@router.get(
    "/orgs/{org}/reporting/vsme/{kind}",
    response_class=Response,
    responses={
        200: {
            "description": "The file (`Content-Disposition: attachment`)",
            "content": {media.split(";")[0]: {} for media in VSME_MEDIA.values()},
        }
    },
)
def vsme_file(
    kind: Literal["pdf", "html", "xhtml", "xlsx", "json"],
    access: Viewer,
    db: DB,
    lang: LangDep,
    year: Annotated[str | None, Query(pattern=r"^\d{4}$", description="reporting year")] = None,
) -> Response:
    """The report as PDF or HTML (with the earlier years side by side), Inline XBRL, EFRAG
    Digital Template or JSON (data points with sources)."""
    content, media, name = vsme_download(db, access, year=year, kind=kind, lang=lang)
    return Response(
        content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


LksgYear = Annotated[int | None, Query(ge=1990, le=2100, description="follow-up year")]


@router.get("/orgs/{org}/reporting/lksg")
def lksg(access: Viewer, db: DB, lang: LangDep, year: LksgYear = None) -> LksgOut:
    """LkSG: suppliers ranked, high risks with their follow-up state, measures of a year."""
    return lksg_view(db, access, year=year, lang=lang)


@router.get(
    "/orgs/{org}/reporting/lksg/documentation",
    response_class=Response,
    responses={
        200: {
            "description": "The file (`Content-Disposition: attachment`)",
            "content": {"text/html": {}, "application/pdf": {}},
        }
    },
)
def lksg_file(
    access: Viewer,
    db: DB,
    lang: LangDep,
    year: LksgYear = None,
    kind: Annotated[Literal["html", "pdf"], Query(alias="format")] = "pdf",
) -> Response:
    """The yearly internal documentation of the due-diligence obligations (§ 10 Abs. 1)."""
    content, media, name = lksg_documentation(
        db, access, year=lksg_year(year), kind=kind, lang=lang
    )
    return Response(
        content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
