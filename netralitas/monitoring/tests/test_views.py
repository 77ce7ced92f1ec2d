"""The review-queue pages: list, filters, clusters, the finding page and its actions, roles."""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from netralitas.cases.models import Case, CaseStatus
from netralitas.monitoring import views
from netralitas.monitoring.models import (
    Cluster,
    Finding,
    FindingStatus,
    ImportBatch,
    MatchMethod,
    Post,
)
from netralitas.monitoring.services import finding_confirm, posts_import, posts_scan
from netralitas.monitoring.views import highlighted_text
from netralitas.registry.models import ChatGroup, Employee, SocialAccount

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
WIB = ZoneInfo("Asia/Jakarta")
QUEUE = reverse("monitoring:queue")
_keys = itertools.count()


@pytest.fixture(autouse=True)
def _english(client):
    # Assert on the English msgids whatever the Indonesian catalogue says.
    client.cookies["django_language"] = "en"


@pytest.fixture
def staff(db, disdik):
    budi = Employee.objects.create(
        nip="198001012005011001", name="Drs. Budi Santoso", kind="PNS", agency=disdik
    )
    siti = Employee.objects.create(
        nip="198502022010012002", name="Siti Aminah", kind="PNS", agency=disdik
    )
    rudi = Employee.objects.create(name="Rudi Hartono", kind="NON_ASN", agency=disdik)
    SocialAccount.objects.create(employee=rudi, platform="whatsapp", phone="6281270010002")
    return {"budi": budi, "siti": siti, "rudi": rudi}


@pytest.fixture
def cluster_pair(staff) -> list[Finding]:
    """The WhatsApp sample: one message forwarded by Siti (first, 07.05) and by Rudi
    (21.10), found by the real detector and clustered by the real scan."""
    posts_import(path=FIXTURES / "wa_android_id.txt", group="Guru SDN 3")
    posts_scan()
    findings = list(Finding.objects.select_related("post").order_by("post__posted_at"))
    assert len(findings) == 2 and findings[0].cluster_id == findings[1].cluster_id is not None
    return findings


def make_finding(
    text: str = "Ayo coblos nomor 2 ya bapak ibu",
    *,
    evidence: list[dict] | None = None,
    author: str = "Warga Biasa",
    employee: Employee | None = None,
    platform: str = "facebook",
    score: float = 0.8,
    stance: str = "support",
    posted_at: datetime | None = None,
    status: str = FindingStatus.NEW,
    group: ChatGroup | None = None,
    cluster: Cluster | None = None,
) -> Finding:
    batch = ImportBatch.objects.create(filename="manual.jsonl", format="jsonl", sha256="0" * 64)
    post = Post.objects.create(
        key=f"view-test-{next(_keys)}",
        source="jsonl",
        platform=platform,
        author_name=author,
        employee=employee,
        match_method=MatchMethod.NAME if employee else MatchMethod.NONE,
        match_confidence=1.0 if employee else None,
        text=text,
        posted_at=posted_at or datetime(2024, 1, 20, 10, 0, tzinfo=WIB),
        batch=batch,
        group=group,
    )
    return Finding.objects.create(
        post=post,
        stance=stance,
        score=score,
        status=status,
        targets=[{"kind": "candidate", "contest": "PRES", "ballot_number": 2, "name": "Pair 2"}],
        evidence=evidence or [],
        agency=employee.agency if employee else None,
        cluster=cluster,
    )


def rows(response) -> list[Finding]:
    return list(response.context["page"].object_list)


def detail(finding: Finding) -> str:
    return reverse("monitoring:finding_detail", args=[finding.pk])


def action(name: str, finding: Finding) -> str:
    return reverse(f"monitoring:{name}", args=[finding.pk])


# --- the queue ------------------------------------------------------------------------


def test_it_lists_a_cluster_once_by_its_first_post(client, verifier, cluster_pair):
    lone = make_finding("Pilih nomor 1 saja", score=0.5)
    client.force_login(verifier)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert [f.pk for f in rows(response)] == [cluster_pair[0].pk, lone.pk]  # Siti posted first
    html = response.content.decode()
    assert "2 posts, first by Siti Aminah" in html
    assert "2 match the filters" in html
    cluster_id = cluster_pair[0].cluster_id
    assert f"?cluster={cluster_id}" in html  # the way to expand it

    expanded = client.get(QUEUE, {"cluster": cluster_id})
    assert {f.pk for f in rows(expanded)} == {f.pk for f in cluster_pair}
    every_post = client.get(QUEUE, {"expand": "1"})
    assert len(rows(every_post)) == 3


def test_a_collapsed_cluster_is_shown_by_its_first_matching_post(client, verifier, cluster_pair):
    # Siti's post was reviewed: among the findings awaiting review, Rudi's is the first.
    finding_confirm(finding=cluster_pair[0], actor=verifier)
    client.force_login(verifier)
    assert [f.pk for f in rows(client.get(QUEUE))] == [cluster_pair[1].pk]
    everything = rows(client.get(QUEUE, {"status": "all"}))
    assert [f.pk for f in everything] == [cluster_pair[0].pk]


def test_the_row_shows_author_group_platform_stage_targets_and_score(
    client, verifier, cluster_pair, staff
):
    client.force_login(verifier)
    html = client.get(QUEUE).content.decode()
    assert "Siti Aminah" in html and "198502022010012002" in html
    assert staff["siti"].agency.name in html
    assert "Guru SDN 3" in html and "WhatsApp" in html
    assert cluster_pair[0].stage.name in html
    assert "Prabowo" in html
    assert f"{cluster_pair[0].score:.2f}" in html
    make_finding(author="Akun Anonim 77")
    html = client.get(QUEUE).content.decode()
    assert "Akun Anonim 77" in html and "not matched" in html


def test_filters_narrow_the_queue(client, verifier, staff, disdik, cluster_pair):
    low = make_finding("coblos 1", score=0.55, platform="x", stance="oppose")
    by_budi = make_finding("pilih 3", employee=staff["budi"], platform="tiktok")
    dismissed = make_finding("dukung 2", status=FindingStatus.DISMISSED)
    client.force_login(verifier)

    def ids(**params) -> set[int]:
        response = client.get(QUEUE, params)
        assert response.status_code == 200
        return {f.pk for f in rows(response)}

    first = cluster_pair[0].pk
    assert ids() == {first, low.pk, by_budi.pk}
    assert ids(platform="x") == {low.pk}
    assert ids(stance="oppose") == {low.pk}
    assert ids(min_score="0.6") == {first, by_budi.pk}  # the detector scored it >= 0.6
    assert ids(clustered="on") == {first}
    assert ids(q="diteruskan") == {first}
    assert ids(q="Budi") == {by_budi.pk}  # the matched employee's name
    assert ids(q="198001012005") == {by_budi.pk}  # NIP
    assert ids(agency=disdik.code) == {first, by_budi.pk}
    assert ids(stage=cluster_pair[0].stage_id) == {first}
    assert ids(status="dismissed") == {dismissed.pk}
    assert ids(status="all", expand="on") == {f.pk for f in Finding.objects.all()}
    assert ids(group=cluster_pair[0].post.group_id) == {first}
    # A malformed filter is dropped, the others still apply.
    assert ids(min_score="lots", platform="x") == {low.pk}


def test_sorting(client, verifier):
    posted = datetime(2024, 1, 20, 10, 0, tzinfo=WIB)
    old = make_finding("a", score=0.9, posted_at=posted - timedelta(days=2))
    new = make_finding("b", score=0.6, posted_at=posted)
    cluster = Cluster.objects.create(first_post=new.post, size=5, authors=5)
    Finding.objects.filter(pk=new.pk).update(cluster=cluster)
    mid = make_finding("c", score=0.7, posted_at=posted - timedelta(days=1))
    client.force_login(verifier)

    def order(sort: str) -> list[int]:
        return [f.pk for f in rows(client.get(QUEUE, {"sort": sort}))]

    assert order("score") == [old.pk, mid.pk, new.pk]
    assert order("newest") == [new.pk, mid.pk, old.pk]
    assert order("oldest") == [old.pk, mid.pk, new.pk]
    assert order("cluster") == [new.pk, old.pk, mid.pk]


def test_pagination_keeps_the_filters_in_the_url(client, verifier, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for i in range(5):
        make_finding(f"coblos {i}", platform="x")
    make_finding("lain", platform="tiktok")
    client.force_login(verifier)
    response = client.get(QUEUE, {"platform": "x", "sort": "newest"})
    assert response.context["page"].paginator.count == 5
    html = response.content.decode()
    assert re.search(r'href="\?platform=x&amp;sort=newest&amp;page=2"', html)
    second = client.get(QUEUE, {"platform": "x", "sort": "newest", "page": "3"})
    assert len(rows(second)) == 1


def test_the_list_takes_a_bounded_number_of_queries(
    client, verifier, staff, django_assert_max_num_queries
):
    group = ChatGroup.objects.create(platform="whatsapp", name="Grup", external_id="g")
    client.force_login(verifier)
    client.get(QUEUE)  # session and language warm-up
    for i in range(3):
        make_finding(f"coblos {i}", employee=staff["siti"], group=group)
    with django_assert_max_num_queries(8):
        assert len(rows(client.get(QUEUE))) == 3
    first = make_finding("coblos bersama", employee=staff["rudi"])
    cluster = Cluster.objects.create(first_post=first.post, size=12, authors=12)
    Finding.objects.filter(pk=first.pk).update(cluster=cluster)
    for i in range(40):
        employee = [staff["budi"], staff["siti"], None][i % 3]
        make_finding(f"pilih {i}", employee=employee, group=group if i % 2 else None)
        if i < 11:
            Finding.objects.filter(post__text=f"pilih {i}").update(cluster=cluster)
    with django_assert_max_num_queries(8):
        response = client.get(QUEUE, {"sort": "cluster"})
    assert len(rows(response)) == 3 + 1 + 40 - 11  # the cluster of 12 is one row
    assert "12 posts, first by Rudi Hartono" in response.content.decode()


# --- the finding page -----------------------------------------------------------------


def test_the_text_is_escaped_and_the_evidence_marked_at_its_offsets(client, verifier):
    text = "<script>alert(1)</script> Ayo coblos nomor 2\nPrabowo-Gibran & kawan"
    start = text.index("coblos")
    name = text.index("Prabowo")
    finding = make_finding(
        text,
        evidence=[
            {
                "start": start,
                "end": name,
                "text": "coblos nomor 2\n",
                "why": 'ajakan "memilih" <b>',
            },
            {"start": name, "end": name + 14, "text": "Prabowo-Gibran", "why": "calon"},
            {"start": 0, "end": 999, "text": "x", "why": "out of range"},
            {"start": 2, "end": 5, "text": "zzz", "why": "stale"},
        ],
    )
    client.force_login(verifier)
    response = client.get(detail(finding))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; Ayo "
        '<mark title="ajakan &quot;memilih&quot; &lt;b&gt;">coblos nomor 2<br>\n</mark>'
        '<mark title="calon">Prabowo-Gibran</mark> &amp; kawan'
    ) in html
    assert "out of range" not in html and "stale" not in html


def test_overlapping_spans_are_cut_and_never_nested():
    html = highlighted_text(
        "abcdefgh",
        [
            {"start": 1, "end": 5, "why": "x"},
            {"start": 3, "end": 7, "why": "y"},
            {"start": "1", "end": 2, "why": "not an offset"},
        ],
    )
    assert html == (
        'a<mark title="x">bc</mark><mark title="x; y">de</mark><mark title="y">fg</mark>h'
    )


def test_the_page_shows_author_match_group_and_the_cluster(client, verifier, cluster_pair):
    client.force_login(verifier)
    response = client.get(detail(cluster_pair[1]))
    html = response.content.decode()
    assert "Rudi Hartono" in html and "phone number" in html  # matched by phone
    assert "6281270010002" in html  # the author as written (a WhatsApp number)
    assert "Guru SDN 3" in html and "3 known members" in html
    assert "2 posts, first by Siti Aminah." in html
    assert detail(cluster_pair[0]) in html  # the other post of the cluster


def test_confirming_opens_a_case_and_redirects(client, verifier, cluster_pair):
    client.force_login(verifier)
    finding = cluster_pair[0]
    back = "status=new&platform=whatsapp&next=https://evil.example"
    response = client.post(
        action("confirm", finding), {"confirm-note": "Jelas ajakan memilih.", "back": back}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?status=new&platform=whatsapp"
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CONFIRMED and finding.case is not None
    assert finding.review_note == "Jelas ajakan memilih."
    page = client.get(response["Location"])
    assert f"case {finding.case.number} was opened" in page.content.decode()

    # The other copy joins the same case, which the page offers.
    other = cluster_pair[1]
    assert finding.case.number in client.get(detail(other)).content.decode()
    response = client.post(
        action("confirm", other),
        {"confirm-case_number": finding.case.number, "confirm-stance": "oppose"},
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.case_id == finding.case_id and other.reviewed_stance == "oppose"
    assert Case.objects.count() == 1


def test_confirming_into_an_unknown_case_changes_nothing(client, verifier, cluster_pair):
    client.force_login(verifier)
    response = client.post(
        action("confirm", cluster_pair[0]), {"confirm-case_number": "KASUS-2099-99999"}
    )
    assert response.status_code == 400
    assert "There is no case with this number." in response.content.decode()
    cluster_pair[0].refresh_from_db()
    assert cluster_pair[0].status == FindingStatus.NEW and Case.objects.count() == 0


def test_a_closed_case_takes_no_finding(client, verifier, cluster_pair, case_factory):
    closed = case_factory(CaseStatus.CLOSED)
    client.force_login(verifier)
    response = client.post(
        action("confirm", cluster_pair[0]), {"confirm-case_number": closed.number}
    )
    assert response.status_code == 409
    assert "A closed case cannot take new findings." in response.content.decode()
    cluster_pair[0].refresh_from_db()
    assert cluster_pair[0].status == FindingStatus.NEW and cluster_pair[0].case is None


def test_a_finding_is_reviewed_once(client, verifier, cluster_pair):
    client.force_login(verifier)
    finding = cluster_pair[0]
    assert client.post(action("confirm", finding)).status_code == 302
    response = client.post(action("dismiss", finding), {"dismiss-reason": "not_partisan"})
    assert response.status_code == 409
    assert "already been reviewed" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CONFIRMED


def test_an_examiner_may_dismiss_but_not_open_a_case(client, examiner, cluster_pair):
    client.force_login(examiner)
    finding = cluster_pair[0]
    assert "Only the monitoring team" in client.get(detail(finding)).content.decode()
    response = client.post(action("confirm", finding))
    assert response.status_code == 403
    assert "may not open cases" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.NEW and Case.objects.count() == 0
    response = client.post(action("dismiss", finding), {"dismiss-reason": "duplicate"})
    assert response.status_code == 302


def test_dismissing_needs_a_reason(client, verifier, cluster_pair):
    client.force_login(verifier)
    finding = cluster_pair[0]
    response = client.post(action("dismiss", finding), {"dismiss-note": "bukan ASN?"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = client.post(action("dismiss", finding), {"dismiss-reason": "bosan"})
    assert response.status_code == 400
    response = client.post(action("dismiss", finding), {"dismiss-reason": "other"})
    assert response.status_code == 400
    assert "Explain the reason in the note." in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.NEW and finding.dismiss_reason == ""

    response = client.post(
        action("dismiss", finding),
        {"dismiss-reason": "not_employee", "dismiss-note": "Akun warga."},
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DISMISSED
    assert (finding.dismiss_reason, finding.review_note) == ("not_employee", "Akun warga.")
    assert finding.reviewed_by == verifier
    assert "Finding dismissed." in client.get(QUEUE).content.decode()


def test_a_reviewer_corrects_the_author(client, verifier, staff, cluster_pair):
    client.force_login(verifier)
    finding = cluster_pair[0]
    search = client.get(detail(finding), {"cari": "Budi"})
    assert f'value="{staff["budi"].pk}"' in search.content.decode()
    response = client.post(action("set_author", finding), {"employee": staff["budi"].pk})
    assert response.status_code == 302 and response["Location"] == detail(finding)
    post = Post.objects.get(pk=finding.post_id)
    assert post.employee == staff["budi"] and post.match_method == MatchMethod.MANUAL
    assert (
        "The author was set to Drs. Budi Santoso." in client.get(detail(finding)).content.decode()
    )

    assert client.post(action("set_author", finding), {"employee": "x1"}).status_code == 400
    assert client.post(action("set_author", finding), {}).status_code == 400
    post.refresh_from_db()
    assert post.employee == staff["budi"]

    assert client.post(action("set_author", finding), {"employee": ""}).status_code == 302
    post.refresh_from_db()
    assert post.employee is None and post.match_method == MatchMethod.NONE


def test_an_unknown_finding_is_404(client, verifier):
    client.force_login(verifier)
    assert client.get(reverse("monitoring:finding_detail", args=[999999])).status_code == 404
    assert client.post(reverse("monitoring:dismiss", args=[999999])).status_code == 404


# --- roles, methods, CSRF -------------------------------------------------------------

REVIEWERS = ["verifier", "examiner", "admin_user"]
OTHERS = ["outsider", "ppk", "bawaslu", "agency_head"]


@pytest.mark.parametrize("persona", REVIEWERS + OTHERS)
def test_only_reviewers_see_the_pages(client, request, persona, cluster_pair):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    expected = 200 if persona in REVIEWERS else 403
    assert client.get(QUEUE).status_code == expected
    assert client.get(detail(cluster_pair[0])).status_code == expected


@pytest.mark.parametrize("persona", OTHERS)
def test_other_roles_cannot_act(client, request, persona, staff, cluster_pair):
    client.force_login(request.getfixturevalue(persona))
    finding = cluster_pair[0]
    assert client.post(action("confirm", finding)).status_code == 403
    assert (
        client.post(action("dismiss", finding), {"dismiss-reason": "duplicate"}).status_code == 403
    )
    assert (
        client.post(action("set_author", finding), {"employee": staff["budi"].pk}).status_code
        == 403
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.NEW
    assert Post.objects.get(pk=finding.post_id).employee == staff["siti"]


def test_anonymous_visitors_are_sent_to_the_login_page(client, cluster_pair):
    for url in (QUEUE, detail(cluster_pair[0])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(action("dismiss", cluster_pair[0]), {"dismiss-reason": "duplicate"})
    assert response.status_code == 302
    cluster_pair[0].refresh_from_db()
    assert cluster_pair[0].status == FindingStatus.NEW


def test_the_navigation_links_the_queue_for_reviewers_only(client, verifier, ppk):
    client.force_login(verifier)
    assert f'href="{QUEUE}"' in client.get(QUEUE).content.decode()
    client.force_login(ppk)
    assert f'href="{QUEUE}"' not in client.get(reverse("staff:case_list")).content.decode()


def test_actions_are_post_only_and_need_the_csrf_token(verifier, cluster_pair):
    finding = cluster_pair[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(verifier)
    assert client.get(action("dismiss", finding)).status_code == 405
    assert (
        client.post(action("dismiss", finding), {"dismiss-reason": "duplicate"}).status_code == 403
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.NEW


def test_the_detectors_reasons_are_shown_in_the_users_language():
    from django.utils import translation

    from netralitas.core.evidence import why_label

    with translation.override("id"):
        assert why_label("call to vote") == "ajakan memilih"
        assert why_label("ballot number 2") == "nomor urut 2"
        assert why_label("finger gesture (3)") == "gestur jari 3"
        assert why_label("a reason added later") == "a reason added later"
    with translation.override("en"):
        assert why_label("ballot number 2") == "ballot number 2"
