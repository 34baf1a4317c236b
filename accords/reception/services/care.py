"""Reception: the care part."""
