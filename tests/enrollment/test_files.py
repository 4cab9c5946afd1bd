"""Documents (type by content, size), photos (re-encoded, EXIF stripped) and access-checked downloads."""
import io

import pytest
from PIL import Image

from lms.core.errors import ValidationFailed
from lms.enrollment.profiles import profile_of
from lms.enrollment.uploads import add_document, process_photo, save_photo, sniff, stored_path
from lms.extensions import db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (1600, 1200), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0131] = "secret-software"  # Software
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "PNG")
    return out.getvalue()


def test_sniffing_reads_content_not_names():
    assert sniff(PDF) == ("application/pdf", "pdf")
    assert sniff(_png()) == ("image/png", "png")
    assert sniff(_jpeg_with_exif())[0] == "image/jpeg"
    assert sniff(b"MZ\x90\x00 an exe renamed to .pdf") is None


@pytest.mark.parametrize("name, data, fragment", [
    ("简历.pdf", b"<html>not a pdf</html>", "只接受 PDF、JPEG 或 PNG"),
    ("证书.png", b"GIF89a....", "只接受 PDF、JPEG 或 PNG"),
    ("大文件.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "超过 5 MB"),
    ("空.pdf", b"", "请选择"),
])
def test_bad_documents_are_refused(make_cohort, make_trainee, make_application, name, data, fragment):
    application = make_application(make_cohort(), make_trainee())
    with pytest.raises(ValidationFailed) as error:
        add_document(application.user, application, name, data)
    assert fragment in error.value.fields["file"]
    assert application.documents == []


def test_document_is_stored_outside_static_and_only_reviewers_download_it(
        client, login, make_cohort, make_trainee, make_user, make_application):
    cohort = make_cohort()
    application = make_application(cohort, make_trainee())
    document = add_document(application.user, application, "../../学历证书.pdf", PDF)
    db.session.commit()
    assert document.filename == "学历证书.pdf" and document.content_type == "application/pdf"
    assert stored_path(document.path).read_bytes() == PDF
    url = f"/applications/{application.id}/documents/{document.id}"

    login(application.user)
    response = client.get(url)
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    response.close()
    for outsider in (make_trainee(), make_user("institution", scope=make_cohort().institution),
                     make_user("enterprise", scope=profile_of(application.user).enterprise)):
        client.post("/logout")
        login(outsider)
        assert client.get(url).status_code == 404
    client.post("/logout")
    login(make_user("institution", scope=cohort.institution))
    response = client.get(url)
    assert response.status_code == 200
    response.close()


def test_photo_is_reencoded_without_exif(make_trainee):
    original = _jpeg_with_exif()
    assert b"SpyCam" in original
    cleaned = process_photo(original)
    assert b"SpyCam" not in cleaned and b"secret-software" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG" and max(image.size) == 800 and not image.getexif()
    trainee = make_trainee()
    profile = save_photo(trainee, profile_of(trainee), _png())
    assert stored_path(profile.photo_path).read_bytes().startswith(b"\xff\xd8\xff")


def _huge_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # 48 megapixels, a few KB on disk
    return out.getvalue()


@pytest.mark.parametrize("data, fragment", [(PDF, "JPEG 或 PNG"), (b"\xff\xd8\xff garbage", "无法识别"),
                                            (b"", "请选择"), (_huge_png(), "像素过多")])
def test_bad_photos_are_refused(data, fragment):
    with pytest.raises(ValidationFailed) as error:
        process_photo(data)
    assert fragment in error.value.fields["photo"]


def _png_with_chunk(kind: bytes, inflates_to: int) -> bytes:
    """A 10 × 10 PNG carrying a compressed text (zTXt) or colour-profile (iCCP) chunk of `inflates_to` bytes."""
    import struct
    import zlib

    def chunk(name: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + name + data + struct.pack(">I", zlib.crc32(name + data))

    packed = zlib.compress(b"A" * inflates_to, 9)
    extra = chunk(kind, (b"Comment" if kind == b"zTXt" else b"icc") + b"\x00\x00" + packed)
    png = _png()
    return png[:33] + extra + png[33:]  # right after the signature and IHDR


@pytest.mark.parametrize("kind", [b"zTXt", b"iCCP"])
def test_a_photo_whose_chunk_inflates_to_50_mb_is_refused(make_trainee, client, login, kind):
    bomb = _png_with_chunk(kind, 50 * 1024 * 1024)
    assert len(bomb) < 100_000
    with pytest.raises(ValidationFailed) as error:
        process_photo(bomb)
    assert "过大的数据" in error.value.fields["photo"]
    trainee = make_trainee()
    login(trainee)
    response = client.post("/my/profile/photo", data={"photo": (io.BytesIO(bomb), "me.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "过大的数据" in response.get_data(as_text=True)
    db.session.expire_all()
    assert profile_of(trainee).photo_path is None


def test_a_pixel_bomb_between_pillows_warning_and_error_limits_is_refused():
    out = io.BytesIO()
    Image.new("1", (10000, 10000)).save(out, "PNG")  # 100 megapixels: Pillow only warns
    with pytest.raises(ValidationFailed) as error:
        process_photo(out.getvalue())
    assert "像素过多" in error.value.fields["photo"]


def test_an_application_holds_at_most_ten_documents(make_cohort, make_trainee, make_application, client, login):
    from lms.enrollment.uploads import DOCUMENTS_PER_APPLICATION

    application = make_application(make_cohort(), make_trainee())
    for n in range(DOCUMENTS_PER_APPLICATION):
        add_document(application.user, application, f"证明{n}.pdf", PDF)
    db.session.commit()
    with pytest.raises(ValidationFailed) as error:
        add_document(application.user, application, "再一个.pdf", PDF)
    assert "最多上传 10 个" in error.value.fields["file"]
    db.session.rollback()
    login(application.user)
    response = client.post(f"/my/applications/{application.id}/documents",
                           data={"file": (io.BytesIO(PDF), "再一个.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 422 and "最多上传 10 个" in response.get_data(as_text=True)
    db.session.expire_all()
    assert len(application.documents) == DOCUMENTS_PER_APPLICATION
