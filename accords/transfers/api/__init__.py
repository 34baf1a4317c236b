"""The transfer workflow's JSON API, one router per part of the workflow."""

from ninja import Router

from accords.transfers.api import diplomatic_notes, manifests, referrals

router = Router()
router.add_router("/", referrals.router)
router.add_router("/", manifests.router)
router.add_router("/", diplomatic_notes.router)
