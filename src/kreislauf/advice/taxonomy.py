"""The measure taxonomy: about twenty codes, each mapped to EEW modules, AGVO articles and
VDI 4800 strategies (``data/taxonomy.yaml``, versioned).

A measure of the carbon module carries one code (``code:`` in the measures file); the
funding finder matches programmes by code and the self-check suggests measures by code.

References
----------
Richtlinie Bundesförderung für Energie- und Ressourceneffizienz in der Wirtschaft –
Zuschuss und Kredit (EEW) vom 25. Januar 2024, BAnz AT 14.02.2024 B1 (module titles).
Verordnung (EU) Nr. 651/2014 (AGVO/GBER), articles 28, 36, 38, 41, 47, 49.
VDI 4800 Blatt 1:2016 Ressourceneffizienz – Methodische Grundlagen, Prinzipien und
Strategien, section 6 (strategies; names after the VDI ZRE catalogue, not checked against
the standard's text).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from kreislauf.bounded import load_yaml

__all__ = ["MeasureCode", "Taxonomy", "taxonomy", "taxonomy_codes"]


class MeasureCode(BaseModel):
    """One code: its name (de/en) and what it maps to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: dict[str, str]
    eew: list[str]
    agvo: list[int]
    vdi4800: list[str]


class Taxonomy(BaseModel):
    """The versioned taxonomy."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    codes: dict[str, MeasureCode]

    def name(self, code: str, lang: str) -> str:
        """The code's name in ``lang`` (the code itself if unknown)."""
        entry = self.codes.get(code)
        return entry.name.get(lang, code) if entry else code


@cache
def taxonomy() -> Taxonomy:
    """The shipped taxonomy (read once)."""
    text = resources.files("kreislauf.advice").joinpath("data", "taxonomy.yaml").read_text("utf-8")
    return Taxonomy.model_validate(load_yaml(text, name="taxonomy.yaml"))


def taxonomy_codes() -> tuple[str, ...]:
    """Every code of the shipped taxonomy, sorted."""
    return tuple(sorted(taxonomy().codes))
