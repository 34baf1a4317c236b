"""Reception's writes, one module per part (arrivals, care, oversight). Each public function
is an `@action`; import them from their module."""
