"""Carbon: GHG balance Scope 1-3, product carbon footprints and efficiency measures.

Pure Python on top of :mod:`kreislauf.ledger`: no web, no database.
"""
