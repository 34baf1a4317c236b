"""Reception's models, one module per part: arrivals (the hand-over's record), care (intake,
services, stipends) and oversight (monitoring, grievances, follow-ups, outcomes)."""

from accords.reception.models.arrivals import *  # noqa: F403
from accords.reception.models.care import *  # noqa: F403
from accords.reception.models.oversight import *  # noqa: F403
