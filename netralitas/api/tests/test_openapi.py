"""The OpenAPI document: complete, valid enough for a client generator, and honest
about authentication and bodies."""

from __future__ import annotations

import pytest

OPENAPI_URL = "/api/v1/openapi.json"
PUBLIC = {
    ("get", "/api/v1/public/violation-types"),
    ("post", "/api/v1/public/reports"),
    ("get", "/api/v1/public/reports/{tracking_code}"),
}
STAFF = {
    ("get", "/api/v1/cases"),
    ("get", "/api/v1/cases/{number}"),
    ("post", "/api/v1/cases/{number}/transitions"),
}


@pytest.fixture
def document(client, db):
    response = client.get(OPENAPI_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _operation(document, method: str, path: str) -> dict:
    return document["paths"][path][method]


def _refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_it_is_an_openapi_3_document(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] and document["info"]["version"]


def test_it_lists_every_endpoint(document):
    listed = {(method, path) for path, item in document["paths"].items() for method in item}
    assert PUBLIC | STAFF <= listed


def test_it_resolves_every_reference(document):
    schemas = document["components"]["schemas"]
    for ref in _refs(document):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.removeprefix("#/components/schemas/") in schemas, ref


def test_it_declares_bearer_security_on_staff_endpoints(document):
    schemes = document["components"]["securitySchemes"]
    bearer = {
        name for name, s in schemes.items() if s["type"] == "http" and s["scheme"] == "bearer"
    }
    assert bearer
    for method, path in STAFF:
        operation = _operation(document, method, path)
        declared = {name for requirement in operation["security"] for name in requirement}
        assert declared & bearer, (method, path)
        assert "401" in operation["responses"], (method, path)


def test_it_leaves_public_endpoints_open(document):
    for method, path in PUBLIC:
        assert not _operation(document, method, path).get("security"), (method, path)


def test_it_documents_the_report_body_as_json_and_multipart(document):
    body = _operation(document, "post", "/api/v1/public/reports")["requestBody"]
    content = body["content"]
    assert {"application/json", "multipart/form-data"} <= set(content)
    as_json = content["application/json"]["schema"]
    assert set(as_json["required"]) == {
        "reported_name",
        "incident_date",
        "violation_type",
        "description",
    }
    assert {"reporter", "evidence_links"} <= set(as_json["properties"])
    multipart = content["multipart/form-data"]["schema"]
    evidence = multipart["properties"]["evidence"]
    assert evidence["type"] == "array" and evidence["items"]["format"] == "binary"


def test_it_documents_the_error_shape_of_a_refused_report(document):
    responses = _operation(document, "post", "/api/v1/public/reports")["responses"]
    assert set(responses) >= {"201", "400", "429"}
    ref = responses["400"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/ErrorOut"
    error_out = document["components"]["schemas"]["ErrorOut"]
    errors = error_out["properties"]["errors"]
    assert errors["type"] == "object"
    assert errors["additionalProperties"]["type"] == "array"
    assert errors["additionalProperties"]["items"]["type"] == "string"


def test_it_documents_the_transition_outcomes(document):
    operation = _operation(document, "post", "/api/v1/cases/{number}/transitions")
    assert set(operation["responses"]) >= {"200", "400", "401", "403", "404", "409"}
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"] == "#/components/schemas/TransitionIn"
    transition_in = document["components"]["schemas"]["TransitionIn"]
    assert transition_in["required"] == ["action"]


def test_it_needs_no_token_to_read_the_document(client, db):
    assert client.get(OPENAPI_URL, headers={"Authorization": "Bearer nonsense"}).status_code == 200
