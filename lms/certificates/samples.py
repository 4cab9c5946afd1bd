"""Sample certificate data: template previews (`flask lms preview-certificate`), tests and
the rendering benchmark. The people and numbers are made up."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime

from lms.certificates.numbers import new_cert_no
from lms.certificates.render import CertificateData
from lms.certificates.signing import qr_claims, sign_detached, verify_url

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鑫斌宇浩凯晨瑞博文轩思远子涵欣怡梓萱雨泽俊熙"
MODULES = (("标准化法律法规与政策", 8), ("标准体系构建与实施", 12),
           ("企业标准化管理与标准化总监职责", 12), ("国际标准化与标准创新", 8), ("案例研讨与实践", 8))


def sample_data(index: int = 0, *, private_key=None, base_url: str = "http://127.0.0.1:5000",
                photo: bytes | None = None, holder_name: str | None = None) -> CertificateData:
    """A plausible certificate; with `private_key` its QR carries a real signed token."""
    rng = random.Random(index)  # noqa: S311 - a reproducible order, not a secret
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    name = holder_name or name
    issue = date(2026, 3, 5)
    valid_until = date(2029, 3, 4)
    cert_no = new_cert_no("SH", 2026, index + 1, rng=rng)
    id_number = f"310105{1970 + index % 30}{1 + index % 12:02d}{1 + index % 28:02d}{index % 1000:03d}X"
    claims = qr_claims(cert_no=cert_no, holder_name=name, issue_date=issue, valid_until=valid_until)
    token = sign_detached(claims, private_key) if private_key is not None else "unsigned..sample"
    return CertificateData(
        cert_no=cert_no, holder_name=name, gender=rng.choice("男女"), id_number=id_number,
        program_name="2026年上海市企业标准化总监高级研修班（第一期）", program_code="SD-ADV",
        institution_name="上海标准化人才培训中心（演示）", institution_code="SH-STC",
        issue_date=issue, valid_until=valid_until, verify_url=verify_url(base_url, cert_no, token),
        issued_at=datetime(2026, 3, 5, 2, 0, tzinfo=UTC), modules=MODULES, photo=photo)
