"""Background jobs as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from kreislauf.web.schemas.common import Public


class JobPublic(Public):
    id: int
    kind: str
    status: str = Field(description="queued, running, done, failed or cancelled")
    progress: float = Field(description="Share of the work done [0-1]")
    error: str | None
    result_name: str | None = Field(description="The result file; for an import the file read")
    stage: str | None = Field(None, description="Current step: reading, validating, storing")
    heartbeat_at: datetime | None = Field(None, description="Last sign of life of its worker")
    attempts: int = Field(0, description="Runs started so far (retries and lost workers count)")
    errors: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Row-level problems of a failed import (file, row, column, value, "
        "expected, detail, type), as in an upload's problem details",
    )
    created_at: datetime
    finished_at: datetime | None
