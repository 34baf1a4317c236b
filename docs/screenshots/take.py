"""The README's pictures of the transfer journey, taken in a real browser from a fresh demo.

    make demo                                   # in one shell: the demo, served on :8000
    .venv/bin/python docs/screenshots/take.py   # in another: writes docs/screenshots/*.png

It signs in as each role in turn and walks the staged demo referrals (their case numbers
begin DEMO-T-), ending by departing the locked manifest, so run it on a demo database that
can be thrown away. Debian's chromium, driven by Playwright, as in the browser tests.
"""

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
HERE = Path(__file__).resolve().parent
PASSWORD = "accords-demo"


def sign_in(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{BASE}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")


def shot(page: Page, name: str) -> None:
    # The whole page, cut at a height that keeps a long list readable in the README.
    height = min(page.evaluate("document.documentElement.scrollHeight"), 1600)
    clip = {"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height}
    page.screenshot(path=HERE / f"{name}.png", full_page=True, clip=clip)
    print(f"{name}.png  {page.url}")


def open_row(page: Page, listing: str, case_number: str, link: str) -> None:
    page.goto(f"{BASE}{listing}")
    page.locator("tr", has_text=case_number).locator(f"a[href^='{link}']").first.click()


def journey(page: Page) -> None:
    sign_in(page, "sending.officer")
    page.goto(f"{BASE}/referrals/")
    shot(page, "1-referrals")
    open_row(page, "/referrals/", "DEMO-T-02", "/referrals/")
    shot(page, "2-referral-window-running")
    page.locator("a[href^='/notices/']").first.click()
    shot(page, "3-notice")

    sign_in(page, "counsel")
    page.goto(f"{BASE}/counsel/")
    shot(page, "4-counsel-portal")

    sign_in(page, "receiving.officer")
    page.goto(f"{BASE}/receiving/")
    shot(page, "5-receiving-state")

    sign_in(page, "sending.supervisor")
    page.goto(f"{BASE}/flights/")
    page.locator("a[href^='/manifests/']").first.click()
    shot(page, "6-manifest-locked")
    page.locator("a[href^='/plans/']").first.click()
    shot(page, "7-plan")
    page.go_back()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form[action$='/depart'] button")
    shot(page, "8-manifest-departed")


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        journey(page)
        browser.close()


if __name__ == "__main__":
    main()
