"""The WSGI application that `accords serve` (gunicorn) runs."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accords.settings")
application = get_wsgi_application()
