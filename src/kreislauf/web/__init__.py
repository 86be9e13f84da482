"""The web platform: JSON API under ``/api/v1`` and server-rendered pages (German, English).

Routes are thin: they validate, call a store repository or a domain function, and return
a schema or a page. Organisation, user and session arrive through dependencies
(:mod:`kreislauf.web.deps`); tenant isolation is enforced there and in
:mod:`kreislauf.store.tenancy`, nowhere else.
"""

from kreislauf.web.app import create_app

__all__ = ["create_app"]
