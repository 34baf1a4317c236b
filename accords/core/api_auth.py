"""Permission checks for API endpoints: signed in is not enough to write, the role must allow it."""

import functools

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
