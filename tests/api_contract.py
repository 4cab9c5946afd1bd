"""Every /api/v1 JSON response the test suite receives is checked against the operation the
OpenAPI document declares for it (status and body schema), in one place: the test client. So
the document cannot drift from the code without a test failing."""
from __future__ import annotations

from functools import lru_cache

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from lms.api import openapi


class ContractBroken(AssertionError):
    pass


@lru_cache(maxsize=1)
def _registry_and_document():
    document = openapi.document("test")
    registry = Registry().with_resource("urn:openapi", Resource.opaque(document))
    return registry, document


def check(app, method: str, path: str, response) -> None:
    if not path.startswith("/api/v1/"):
        return
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(path, method=method)
    except Exception:  # noqa: BLE001 - 404/405 for an unknown route: nothing declared to check
        return
    declared = openapi.ENDPOINTS.get(endpoint)
    if declared is None:
        return
    spec_path, spec_method = declared
    registry, document = _registry_and_document()
    responses = document["paths"][spec_path][spec_method]["responses"]
    status = str(response.status_code)
    where = f"{method} {path} → {status}"
    if status not in responses:
        raise ContractBroken(f"{where}: status not documented (documented: {sorted(responses)})")
    content = responses[status].get("content", {})
    if "application/json" not in content:
        return
    if not response.is_json:
        raise ContractBroken(f"{where}: documented as JSON, answered {response.content_type}")
    schema = {"$ref": "urn:openapi#" + "/paths/" + spec_path.replace("~", "~0").replace("/", "~1")
              + f"/{spec_method}/responses/{status}/content/application~1json/schema"}
    validator = Draft202012Validator(schema, registry=registry)
    problems = sorted(validator.iter_errors(response.get_json()), key=lambda e: list(e.absolute_path))
    if problems:
        first = problems[0]
        raise ContractBroken(f"{where}: {first.message} at {list(first.absolute_path)}")
