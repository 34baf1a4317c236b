"""Reception: the oversight part (see the package doc)."""

__all__: list[str] = []
