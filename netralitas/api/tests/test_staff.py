"""The staff API: who may read and move which case, and a whole case walked through it."""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from netralitas.accounts.models import ApiToken
from netralitas.cases.models import CaseStatus
from netralitas.cases.transitions import TRANSITIONS
from netralitas.core.timeutil import local_today
from netralitas.elections.models import SanctionKind

S = CaseStatus

# Every way of calling: no credentials, credentials that must not work, then one persona
# per role (as in conftest.py).
CALLERS = [
    "anonymous",
    "bad_token",
    "revoked_token",
    "expired_token",
    "outsider",
    "verifier",
    "examiner",
    "ppk",
    "ppk_other",
    "bawaslu",
    "agency_head",
    "admin_user",
]

# The specification, written out by hand rather than derived from the code. The case is
# in verification, in Dinas Pendidikan of the province: the provincial PPK's scope, not
# Kabupaten Belitung's. "comment" is open to every handling role; "request_info" to the
# verifier only. ppk_other does not learn that the case exists (404, not 403).
EXPECTED = {
    #                 list  detail comment request_info
    "anonymous":     (401,  401,   401,    401),
    "bad_token":     (401,  401,   401,    401),
    "revoked_token": (401,  401,   401,    401),
    "expired_token": (401,  401,   401,    401),
    "outsider":      (401,  401,   401,    401),  # a token, but an account without a role
    "verifier":      (200,  200,   200,    200),
    "examiner":      (200,  200,   200,    403),
    "ppk":           (200,  200,   200,    403),
    "ppk_other":     (200,  404,   404,    404),
    "bawaslu":       (200,  200,   200,    403),
    "agency_head":   (403,  403,   403,    403),
    "admin_user":    (403,  403,   403,    403),
}  # fmt: skip
ENDPOINTS = ["list", "detail", "comment", "request_info"]
MATRIX = [(caller, endpoint) for caller in CALLERS for endpoint in ENDPOINTS]


def _bearer(raw: str | None) -> dict:
    return {"Authorization": f"Bearer {raw}"} if raw else {}


@pytest.fixture
def token_for(db):
    def make(user) -> str:
        _token, raw = ApiToken.issue(user=user, name="test")
        return raw

    return make


@pytest.fixture
def credentials(request, token_for):
    """``credentials(caller)``: the Authorization header a caller sends."""

    def make(caller: str) -> dict:
        if caller == "anonymous":
            return {}
        if caller == "bad_token":
            return _bearer("ntr_" + "x" * 43)
        if caller in ("revoked_token", "expired_token"):
            user = request.getfixturevalue("verifier")
            token, raw = ApiToken.issue(user=user, name=caller)
            past = timezone.now() - timedelta(minutes=1)
            field = "revoked_at" if caller == "revoked_token" else "expires_at"
            ApiToken.objects.filter(pk=token.pk).update(**{field: past})
            return _bearer(raw)
        return _bearer(token_for(request.getfixturevalue(caller)))

    return make


def _call(client, endpoint: str, number: str, headers: dict):
    if endpoint == "list":
        return client.get("/api/v1/cases", headers=headers)
    if endpoint == "detail":
        return client.get(f"/api/v1/cases/{number}", headers=headers)
    body = {"action": endpoint, "note": "Catatan dari uji matriks peran."}
    return _post(client, number, body, headers)


def _post(client, number: str, body, headers: dict):
    raw = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        f"/api/v1/cases/{number}/transitions",
        data=raw,
        content_type="application/json",
        headers=headers,
    )


@pytest.mark.parametrize(("caller", "endpoint"), MATRIX, ids=[f"{c}-{e}" for c, e in MATRIX])
def test_it_enforces_the_role_matrix(client, case_factory, credentials, caller, endpoint):
    case = case_factory(S.VERIFICATION)
    expected = EXPECTED[caller][ENDPOINTS.index(endpoint)]
    response = _call(client, endpoint, case.number, credentials(caller))
    assert response.status_code == expected, response.content
    body = response.json()
    if expected >= 400:
        assert body.get("detail") or body.get("errors")
        case.refresh_from_db()
        assert case.status == S.VERIFICATION
        assert not case.events.exclude(action="open").exists()
        return
    if endpoint == "list":
        numbers = [row["number"] for row in body]
        assert (case.number in numbers) == (caller != "ppk_other")
    elif endpoint == "detail":
        assert body["number"] == case.number
        assert body["status"] == S.VERIFICATION
    else:
        assert body["timeline"][-1]["action"] == endpoint
        assert body["timeline"][-1]["actor_role"] == case_factory_role(caller)


def case_factory_role(caller: str) -> str:
    return {"ppk_other": "ppk", "admin_user": "admin", "agency_head": "agency_head"}.get(
        caller, caller
    )


def test_it_refuses_other_schemes_and_oversized_tokens(client, case_factory, verifier, token_for):
    case = case_factory(S.VERIFICATION)
    raw = token_for(verifier)
    for header in (f"Token {raw}", raw, f"Basic {raw}", "Bearer " + "a" * 300, "Bearer"):
        response = client.get(f"/api/v1/cases/{case.number}", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.json() == {"detail": response.json()["detail"]}


def test_it_stops_a_token_when_its_user_is_deactivated(client, case_factory, verifier, token_for):
    case = case_factory(S.VERIFICATION)
    headers = _bearer(token_for(verifier))
    assert client.get(f"/api/v1/cases/{case.number}", headers=headers).status_code == 200
    verifier.is_active = False
    verifier.save(update_fields=["is_active"])
    assert client.get(f"/api/v1/cases/{case.number}", headers=headers).status_code == 401


def test_it_records_when_a_token_was_last_used(client, verifier, token_for):
    headers = _bearer(token_for(verifier))
    assert ApiToken.objects.get().last_used_at is None
    client.get("/api/v1/cases", headers=headers)
    assert ApiToken.objects.get().last_used_at is not None


def test_it_answers_404_for_an_unknown_case(client, verifier, token_for):
    headers = _bearer(token_for(verifier))
    assert client.get("/api/v1/cases/KASUS-2024-99999", headers=headers).status_code == 404
    response = _post(client, "KASUS-2024-99999", {"action": "comment", "note": "x"}, headers)
    assert response.status_code == 404


def test_it_filters_the_case_list(client, case_factory, examiner, token_for):
    open_case = case_factory(S.VERIFICATION)
    registered = case_factory(S.REGISTERED)
    headers = _bearer(token_for(examiner))

    def numbers(query: str) -> set[str]:
        response = client.get(f"/api/v1/cases{query}", headers=headers)
        assert response.status_code == 200
        return {row["number"] for row in response.json()}

    assert numbers("") == {open_case.number, registered.number}
    assert numbers("?status=registered") == {registered.number}
    assert numbers(f"?q={open_case.number}") == {open_case.number}
    assert numbers("?agency=no-such-agency") == set()
    assert numbers("?overdue=true") == set()


def test_it_refuses_a_malformed_filter(client, verifier, token_for):
    response = client.get("/api/v1/cases?overdue=perhaps", headers=_bearer(token_for(verifier)))
    assert response.status_code == 400
    assert "overdue" in response.json()["errors"]


# --- transitions --------------------------------------------------------------


@pytest.fixture
def act(client, token_for, verifier, examiner, ppk, ppk_other):
    headers = {u.username: _bearer(token_for(u)) for u in (verifier, examiner, ppk, ppk_other)}

    def post(user, number: str, action: str, note: str = "Catatan uji.", **fields):
        body = {"action": action, "note": note, "fields": fields}
        return _post(client, number, body, headers[user.username])

    return post


def _ok(response, status: str) -> dict:
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["status"] == status
    return out


def _error_fields(response, code: int = 400) -> set[str]:
    assert response.status_code == code, response.content
    return set(response.json()["errors"])


def test_it_walks_a_case_from_verification_to_closed(
    client, case_factory, act, verifier, examiner, ppk, ppk_other
):
    case = case_factory(S.VERIFICATION)
    n = case.number
    # Perbawaslu 7/2022 Pasal 15: registering needs both requirement sets recorded first.
    assert _error_fields(act(verifier, n, "register")) == {"formal_complete", "material_complete"}
    out = _ok(
        act(verifier, n, "set_requirements", formal_complete=True, material_complete=True),
        S.VERIFICATION,
    )
    assert out["timeline"][-1]["data"] == {"formal_complete": True, "material_complete": True}
    assert "register" in out["actions"]
    _ok(act(verifier, n, "register"), S.REGISTERED)
    _ok(act(examiner, n, "start_examination"), S.EXAMINATION)
    # PP 94/2021 Pasal 26: no conclusion without hearing someone.
    assert _error_fields(act(examiner, n, "conclude_proven")) == {"clarification"}
    _ok(
        act(
            examiner,
            n,
            "add_clarification",
            held_on=(local_today() - timedelta(days=1)).isoformat(),
            person_heard="Rahmat Hidayat",
            capacity="reported",
            summary="Mengakui mengunggah foto kampanye tersebut.",
        ),
        S.EXAMINATION,
    )
    _ok(act(examiner, n, "conclude_proven", note="Terbukti dari klarifikasi."), S.PROVEN)
    assert "sanction_kind" in _error_fields(act(examiner, n, "recommend"))
    case.refresh_from_db()
    kind = SanctionKind.objects.filter(
        employee_kind="PNS", category=case.suggested_sanction_category
    ).first()
    assert kind is not None, case.suggested_sanction_category
    out = _ok(act(examiner, n, "recommend", sanction_kind=kind.code), S.RECOMMENDED)
    assert out["recommended_sanction_kind"] == kind.code
    _ok(act(examiner, n, "forward", target="ppk"), S.FORWARDED)
    decision = {
        "decision_number": "800/123/BKPSDMD/2024",
        "decision_date": local_today().isoformat(),
        "sanction_kind": kind.code,
    }
    assert act(examiner, n, "decide", **decision).status_code == 403
    assert act(ppk_other, n, "decide", **decision).status_code == 404
    missing = {k: v for k, v in decision.items() if k != "decision_number"}
    assert _error_fields(act(ppk, n, "decide", **missing)) == {"decision_number"}
    out = _ok(act(ppk, n, "decide", **decision), S.DECIDED)
    assert out["timeline"][-1]["actor_role"] == "ppk"
    out = _ok(act(verifier, n, "close"), S.CLOSED)
    assert out["actions"] == []
    assert [e["to_status"] for e in out["timeline"] if e["from_status"] != e["to_status"]] == [
        S.VERIFICATION,
        S.REGISTERED,
        S.EXAMINATION,
        S.PROVEN,
        S.RECOMMENDED,
        S.FORWARDED,
        S.DECIDED,
        S.CLOSED,
    ]
    # The reporter's view followed along.
    code = out["reports"][0]
    assert client.get(f"/api/v1/public/reports/{code}").json()["status"] == "closed"
    # Nothing more can happen to a closed case.
    assert act(verifier, n, "close").status_code == 409


def test_it_refuses_a_step_from_the_wrong_state_with_409(case_factory, act, verifier, examiner):
    case = case_factory(S.VERIFICATION)
    response = act(examiner, case.number, "start_examination")
    assert response.status_code == 409
    assert response.json()["detail"]
    registered = case_factory(S.REGISTERED)
    assert act(verifier, registered.number, "register").status_code == 409
    assert act(verifier, registered.number, "request_info", note="Kurang bukti.").status_code == 409
    case.refresh_from_db()
    assert case.status == S.VERIFICATION


def test_it_refuses_an_examiner_registering_with_403(case_factory, act, examiner):
    case = case_factory(S.VERIFICATION)
    response = act(examiner, case.number, "register")
    assert response.status_code == 403
    assert response.json()["detail"]
    case.refresh_from_db()
    assert case.status == S.VERIFICATION


def test_it_lets_only_the_ppk_decide(case_factory, act, examiner, verifier):
    case = case_factory(S.FORWARDED)
    decision = {
        "decision_number": "800/1/2024",
        "decision_date": local_today().isoformat(),
        "sanction_kind": case.recommended_sanction_kind.code,
    }
    assert act(examiner, case.number, "decide", **decision).status_code == 403
    assert act(verifier, case.number, "decide", **decision).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "request_info"}, "note"),
        ({"action": "request_info", "note": "   "}, "note"),
        ({"action": "reject", "note": ""}, "note"),
        ({"action": "teleport", "note": "x"}, "action"),
        ({"note": "tanpa aksi"}, "action"),
        ({"action": 7}, "action"),
        ({"action": "comment", "note": "x", "fields": "not an object"}, "fields"),
        ({"action": "comment", "note": ["x"]}, "note"),
        ({"action": "comment", "note": "x" * 5001}, "note"),
        ({"action": "comment", "note": "x", "public_message": "x" * 501}, "public_message"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_it_names_the_field_of_a_bad_transition(
    client, case_factory, verifier, token_for, body, field
):
    case = case_factory(S.VERIFICATION)
    response = _post(client, case.number, body, _bearer(token_for(verifier)))
    assert field in _error_fields(response)
    case.refresh_from_db()
    assert case.status == S.VERIFICATION


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({}, {"decision_number", "decision_date", "sanction_kind"}),
        ({"decision_date": "15/10/2024"}, {"decision_date"}),
        ({"decision_date": "2999-01-01"}, {"decision_date"}),
        ({"sanction_kind": "NO-SUCH-KIND"}, {"sanction_kind"}),
        ({"sanction_kind": {"code": 1}}, {"sanction_kind"}),
    ],
)
def test_it_names_the_fields_of_a_bad_decision(case_factory, act, ppk, fields, bad):
    case = case_factory(S.FORWARDED)
    decision = {
        "decision_number": "800/1/2024",
        "decision_date": local_today().isoformat(),
        "sanction_kind": case.recommended_sanction_kind.code,
    }
    if fields:
        decision.update(fields)
    else:
        decision = {}
    assert bad <= _error_fields(act(ppk, case.number, "decide", **decision))
    case.refresh_from_db()
    assert case.status == S.FORWARDED


def test_it_refuses_a_sanction_from_another_category_without_a_reason(case_factory, act, examiner):
    case = case_factory(S.PROVEN)
    other = (
        SanctionKind.objects.filter(employee_kind="PNS")
        .exclude(category=case.suggested_sanction_category)
        .first()
    )
    assert _error_fields(act(examiner, case.number, "recommend", sanction_kind=other.code)) == {
        "override_reason"
    }
    _ok(
        act(
            examiner,
            case.number,
            "recommend",
            sanction_kind=other.code,
            override_reason="Pertimbangan khusus.",
        ),
        S.RECOMMENDED,
    )


def test_it_refuses_a_transition_body_that_is_not_json(client, case_factory, verifier, token_for):
    case = case_factory(S.VERIFICATION)
    for raw in (b"{not json", b"[]", b'"comment"', b""):
        response = _post(client, case.number, raw, _bearer(token_for(verifier)))
        assert response.status_code == 400, (raw, response.content)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"held_on": 20241015}, "held_on"),
        ({"held_on": {"y": 2024}}, "held_on"),
        ({"held_on": ["2024-10-15"]}, "held_on"),
        ({"capacity": ["reported"]}, "capacity"),
        ({"summary": {"text": "x"}}, "summary"),
        ({"person_heard": None}, "person_heard"),
    ],
)
def test_it_names_a_field_of_the_wrong_json_type(case_factory, act, examiner, fields, field):
    case = case_factory(S.EXAMINATION)
    valid = {
        "held_on": (local_today() - timedelta(days=1)).isoformat(),
        "person_heard": "Rahmat Hidayat",
        "capacity": "reported",
        "summary": "Mengakui mengunggah foto.",
    }
    assert field in _error_fields(
        act(examiner, case.number, "add_clarification", **{**valid, **fields})
    )
    assert not case.clarifications.exists()


def test_it_reads_json_booleans_in_the_requirement_check(case_factory, act, verifier):
    case = case_factory(S.VERIFICATION)
    out = _ok(
        act(
            verifier, case.number, "set_requirements", formal_complete=True, material_complete=False
        ),
        S.VERIFICATION,
    )
    assert out["timeline"][-1]["data"] == {"formal_complete": True, "material_complete": False}
    assert _error_fields(act(verifier, case.number, "register")) == {"material_complete"}


def test_it_never_fails_with_a_server_error_on_random_transitions(
    case_factory, act, verifier, examiner, ppk
):
    rng = random.Random(1945)
    cases = [
        case_factory(status) for status in (S.VERIFICATION, S.EXAMINATION, S.PROVEN, S.FORWARDED)
    ]
    names = [
        "held_on",
        "decision_date",
        "sanction_kind",
        "target",
        "target_name",
        "capacity",
        "summary",
        "formal_complete",
        "decision_number",
        "override_reason",
        "person_heard",
        "x",
    ]
    values = [
        None,
        True,
        False,
        0,
        -1,
        10**30,
        1.5,
        "",
        "2024-10-15",
        "2999-12-31",
        "x" * 3000,
        [],
        ["a"],
        {},
        {"a": {"b": []}},
        "ppk",
        "receiving_body",
        "other_agency",
        "reported",
    ]
    for _ in range(200):
        user = rng.choice([verifier, examiner, ppk])
        case = rng.choice(cases)
        action = rng.choice([*TRANSITIONS, "open", ""])
        fields = {rng.choice(names): rng.choice(values) for _ in range(rng.randrange(5))}
        response = act(user, case.number, action, note=rng.choice(["", "Catatan."]), **fields)
        assert response.status_code in (200, 400, 403, 409), (
            action,
            fields,
            response.content[:300],
        )
