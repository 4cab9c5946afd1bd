"""Posts (admin) and enterprises' statistics attributes and names (bureaus in scope, admin)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.programs.models import ProgramLevel
from lms.appointments import access, bp, enterprises, services
from lms.appointments.forms import EnterpriseProfileForm, PostForm
from lms.appointments.models import Post
from lms.core.forms import options
from lms.core.pagination import paginate
from lms.core.permissions import one_or_404
from lms.orgs.services import all_regions
from lms.web import attempt, role_required


@bp.route("/posts")
@login_required
def posts():
    return render_template("appointments/posts.html", posts=services.all_posts(), program_level=ProgramLevel,
                           can_manage=access.can_manage_posts(current_user))


@bp.route("/posts/new", methods=["GET", "POST"])
@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def post_form(post_id: int | None = None):
    post = one_or_404(select(Post).where(Post.id == post_id)) if post_id else None
    form = PostForm(obj=post)
    regions = {r.id: r for r in all_regions()}
    form.region_id.choices = options([(r.id, r.full_name) for r in regions.values()])
    if form.validate_on_submit():
        data = {"code": form.code.data, "title": form.title.data, "region": regions.get(form.region_id.data),
                "levels": form.levels.data, "rank": form.rank.data, "usual_count": form.usual_count.data,
                "description": form.description.data}
        with attempt(form, renames={"region": "region_id"}) as done:
            saved = services.save_post(current_user, data, post)
        if done.ok:
            flash(_("岗位已保存"), "success")
            return redirect(url_for("appointments.posts", _anchor=f"post-{saved.code}"))
    return render_template("appointments/post_form.html", form=form, post=post)


@bp.route("/enterprises/profiles")
@role_required("admin", "bureau")
def enterprise_profiles():
    query, incomplete = request.args.get("q", ""), request.args.get("incomplete") == "1"
    page = paginate(enterprises.editable_enterprises(current_user, query, incomplete), request.args.get("page"))
    return render_template("appointments/enterprise_profiles.html", page=page, query=query, incomplete=incomplete)


@bp.route("/enterprises/<int:enterprise_id>/profile", methods=["GET", "POST"])
@role_required("admin", "bureau")
def enterprise_profile(enterprise_id: int):
    enterprise = enterprises.get_editable_enterprise(current_user, enterprise_id)
    form = EnterpriseProfileForm(obj=enterprise)
    if form.validate_on_submit():
        data = {"name": form.name.data, "industry_section": form.industry_section.data,
                "ownership": form.ownership.data, "honours": form.honours.data}
        with attempt(form) as done:
            enterprises.save_profile(current_user, enterprise, data)
        if done.ok:
            flash(_("企业信息已保存"), "success")
            return redirect(url_for("appointments.enterprise_profiles"))
    return render_template("appointments/enterprise_profile.html", form=form, enterprise=enterprise)
