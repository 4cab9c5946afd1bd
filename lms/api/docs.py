"""GET /openapi.json."""
from lms.api import openapi
from lms.api.base import api_route


@api_route("/openapi.json", "GET", summary="本 API 的 OpenAPI 3.1 文档", tags=["meta"], auth=False,
           responses={"200": "OpenAPI document"})
def openapi_document():
    return openapi.document("1")
