"""The agreement pages as a reader sees them: list, filters, timeline, terms and sources."""

import pytest


@pytest.mark.django_db
def test_the_list_shows_every_agreement_with_its_status(client, reference_data):
    page = client.get("/agreements/").content.decode()
    assert "United Kingdom" in page and "Eswatini" in page
    assert "20 agreements" in page
    assert 'class="status status-ended"' in page


@pytest.mark.django_db
def test_the_list_filters_by_receiving_state_and_status(client, reference_data):
    page = client.get("/agreements/", {"receiving": "RW"}).content.decode()
    assert "2 agreements" in page and 'href="/agreements/us-eswatini/"' not in page
    assert 'href="/agreements/us-rwanda/"' in page
    ended = client.get("/agreements/", {"status": "ended"}).content.decode()
    assert 'href="/agreements/uk-rwanda/"' in ended
    assert 'href="/agreements/us-el-salvador/"' not in ended


@pytest.mark.django_db
def test_an_unknown_filter_value_is_said_and_ignored(client, reference_data):
    page = client.get("/agreements/", {"status": "imaginary"}).content.decode()
    assert "were not understood" in page
    assert "20 agreements" in page


@pytest.mark.django_db
def test_the_agreement_page_shows_timeline_terms_and_their_sources(client, reference_data):
    page = client.get("/agreements/uk-rwanda/").content.decode()
    assert '<svg class="timeline"' in page
    timeline = page[page.index('<svg class="timeline"') :]
    assert timeline.index("ruled unlawful") < timeline.index("Ended")
    assert "£370,000,000.00" in page
    assert 'href="#source-uksc-aaa-2023"' in page and 'id="source-uksc-aaa-2023"' in page


@pytest.mark.django_db
def test_an_unknown_agreement_is_not_found(client, db):
    assert client.get("/agreements/nowhere/").status_code == 404


@pytest.mark.django_db
def test_static_files_are_served_by_the_app(client, db):
    assert client.get("/static/accords/accords.css").status_code == 200
