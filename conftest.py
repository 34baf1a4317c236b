"""Test-wide set-up: which database the run uses, and refusing to pretend when it is missing.

`make test` runs the suite twice, with ACCORDS_DATABASE_URL naming SQLite and then PostgreSQL.
An unreachable PostgreSQL fails the run, in CI and everywhere else, rather than reporting a pass
for tests that never ran; `make test-sqlite` runs the SQLite half alone.
"""

import os

import pytest
from django.conf import settings
from django.test.utils import override_settings
from django.utils import translation

# Real hashing is slow by design; tests sign in often and test nothing about the hash.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _postgresql_unreachable() -> str:
    import psycopg

    database = settings.DATABASES["default"]
    try:
        psycopg.connect(
            host=database["HOST"] or "127.0.0.1",
            port=database["PORT"] or 5432,
            user=database["USER"],
            password=database["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as error:
        return str(error).strip()
    return ""


def pytest_sessionstart(session):
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        return
    problem = _postgresql_unreachable()
    if not problem:
        return
    where = "CI requires it" if os.environ.get("CI") == "true" else "the PostgreSQL run failed"
    pytest.exit(f"PostgreSQL is unreachable ({problem}): {where}.", returncode=1)


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the database (the PostgreSQL half of `make test`: "
        "a test that touches no database proves the same on either, so the SQLite half runs it)",
    )
    parser.addoption(
        "--clock",
        metavar="HH:MM",
        help="run the session as if the clock had read this time (UTC) today when it began, "
        "moving on from there: at 02:30 the sending state's date is still yesterday while UTC's "
        "is today; at 22:30 Kigali's is already tomorrow",
    )


def _postgresql_without_jit():
    """The test database's rows come and go in transactions rolled back, so the planner's
    estimates drift from its tables (never analysed, swollen with dead rows) and PostgreSQL
    compiled queries over tables of forty rows (JIT, 10 to 50 ms each): with it on, the
    transfers' state machine took 242 s in a whole run of the PostgreSQL half, without it 71 s
    run alone on a quiet machine (two examples: 23.5 s in the database, without JIT 7.2 s). A
    production database is analysed by autovacuum and keeps the server's setting."""
    database = settings.DATABASES["default"]
    if "postgresql" in database["ENGINE"]:
        database.setdefault("OPTIONS", {})["options"] = "-c jit=off"


def pytest_configure(config):
    """`--clock`: the users' dates differ by zone only for some hours of each day, so a test that
    confuses one zone's date with another's fails only then. The option moves the whole process
    to such an hour (time-machine), so every run can exercise the hours that matter."""
    _postgresql_without_jit()
    _sending_states_calendar_activate()
    clock = config.getoption("--clock", default=None)
    if not clock:
        return
    import datetime as dt

    import time_machine

    try:
        hour, minute = (int(part) for part in clock.split(":"))
        at = dt.datetime.combine(dt.datetime.now(dt.UTC).date(), dt.time(hour, minute), dt.UTC)
    except ValueError:
        raise pytest.UsageError(f"--clock wants a time of day as HH:MM, not {clock!r}") from None
    config._accords_clock = time_machine.travel(at, tick=True)
    config._accords_clock.start()


def pytest_unconfigure(config):
    clock = getattr(config, "_accords_clock", None)
    if clock:
        clock.stop()


def _uses_database(item) -> bool:
    # The rule pytest-django orders tests by: a django_db mark, or a fixture that opens the test
    # database; any other test is refused the database, so its outcome cannot depend on which.
    fixtures = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or any(
        name in fixtures for name in ("db", "transactional_db", "live_server")
    )


def _proves_the_same_on_any_database(item) -> bool:
    # A test that uses the database only to have pages to look at, and asserts something no
    # database changes (the headers and markup a browser checks), is marked `any_database`.
    return not _uses_database(item) or item.get_closest_marker("any_database") is not None


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--database-tests-only"):
        return
    kept = [item for item in items if not _proves_the_same_on_any_database(item)]
    config.hook.pytest_deselected(
        items=[item for item in items if _proves_the_same_on_any_database(item)]
    )
    items[:] = kept


def pytest_report_header(config):
    import datetime as dt

    database = settings.DATABASES["default"]
    return [
        f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or ''}",
        f"clock: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
    ]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _jobs_run_inline(settings):
    # A background job runs at once in the test's own thread and transaction, as Celery's eager
    # mode would (accords/jobs/running.py); the thread and the broker have tests of their own.
    settings.JOB_RUNNER = "inline"
    settings.JOB_RETRY_SECONDS = 0


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data and the demo accounts, loaded once into the new test database rather
    than by every test that needs them (loading them through the services, with their audit
    entries, was most of the suite's time); each test's transaction rolls back to them."""
    from accords.core.tests.world import world_ensure, world_keep

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        world_ensure()
        world_keep()


@pytest.fixture(scope="module")
def built_once(django_db_setup, django_db_blocker):
    """For a module of many tests on one costly world (people referred, noticed, accepted and
    handed over; a reception record with its services), which the module would otherwise build
    again for every test: `built_once(make)` builds it once, inside a transaction held open for
    the whole module. Each test's own transaction (`db`) is then a savepoint inside it and
    rolls back to the world; at the module's end the world rolls back to the session's.

    Every test of the module that runs after the first to ask for the world runs inside its
    transaction, asking or not: give such a world a module of its own. Not for modules with
    transactional tests (their flush would empty the world), nor for model instances a test
    changes in memory."""
    from django.db import transaction

    def as_a_test():
        # What the function-scoped autouse fixtures set for a test, set for the build.
        _sending_states_calendar_activate()
        return override_settings(PASSWORD_HASHERS=FAST_HASHERS, JOB_RUNNER="inline",
                                 JOB_RETRY_SECONDS=0, AXES_ENABLED=False)  # fmt: skip

    module = transaction.atomic()
    with django_db_blocker.unblock():
        module.__enter__()

    def build(make):
        with django_db_blocker.unblock(), as_a_test():
            return make()

    try:
        yield build
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module.__exit__(None, None, None)
        _sending_states_calendar_activate()


@pytest.fixture
def reference_data(db):
    from accords.core.tests.world import reference_data_ensure

    reference_data_ensure()


@pytest.fixture
def accounts(db):
    """The demo accounts by username."""
    from django.contrib.auth.models import User

    from accords.demo.accounts import demo_accounts_ensure

    demo_accounts_ensure()
    return {user.username: user for user in User.objects.all()}


def _sending_states_calendar_activate():
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from accords.core.zones import state_zone

    timezone.activate(ZoneInfo(state_zone("US")))


@pytest.fixture(autouse=True)
def _sending_states_calendar():
    """A test acts as the sending state's officers do: its services and its `localdate()` read
    the day in their zone, as their requests do (the middleware activates the user's zone;
    `pytest_configure` activates it before the test modules are read, for their constants).
    Under UTC, a test posting "today" at 02:30 UTC posted tomorrow's date for Washington."""
    _sending_states_calendar_activate()
    yield
    _sending_states_calendar_activate()


@pytest.fixture(autouse=True)
def _language_of_each_test_its_own():
    """A request in French leaves French active in the thread (the locale middleware activates
    a request's language and never puts the old one back): each test starts in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_sign_in_throttling(settings):
    # The test client's `login` authenticates without a request, which django-axes refuses, as
    # its documentation says; the tests of throttling itself switch it back on
    # (accords/core/tests/test_accounts.py).
    settings.AXES_ENABLED = False


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (browsers cannot be downloaded here). Under
    CI=true a missing chromium fails the run; elsewhere the browser tests are skipped."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    # Every page is read through `expect`, which waits until what it asserts holds (a click's
    # page may still be loading when the next line runs); on a loaded machine a page can take
    # longer than the default five seconds.
    expect.set_options(timeout=20_000)

    # The live server runs in a thread of this process; Playwright's sync API runs an event
    # loop in the main thread, which Django's async-safety check would otherwise refuse.
    # Set for the browser's lifetime only; subprocesses the tests start must not inherit it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()
