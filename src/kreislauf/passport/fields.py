"""The constrained value types and the frozen base model that every passport part uses.

Kept apart from :mod:`.models` so that the battery section (:mod:`.battery`) and the
passport model share them without importing each other.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Percent = Annotated[float, Field(ge=0, le=100)]
NonNegative = Annotated[float, Field(ge=0)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
#: A URN (RFC 8141) loosely: Catena-X payloads use ``urn:BPNL…`` and ``urn:company.com:…``.
Urn = Annotated[str, Field(pattern=r"^[uU][rR][nN]:\S+$", max_length=500)]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
#: An absolute URI (RFC 3986: a scheme, a colon, no white space).
Uri = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$", max_length=2000)]


class Model(BaseModel):
    """Base of the passport's parts: unknown keys are errors, instances are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)
