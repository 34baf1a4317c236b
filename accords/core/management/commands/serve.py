"""`accords serve`: the web app under gunicorn, static files served by the app itself; the access
log withholds counsel's calendar tokens (accords/core/access_log.py)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from accords.wsgi import application

        return application


class Command(BaseCommand):
    help = "Serve Accords with gunicorn (a production WSGI server)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, bind, workers, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Accords is serving on http://{bind}/ (Ctrl-C stops it)")
        _Gunicorn(
            {
                "bind": bind,
                "workers": workers,
                "accesslog": "-",
                "logger_class": "accords.core.access_log.AccessLog",
            }
        ).run()
