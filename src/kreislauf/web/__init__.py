"""The web platform: JSON API under ``/api/v1`` and server-rendered pages (German, English).

Routes are thin: they validate, call a service (:mod:`kreislauf.web.services`, one module
per domain) or a store repository, and return a schema (:mod:`kreislauf.web.schemas`) or a
page; API routes and pages never import each other. Organisation, user and session arrive
through dependencies (:mod:`kreislauf.web.deps`); tenant isolation is enforced there and
in :mod:`kreislauf.store.tenancy`, nowhere else.
"""

from kreislauf.web.app import create_app

__all__ = ["create_app"]
