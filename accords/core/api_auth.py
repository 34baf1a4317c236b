"""Permission checks for API endpoints: signed in is not enough to write, the role must allow it."""

import functools

from ninja import Schema
from ninja.errors import HttpError


def require_permission(permission: str):
    def decorate(view):
        @functools.wraps(view)
        def checked(request, *args, **kwargs):
            if not (request.user.is_staff and request.user.has_perm(permission)):
                raise HttpError(403, f"Your role may not do this (needs {permission}, staff only).")
            return view(request, *args, **kwargs)

        return checked

    return decorate


class ErrorOut(Schema):
    """What every refusal carries: a sentence, or (422) one entry per field at fault."""

    detail: str | list[dict]


def documented(ok: dict) -> dict:
    """The responses an endpoint documents: its own, and the refusals any endpoint may give."""
    return {**ok, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
