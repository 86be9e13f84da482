"""Request and response bodies of the JSON API and the pages, one module per domain.

Kept apart from the tables (:mod:`kreislauf.store.models`): ``<Thing>In`` is a request body,
``<Thing>Public`` a stored record as the API shows it, ``<Thing>Out`` a computed result.
"""
