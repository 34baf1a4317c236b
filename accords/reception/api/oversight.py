"""Reception's API: the oversight part."""

from ninja import Router
from ninja.security import django_auth

router = Router(tags=["reception"], auth=django_auth)
