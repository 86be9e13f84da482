"""kreislauf: resource-efficient, circular production for small and mid-sized manufacturers."""

__version__ = "0.1.0"
