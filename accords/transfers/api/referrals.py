from ninja import Router
from ninja.security import django_auth

router = Router(tags=["transfers"], auth=django_auth)
