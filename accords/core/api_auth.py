"""Permission checks for API endpoints: signed in is not enough to write, the role must allow it.
And what every endpoint shares: its documented refusals and the bounds of a page."""

import functools

from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination


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


class BoundedPages(LimitOffsetPagination):
    """Ninja's limit and offset, bounded as the flight and receiving lists bound theirs: an
    unbounded offset or limit reached the database as a number it cannot hold (a 500)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=10**9)
