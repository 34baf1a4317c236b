"""Reception's JSON API, one router per part."""

from ninja import Router

from accords.reception.api import care, oversight

router = Router()
router.add_router("/", care.router)
router.add_router("/", oversight.router)
