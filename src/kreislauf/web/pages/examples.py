"""Pages: the bundled example files a form asks for, as downloads (no login needed).

A web user cannot open ``docs/…`` or the repository's ``examples/`` folder, so the upload
forms link to the same files the CLI's documentation uses
(:mod:`kreislauf.web.services.examples`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse

from kreislauf.web.services.examples import example_file

router = APIRouter()

ExampleName = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[a-z-]+\.(csv|yaml)$")]


@router.get("/examples/{name}")
def example_download(name: ExampleName) -> FileResponse:
    """One example file as an attachment; any other name is 404."""
    path, media_type = example_file(name)
    return FileResponse(
        path, media_type=f"{media_type}; charset=utf-8", filename=f"kreislauf-example-{name}"
    )
