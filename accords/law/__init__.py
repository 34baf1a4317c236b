"""The safeguards engine: legal regimes as dated data, and a pure evaluator over case columns.

No Django here: the cases app builds the columns (`columns.py`) and stores the decisions.
"""
