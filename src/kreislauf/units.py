"""The one pint unit registry for every quantity in kreislauf.

Domains import ``ureg`` and ``Quantity`` from here; no other module creates a registry, so
quantities from different domains can be added and compared. Unit spellings that German
exports use and pint does not know are defined here once (:data:`EXTRA_DEFINITIONS`), so
every domain reads them alike.
"""

from __future__ import annotations

import pint

#: Definitions added to pint's defaults, in pint's definition syntax:
#: ``m3`` and ``cbm`` (Kubikmeter) for m³, ``Liter`` for l, ``to`` (Tonne) for t.
EXTRA_DEFINITIONS = (
    "cubic_metre = meter ** 3 = m3 = cbm",
    "@alias liter = Liter",
    "@alias metric_ton = to",
)

#: Magnitudes are Python or numpy floats (pint's registry is generic in the magnitude type).
ureg: pint.UnitRegistry[float] = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
for _definition in EXTRA_DEFINITIONS:
    ureg.define(_definition)
Quantity = ureg.Quantity
