"""The race harness of the PostgreSQL concurrency tests: service calls started at the same moment.

Each call runs in its own thread, so Django gives it its own database connection, and waits at a
barrier until every racer is ready; the connection is closed when the call ends. A racer may be
refused (a ValidationError, the user's answer); any other error fails the race, since a database
error or a crash is never a proper way to lose. The caller asserts what each outcome must be.
"""

import threading
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection


def race(*calls: Callable) -> list:
    """Run the calls at once; return what each one returned or raised, in the order given."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(i: int, call: Callable) -> None:
        try:
            barrier.wait()
            outcomes[i] = call()
        except Exception as error:  # noqa: BLE001 - every outcome is asserted by the caller
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    unexpected = [o for o in outcomes if isinstance(o, Exception)
                  and not isinstance(o, ValidationError)]  # fmt: skip
    assert not unexpected, f"a racer failed for another reason than a refusal: {unexpected!r}"
    return outcomes
