"""The measure taxonomy: about twenty codes, each mapped to EEW modules, AGVO articles and
VDI 4800 strategies (``data/taxonomy.yaml``, versioned).

A measure of the carbon module carries one code (``code:`` in the measures file); the
funding finder matches programmes by code and the self-check suggests measures by code.

References
----------
Richtlinie Bundesförderung für Energie- und Ressourceneffizienz in der Wirtschaft –
Zuschuss und Kredit (EEW) vom 25. Januar 2024, BAnz AT 14.02.2024 B2 (module titles).
Verordnung (EU) Nr. 651/2014 (AGVO/GBER), articles 28, 36, 38, 41, 47, 49.
VDI 4800 Blatt 1:2016 Ressourceneffizienz – Methodische Grundlagen, Prinzipien und
Strategien, section 6 (strategies). The standard's text was not available; each strategy
says whether the VDI ZRE catalogue (ressource-deutschland.de) has it (``strategies``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from kreislauf.bounded import load_yaml

__all__ = ["MeasureCode", "Strategy", "Taxonomy", "taxonomy", "taxonomy_codes"]


class MeasureCode(BaseModel):
    """One code: its name (de/en) and what it maps to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: dict[str, str]
    eew: list[str]
    agvo: list[int]
    vdi4800: list[str]


class Strategy(BaseModel):
    """A VDI 4800 strategy a code maps to, and how far its name is checked.

    checked : ``found`` (a page of the VDI ZRE strategy catalogue for it), ``mentioned``
        (named on a catalogue page, not an entry of its own), ``not_found``
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: dict[str, str]
    checked: Literal["found", "mentioned", "not_found"]
    url: str = ""
    note: str = ""


class Taxonomy(BaseModel):
    """The versioned taxonomy; every strategy a code names is in ``strategies``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    codes: dict[str, MeasureCode]
    strategies: dict[str, Strategy] = {}

    @model_validator(mode="after")
    def _strategies_known(self) -> Taxonomy:
        for code, entry in self.codes.items():
            for name in entry.vdi4800:
                if name not in self.strategies:
                    raise ValueError(f"codes.{code}.vdi4800: unknown strategy {name!r}")
        return self

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
