"""POST /banks/preview: the editor's live preview of a question as a trainee sees it."""
from flask_babel import lazy_gettext as _l

from lms.api.base import api_route, caller, json_body
from lms.api.openapi import schema
from lms.banks import services
from lms.banks.editing import EDITOR_FIELDS
from lms.banks.preview import preview
from lms.core.errors import NotFound

PREVIEW_REQUEST = schema("QuestionPreviewRequest", {
    "type": "object",
    "description": "试题编辑器的文本字段（与 Excel 模板的写法相同）",
    "properties": {name: {"type": "string"} for name in EDITOR_FIELDS},
})
PREVIEW_RESPONSE = schema("QuestionPreview", {
    "type": "object", "required": ["html", "problems"],
    "properties": {
        "html": {"type": "string", "description": "学员视图（与考试页面相同的模板）"},
        "problems": {"type": "object", "additionalProperties": {"type": "string"}},
    },
})


@api_route("/banks/preview", "POST", summary="试题学员视图预览", tags=["banks"], request=PREVIEW_REQUEST,
           responses={"200": ("预览", PREVIEW_RESPONSE)}, errors=("400", "404"))
def preview_question():
    if not services.can_read(caller()):
        raise NotFound(_l("未找到该对象，或您无权查看"))
    data = json_body()
    return preview({name: data.get(name) if isinstance(data.get(name), str) else "" for name in EDITOR_FIELDS})
