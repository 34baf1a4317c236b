"""The Content-Security-Policy holds on every page: nothing inline, nothing from another host,
and the pages (the API's Swagger UI too) still work under it in a real browser."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

import accords
from accords.core.tests.browsing import sign_in
from accords.core.tests.world import world_ensure
from accords.demo.transfers import demo_transfers_ensure
from accords.transfers.models import Manifest, Referral

TEMPLATES = sorted(Path(accords.__file__).parent.rglob("templates/**/*.html"))
INLINE = {
    "an inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
    "a style element": re.compile(r"<style\b", re.I),
    "a style attribute": re.compile(r"\sstyle=", re.I),
    "an event handler attribute": re.compile(r"\son[a-z]+=", re.I),
    "a javascript: address": re.compile(r"javascript:", re.I),
    "a file from another host": re.compile(
        r"""(?:\ssrc=|<link\b[^>]*\shref=)["']?(?:https?:)?//""", re.I
    ),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p).split("accords/", 1)[1])
def test_no_template_has_what_the_policy_refuses(template):
    text = template.read_text()
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{template.name} has {', '.join(found)}"


@pytest.mark.django_db
def test_every_page_carries_the_policy(client):
    for address in ("/", "/agreements/", "/accounts/login/", "/api/docs"):
        policy = client.get(address)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", address
        assert directives["style-src"] == "'self'", address
        assert directives["frame-ancestors"] == "'none'", address
        assert "unsafe" not in policy


@pytest.mark.django_db
def test_the_api_docs_load_swagger_ui_from_the_app_itself(client):
    page = client.get("/api/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/static/ninja/swagger-ui-bundle.js" in assets
    assert "/static/ninja/swagger-ui.css" in assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset


@pytest.fixture
def site(transactional_db, live_server):
    world_ensure()
    demo_transfers_ensure()
    return live_server.url


def _pages() -> dict:
    """Who signs in (None: nobody), and the pages they open: one of each kind the demo stages."""
    referral = Referral.objects.filter(status="open", notices__isnull=False).first()
    case = referral.person.case_number
    manifest = Manifest.objects.exclude(locked_at=None).first()
    return {
        None: ["/", "/agreements/", "/agreements/uk-rwanda/", "/accounts/login/", "/api/docs"],
        "sending.officer": [
            "/cases/", f"/cases/{case}/", "/referrals/", f"/referrals/{referral.pk}/",
            f"/notices/{referral.notices.first().pk}/", f"/referrals/new/?case={case}",
            "/accounts/password/",
        ],
        "sending.supervisor": ["/flights/", f"/manifests/{manifest.pk}/"],
        "receiving.officer": ["/receiving/"],
        "counsel": ["/counsel/"],
        "monitor": ["/admin/", "/admin/audit/auditentry/"],
    }  # fmt: skip


# The policy is the response's header and the templates' markup, the same whichever database
# filled the pages: the browser's visit runs in the SQLite half only (conftest.py).
@pytest.mark.any_database
def test_no_page_breaks_the_policy_in_a_browser(site, page):
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    for username, addresses in _pages().items():
        if username:
            sign_in(page, site, username)
        for address in addresses:
            answer = page.goto(f"{site}{address}")
            assert answer.status == 200, address
            if address == "/api/docs":
                page.wait_for_selector(".swagger-ui .info .title")
                page.wait_for_selector(".opblock-tag")
            page.wait_for_load_state("networkidle")
        if username:
            page.goto(f"{site}/")
            page.click("button:has-text('Sign out')")
            expect(page.locator("button:has-text('Sign out')")).to_have_count(0)  # signed out
    assert refused == []
