"""What every browser test does first: sign in as one of the demo's accounts."""

from accords.demo.accounts import DEMO_PASSWORD


def sign_in(page, site: str, username: str) -> None:
    """Signs in through the login form and waits for the home page it leads to: a `goto` sent
    while the form's request is still in flight would cancel the sign-in."""
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{site}/")
