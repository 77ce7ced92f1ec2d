import pytest
from django.contrib import admin
from django.urls import reverse

from netralitas.reports.models import Report, ReporterIdentity

pytestmark = pytest.mark.django_db


def test_it_serves_every_admin_list_to_the_administrator(client, admin_user):
    client.force_login(admin_user)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_it_keeps_identity_and_case_records_out_of_the_admin():
    from netralitas.cases.models import Case, CaseEvent

    for model in (ReporterIdentity, Report, Case, CaseEvent):
        assert model not in admin.site._registry


def test_it_lets_an_administrator_edit_the_rule_table(client, admin_user):
    from netralitas.elections.models import ViolationType

    client.force_login(admin_user)
    vt = ViolationType.objects.get(code="DS-13")
    url = reverse("admin:elections_violationtype_change", args=[vt.pk])
    page = client.get(url)
    assert page.status_code == 200 and "DS-13" in page.content.decode()


def test_it_refuses_the_admin_to_other_roles(client, verifier):
    client.force_login(verifier)
    response = client.get(reverse("admin:elections_violationtype_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
