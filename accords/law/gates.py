"""Which code computes each gate: its rule function (`rules.py`, `us.py`, `uk.py`) and the
columns derived for it first (`lists.py`). The evaluator runs them; `rule_code.py` hashes them."""

from accords.law.policy import POLICY_RULES
from accords.law.rules import SHARED_RULES
from accords.law.uk import UK_DERIVED, UK_RULES
from accords.law.us import US_DERIVED, US_RULES

RULES = {**SHARED_RULES, **US_RULES, **UK_RULES}
DERIVED = {**US_DERIVED, **UK_DERIVED}
# The programme's own policy gates (`policy.py`): not law, hashed like the law's rules.
__all__ = ["DERIVED", "POLICY_RULES", "RULES"]
