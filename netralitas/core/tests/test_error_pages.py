import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_shows_its_own_not_found_page(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Netralitas" in response.content.decode()


def test_it_explains_an_expired_form_instead_of_a_technical_error():
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    response = client.post("/lapor/", {"reported_name": "x"})
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()
    assert "CSRF" not in response.content.decode()


def test_it_renders_the_server_error_page_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Terjadi kesalahan" in html
