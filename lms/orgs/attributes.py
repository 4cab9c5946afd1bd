"""What statistics need to know about an enterprise: its industry (the sections of GB/T
4754-2017), its ownership and the standardization honours the seeds name. Columns on
Enterprise; bureaus edit them (lms.appointments.enterprises)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.core.enums import LabeledEnum


class Industry(LabeledEnum):
    """门类 (sections) of 国民经济行业分类 GB/T 4754-2017; the value is the section letter."""

    A = "A", _l("A 农、林、牧、渔业")
    B = "B", _l("B 采矿业")
    C = "C", _l("C 制造业")
    D = "D", _l("D 电力、热力、燃气及水生产和供应业")
    E = "E", _l("E 建筑业")
    F = "F", _l("F 批发和零售业")
    G = "G", _l("G 交通运输、仓储和邮政业")
    H = "H", _l("H 住宿和餐饮业")
    I = "I", _l("I 信息传输、软件和信息技术服务业")  # noqa: E741 - the standard's letter
    J = "J", _l("J 金融业")
    K = "K", _l("K 房地产业")
    L = "L", _l("L 租赁和商务服务业")
    M = "M", _l("M 科学研究和技术服务业")
    N = "N", _l("N 水利、环境和公共设施管理业")
    O = "O", _l("O 居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _l("P 教育")
    Q = "Q", _l("Q 卫生和社会工作")
    R = "R", _l("R 文化、体育和娱乐业")
    S = "S", _l("S 公共管理、社会保障和社会组织")
    T = "T", _l("T 国际组织")


class Ownership(LabeledEnum):
    STATE = "state", _l("国有")
    PRIVATE = "private", _l("民营")
    FOREIGN = "foreign", _l("外资")
    OTHER = "other", _l("其他")


class Honour(LabeledEnum):
    """Standardization honours the policies name (seed 000 示范先行; seed 001 工作原则)."""

    SHANGHAI_STANDARD = "shanghai_standard", _l("“上海标准”获评企业")
    PILOT = "pilot", _l("标准化试点示范单位")
    GOOD_CONDUCT = "good_conduct", _l("标准化良好行为企业")
    INNOVATION_AWARD = "innovation_award", _l("标准创新贡献奖")
    FORERUNNER = "forerunner", _l("企业标准“领跑者”")
    INNOVATION_BASE = "innovation_base", _l("技术标准创新基地")
