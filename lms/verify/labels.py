"""The words of the public page, translated once per locale and process: the page is the
busiest of the system, and a gettext call per label costs more than the database lookup."""
from __future__ import annotations

from contextlib import nullcontext

from flask import Flask, current_app, has_app_context, request, session
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import escape

LABELS = {
    "site": _l("合格证核验"),
    "site_sub": _l("企业标准化人才培训合格证书 · 官方核验"),
    "verify": _l("合格证核验"),
    "result": _l("核验结果"),
    "verdict_valid": _l("有效"),
    "verdict_suspect": _l("存疑"),
    "verdict_revoked": _l("已撤销"),
    "verdict_expired": _l("已过期"),
    "verdict_superseded": _l("已被新版本替代"),
    "valid_note": _l("发证机构的记录显示该证书有效。请核对纸质证书上的信息与下方记录一致。"),
    "revoked_reason": _l("撤销理由：%(reason)s"),
    "revoked_note": _l("该证书已被发证机构撤销，不再有效。"),
    "superseded_note": _l("本证书已换发新版本，请向持证人索取最新证书。"),
    "expired_note": _l("有效期已于 %(d)s 届满"),
    "suspect_token": _l("该二维码与发证机构的记录不一致：证书可能被改动或伪造。"),
    "suspect_pdf": _l("上传的文件不是该证书颁发时的原始文件：文件可能被修改过。"),
    "suspect_advice": _l("请勿仅凭此证书办理聘任等事项。请核对下方发证记录，并联系发证机构%(institution)s核实。"),
    "token_ok": _l("二维码与该证书（第 %(n)s 版）一致"),
    "token_bad": _l("二维码与该证书的当前记录不一致，证书可能被改动或伪造"),
    "record": _l("发证记录"),
    "cert_no": _l("证书编号"),
    "holder": _l("持证人"),
    "id_number": _l("身份证件号码"),
    "program": _l("培训项目"),
    "institution": _l("发证机构"),
    "hours": _l("学时"),
    "issued_on": _l("发证日期"),
    "valid_until": _l("有效期至"),
    "version": _l("版本"),
    "masked": _l("为保护个人信息，姓名和证件号码部分隐去。"),
    "pdf_title": _l("核对电子证书文件"),
    "pdf_help": _l("收到的是 PDF 电子证书？上传该文件，可核对它是否为发证时的原始文件。"),
    "pdf_ok": _l("该文件是本证书（第 %(n)s 版）颁发时的原始文件"),
    "pdf_bad": _l("该文件不是本证书颁发的原始文件（可能被修改过）"),
    "pdf_missing": _l("请选择 PDF 文件"),
    "pdf_file": _l("PDF 文件"),
    "upload": _l("上传核对"),
    "other": _l("核验其他证书"),
    "number_label": _l("证书编号"),
    "query": _l("查询"),
    "contact": _l("核验咨询：%(contact)s"),
    "contact_institution": _l("如有疑问，请联系发证机构。"),
    "offline": _l("离线核验"),
    "offline_title": _l("离线核验说明"),
    "offline_intro": _l("证书二维码中的链接带有发证机构的电子签名。"
                        "技术人员可在不联网的情况下，用发证机构公布的公开密钥验证签名，确认证书信息确由发证机构签发。"),
    "offline_steps": _l("做法：取得发证机构公布的公开密钥文件，再用任何支持 Ed25519 签名的 JOSE 工具验证二维码链接中 t= 之后的部分。"
                        "详细步骤见项目文档《合格证核验》（docs/verification.md）。"),
    "offline_keys": _l("公开密钥文件"),
    "offline_status": _l("签名只证明证书内容出自发证机构，不说明证书今天是否仍然有效；当前状态以本网站的核验结果为准。"),
    "back": _l("返回核验"),
    "language": _l("语言"),
    "not_found_title": _l("未找到"),
    "not_found": _l("未找到该证书"),
    "not_found_text": _l("没有以此编号颁发的合格证。请核对编号是否输入正确；如为扫码打开，该证书可能是伪造的。"),
    "start": _l("扫描合格证上的二维码，或在下方输入证书编号。"),
    "ce_year": _l("%(year)s 年继续教育"),
    "ce_hours": _l("%(earned)s / %(required)s 学时"),
    "ce_complete": _l("已完成"),
    "ce_incomplete": _l("未完成"),
}


class Words(dict):
    """The words as a dict whose keys are also attributes: the template's `L.site` then
    finds them at once, instead of Jinja first failing a getattr on a plain dict."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__ = self


def _translate(locale: str) -> Words:
    # escaped once here rather than by the template on every page
    words = Words({key: escape(str(text)) for key, text in LABELS.items()})
    words["lang"] = "zh-CN" if locale.startswith("zh") else "en"
    words["locale"] = locale
    return words


def words_for(app: Flask, locale: str | None) -> dict[str, str]:
    """The page's words in `locale` (a visitor's choice, checked), else the app's default.
    Needs no request: the page's fast path (lms.verify.fast) calls it outside any context."""
    if locale not in _KNOWN:
        locale = app.config["DEFAULT_LOCALE"]
    words = _TRANSLATED.get(locale)
    if words is None:
        with nullcontext() if has_app_context() else app.app_context(), force_locale(locale):
            words = _TRANSLATED[locale] = _translate(locale)
    return words


def labels() -> dict[str, str]:
    """The page's words in the visitor's chosen language (the language switch), else the
    default. Deliberately not the full locale selection, which loads the logged-in user:
    the public page has no use for a login, and that lookup costs more than the page."""
    return words_for(current_app._get_current_object(), request.args.get("lang") or session.get("lang"))


_KNOWN = {"zh_CN", "en"}
_TRANSLATED: dict[str, Words] = {}
