"""Tests of the safeguards engine; pure Python, no database."""
