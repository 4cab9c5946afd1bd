"""The transcript: the person's download, and its public check page (what the QR code opens:
no login, the public check's own layout, the same verdict rules as a certificate's)."""
from __future__ import annotations

import io

from flask import render_template, request, send_file
from flask_login import current_user

from lms.ce import bp, claims, transcripts
from lms.ce.views import _year
from lms.extensions import csrf
from lms.verify.api import verify_limit
from lms.verify.labels import labels
from lms.web import role_required


@bp.route("/ce/transcript.pdf")
@role_required("trainee")
def transcript():
    issued = transcripts.transcript_for(current_user, _year())
    return send_file(io.BytesIO(transcripts.stored_pdf(issued)), mimetype="application/pdf", as_attachment=True,
                     download_name=transcripts.file_name(issued))


def _page(found, status: int = 200):
    words = labels()
    if found is None:
        return render_template("verify/unknown.html", L=words, lang=words["lang"]), 404
    return render_template("ce/transcript_check.html", L=words, lang=words["lang"], found=found,
                           v=transcripts.public_json(found)), status


@bp.route("/ce/transcripts/<number>")
@verify_limit
def transcript_check(number: str):
    response = _page(transcripts.check(number, request.args.get("t")))
    return response


@bp.route("/ce/transcripts/<number>/check-pdf", methods=["POST"])
@csrf.exempt  # public and anonymous: nothing to forge, the upload only reads
@verify_limit
def transcript_check_pdf(number: str):
    name, content = claims.read_upload(request.files.get("file"), 20 * 1024 * 1024)
    return _page(transcripts.check(number, None, content if name or content else None))
