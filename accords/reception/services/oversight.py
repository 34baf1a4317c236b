"""Reception: the oversight part."""
