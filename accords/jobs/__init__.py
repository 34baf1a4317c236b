"""Background jobs: long work (screening the caseload, imports, plans, exports, statistics) run
outside the web request, with a record of who asked, its progress, retries and its result."""
