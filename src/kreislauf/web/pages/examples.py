"""Pages: the bundled example files a form asks for, as downloads (no login needed).

A web user cannot open ``docs/…`` or the repository's ``examples/`` folder, so the upload
forms link to the same files the CLI's documentation uses: the Leipzig questionnaire, the
demo company's bill of materials, product factors and measures. Only the files named in
:data:`EXAMPLES` are served; the data are the examples' own (see their READMEs for where
they come from).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse

from kreislauf.errors import NotFound
from kreislauf.web.demo import examples_dir

router = APIRouter()

#: Download name → (file below the examples folder, media type).
EXAMPLES: dict[str, tuple[str, str]] = {
    "questionnaire.yaml": ("leipzig-survey/questionnaire.yaml", "application/yaml"),
    "bom.csv": ("demo-company/carbon/bom.csv", "text/csv"),
    "product-factors.csv": ("demo-company/carbon/product-factors.csv", "text/csv"),
    "measures.yaml": ("demo-company/carbon/measures.yaml", "application/yaml"),
}

ExampleName = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[a-z-]+\.(csv|yaml)$")]


@router.get("/examples/{name}")
def example_file(name: ExampleName) -> FileResponse:
    """One example file as an attachment; any other name is 404."""
    if name not in EXAMPLES:
        raise NotFound(what="example", id=name)
    relative, media_type = EXAMPLES[name]
    return FileResponse(
        examples_dir() / relative,
        media_type=f"{media_type}; charset=utf-8",
        filename=f"kreislauf-example-{name}",
    )
