"""What every benchmark shares: the machine it ran on, and a migrated database to run on."""

import os
from pathlib import Path

import dj_database_url
import django


def machine() -> str:
    meminfo = Path("/proc/meminfo")
    memory = "unknown memory"
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kib / 1024**2:.1f} GiB memory"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, {memory}; load average {load} (other work slows every figure)"


def database_migrated() -> None:
    """Create the PostgreSQL database named by ACCORDS_DATABASE_URL if it is missing, set Django
    up on it and migrate it."""
    config = dj_database_url.parse(os.environ["ACCORDS_DATABASE_URL"])
    if "postgresql" in config["ENGINE"]:
        import psycopg
        from psycopg import sql

        with psycopg.connect(
            host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432, user=config["USER"],
            password=config["PASSWORD"] or None, dbname="postgres", autocommit=True,
        ) as server:  # fmt: skip
            exists = server.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
            ).fetchone()
            if not exists:
                server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
