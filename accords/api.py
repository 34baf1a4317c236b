"""The JSON API under /api/, with its OpenAPI document at /api/openapi.json."""

from django.core.exceptions import ValidationError
from ninja import NinjaAPI

from accords.cases.api import router as cases_router
from accords.jobs.api import router as jobs_router
from accords.ledger.api import router as ledger_router
from accords.programme.api import router as programme_router
from accords.reception.api import router as reception_router
from accords.registry.api import router as registry_router
from accords.transfers.api import router as transfers_router
from accords.transparency.api import router as transparency_router

api = NinjaAPI(title="Accords API", version="1", urls_namespace="api")
api.add_router("/", registry_router)
api.add_router("/", cases_router)
api.add_router("/", transfers_router)
api.add_router("/", reception_router)
api.add_router("/", ledger_router)
api.add_router("/", transparency_router)
api.add_router("/", programme_router)
api.add_router("/", jobs_router)


@api.exception_handler(ValidationError)
def validation_error(request, error: ValidationError):
    """A domain rule refused the input: name each field, as schema errors do."""
    if hasattr(error, "error_dict"):
        detail = [
            {"loc": ["body", field], "msg": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        detail = [{"loc": ["body"], "msg": message} for message in error.messages]
    return api.create_response(request, {"detail": detail}, status=422)
