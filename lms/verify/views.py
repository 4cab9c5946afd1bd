"""The public check's pages: public, no login, no session cookie. `GET /verify/<cert_no>`
itself is served by lms.verify.fast, beside the app (its rule here is build-only, for
url_for); the start page and the PDF check are ordinary views. An unknown number gets the
same 404 page whatever it looks like."""
from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlencode

from flask import Flask, current_app, redirect, request, url_for

from lms.verify import services
from lms.verify.api import verify_limit
from lms.extensions import csrf
from lms.verify.labels import labels
from lms.verify import bp



MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(iso: str | None, lang: str) -> str:
    """2026-03-05 as 2026年3月5日 on the Chinese page, Mar 5, 2026 on the English one."""
    if not iso:
        return ""
    year, month, day = iso.split("-")
    if lang.startswith("zh"):
        return f"{int(year)}年{int(month)}月{int(day)}日"
    return f"{MONTHS[int(month) - 1]} {int(day)}, {year}"


LANGUAGES = (("zh_CN", "中文", "zh-CN"), ("en", "English", "en"))


def render(app: Flask, words: dict[str, str], name: str, *, here: str = "", query: dict | None = None,
           **context) -> str:
    """The page's own template without the app's context processors (navigation, the
    logged-in user, notifications): a public page needs none of them, and they cost more
    than the lookup itself. Needs no request context (the fast path passes its url_for).
    Dicts in the context (the public view, the PDF result) go in as namespaces, whose
    attributes the template's `v.status` finds at once (a dict makes Jinja fail a getattr first).
    The language switch links to `here` (default: this path) with the `query` kept and `lang`
    set: a visitor's choice that needs no cookie, so it works on the cookie-less public page."""
    context = {key: SimpleNamespace(**value) if isinstance(value, dict) else value for key, value in context.items()}
    query = {key: value for key, value in (query or {}).items() if value is not None and key != "lang"}
    switch = [(code, label, tag, f"{here}?{urlencode({**query, 'lang': code})}") for code, label, tag in LANGUAGES]
    return app.jinja_env.get_template(name).render(
        L=words, lang=words["lang"], locale=words["locale"], day=_day, switch=switch,
        contact=app.config["VERIFY_CONTACT"], **context)


def _render(name: str, **context) -> str:
    return render(current_app, labels(), name, **context)


def _chosen() -> str | None:
    """The language the visitor picked with the page's switch (?lang=), if any."""
    return request.args.get("lang") if request.args.get("lang") in {code for code, _l, _t in LANGUAGES} else None


def _unknown():
    return _render("verify/unknown.html"), 404


@bp.route("/verify/")
@verify_limit
def start():
    number = request.args.get("no", "").strip()
    if number:
        return redirect(url_for("verify.page", cert_no=number[:60], lang=_chosen()))
    return _render("verify/start.html")


bp.add_url_rule("/verify/<path:cert_no>", "page", build_only=True)  # served by lms.verify.fast


@bp.route("/verify/<path:cert_no>/check-pdf", methods=["POST"])
@csrf.exempt  # public and anonymous: nothing to forge, the upload only reads
@verify_limit
def check_pdf(cert_no: str):
    certificate = services.lookup(cert_no)
    if certificate is None:
        return _unknown()
    upload = request.files.get("file")
    result = None
    if upload is not None and upload.filename:
        genuine, version = services.check_pdf(certificate, upload.read(), ip=request.remote_addr,
                                              user_agent=request.user_agent.string)
        result = {"genuine": genuine, "version": version}
    view = services.full_view(certificate, pdf_genuine=result and result["genuine"])
    return _render("verify/page.html", v=view, pdf_result=result, pdf_missing=result is None,
                   here=url_for("verify.page", cert_no=view["cert_no"]))


@bp.route("/verify/offline")
@verify_limit
def offline():
    """How a technician checks the QR code's signature with no network (served by the app:
    lms.verify.fast leaves this path alone)."""
    return _render("verify/offline.html")
