"""The one pint unit registry for every quantity in kreislauf.

Domains import ``ureg`` and ``Quantity`` from here; no other module creates a registry, so
quantities from different domains can be added and compared.
"""

from __future__ import annotations

import pint

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
Quantity = ureg.Quantity
