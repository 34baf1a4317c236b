"""Reception's reads, one module per part (arrivals, care, oversight), each returning only
what the asking user may see; import them from their module."""
