from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.core.forms import options
from lms.core.pagination import paginate
from lms.extensions import db
from lms.orgs import bp, services
from lms.orgs.forms import EnterpriseForm, InstitutionForm
from lms.orgs.models import Region
from lms.web import attempt, role_required


def _region_choices(regions: list[Region]):
    return options((r.id, ("　" * (r.path.count("/") - 2)) + r.name) for r in regions)


def _form_data(form) -> dict:
    data = {k: v for k, v in form.data.items() if k not in {"csrf_token", "region_id"}}
    data["region"] = db.session.get(Region, form.region_id.data) if form.region_id.data else None
    return data


@bp.route("/admin/regions")
@role_required("admin", "bureau")
def regions():
    return render_template("orgs/regions.html", roots=services.region_roots())


@bp.route("/admin/institutions")
@role_required("admin")
def institutions():
    return render_template("orgs/institutions.html",
                           institutions=db.session.scalars(services.visible_institutions(current_user)).all())


@bp.route("/admin/institutions/new", methods=["GET", "POST"])
@bp.route("/admin/institutions/<int:institution_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def institution_form(institution_id: int | None = None):
    institution = services.get_institution(current_user, institution_id) if institution_id else None
    form = InstitutionForm(obj=institution)
    form.region_id.choices = _region_choices(services.all_regions())
    if form.validate_on_submit():
        with attempt(form, renames={"region": "region_id"}) as done:
            services.save_institution(current_user, _form_data(form), institution)
        if done.ok:
            flash(_("承办机构已保存"), "success")
            return redirect(url_for("orgs.institutions"))
    return render_template("orgs/institution_form.html", form=form, institution=institution)


@bp.route("/enterprises")
@role_required("admin", "bureau", "enterprise")
def enterprises():
    query = request.args.get("q", "").strip()
    page = paginate(services.visible_enterprises(current_user, query), request.args.get("page"))
    return render_template("orgs/enterprises.html", page=page, query=query,
                           can_add=services.can_edit_enterprise(current_user))


@bp.route("/enterprises/<int:enterprise_id>")
@role_required("admin", "bureau", "enterprise")
def enterprise(enterprise_id: int):
    enterprise = services.get_enterprise(current_user, enterprise_id)
    return render_template("orgs/enterprise.html", enterprise=enterprise,
                           can_edit=services.can_edit_enterprise(current_user, enterprise))


@bp.route("/enterprises/new", methods=["GET", "POST"])
@bp.route("/enterprises/<int:enterprise_id>/edit", methods=["GET", "POST"])
@role_required("admin", "bureau")
def enterprise_form(enterprise_id: int | None = None):
    enterprise = services.get_enterprise(current_user, enterprise_id) if enterprise_id else None
    services.require_edit_enterprise(current_user, enterprise)
    form = EnterpriseForm(obj=enterprise)
    form.region_id.choices = _region_choices(db.session.scalars(services.regions_in_scope(current_user)).all())
    if form.validate_on_submit():
        with attempt(form, renames={"region": "region_id"}) as done:
            saved = services.save_enterprise(current_user, _form_data(form), enterprise)
        if done.ok:
            flash(_("企业已保存"), "success")
            return redirect(url_for("orgs.enterprise", enterprise_id=saved.id))
    return render_template("orgs/enterprise_form.html", form=form, enterprise=enterprise)
