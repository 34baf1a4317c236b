"""A form page's one submission: bind the form, call the service, and put the service's refusal
on the form.

Every page that changes something does the same: a valid form is handed to one service (one
action, one transaction); what the service refuses comes back as a ValidationError naming the
field, which goes on that field (else above the form), and the page is shown again with the
form's messages and status 422, nothing written. On success a message and a redirect."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect


def errors_onto(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def form_submit(
    request,
    form: forms.Form,
    service: Callable[[dict], Any],
    *,
    done: str,
    back: str | Callable[[Any], Any],
    page: Callable[[int], HttpResponse],
) -> HttpResponse:
    """`service(form.cleaned_data)` when the form is valid; on success `done` as a message and
    a redirect to `back` (a URL, or a function of what the service returned); otherwise
    `page(status)`: the page again with the form's errors, 422 when the form was submitted,
    200 when it is only shown (a GET, an unbound form)."""
    if form.is_valid():
        try:
            result = service(form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, done)
            return redirect(back(result) if callable(back) else back)
    return page(422 if form.is_bound else 200)
