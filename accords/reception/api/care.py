"""Reception's API: the care part."""

from ninja import Router
from ninja.security import django_auth

router = Router(tags=["reception"], auth=django_auth)
