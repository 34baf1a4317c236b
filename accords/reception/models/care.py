"""Reception: the care part (see the package doc)."""

__all__: list[str] = []
