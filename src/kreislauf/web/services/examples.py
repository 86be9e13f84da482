"""The bundled example files the upload forms offer (Leipzig questionnaire, demo BOM,
product factors, measures): only the files named in :data:`EXAMPLES` are served; the data
are the examples' own (their READMEs say where they come from)."""

from __future__ import annotations

from pathlib import Path

from kreislauf.errors import NotFound
from kreislauf.web.demo import examples_dir

#: Download name → (file below the examples folder, media type).
EXAMPLES: dict[str, tuple[str, str]] = {
    "questionnaire.yaml": ("leipzig-survey/questionnaire.yaml", "application/yaml"),
    "bom.csv": ("demo-company/carbon/bom.csv", "text/csv"),
    "product-factors.csv": ("demo-company/carbon/product-factors.csv", "text/csv"),
    "measures.yaml": ("demo-company/carbon/measures.yaml", "application/yaml"),
    "listings.csv": ("exchange-network/listings.csv", "text/csv"),
}


def example_file(name: str) -> tuple[Path, str]:
    """The path and media type of the example ``name``; :class:`NotFound` for any other."""
    if name not in EXAMPLES:
        raise NotFound(what="example", id=name)
    relative, media_type = EXAMPLES[name]
    return examples_dir() / relative, media_type
