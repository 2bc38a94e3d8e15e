"""A realistic demo installation: a fictional county with its departments and townships.

Used by `manage.py seed_demo`. Idempotent: running it again updates the same agencies and
users. Later apps add their own demo records in their own `demo.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from stdnum.cn import uscc

from gongkai.orgs.models import Agency, Kind, Level, Membership, Role, User

DEMO_PASSWORD = "Gongkai@2026"  # noqa: S105 - printed on purpose for the demo
REGION = "339901"  # fictional region code: no real county uses it
COUNTY = "青山县"


def credit_code(seq: int) -> str:
    """A 统一社会信用代码 of an organ (机关, prefix 11) with a correct check character."""
    body = f"11{REGION}{seq:09d}"
    return body + uscc.calc_check_digit(body)


# code, name, street
DEPARTMENTS = [
    ("qsx-jyj", "青山县教育局", "文教路 18 号"),
    ("qsx-czj", "青山县财政局", "人民路 9 号"),
    ("qsx-zrzyj", "青山县自然资源和规划局", "环城北路 66 号"),
    ("qsx-lyj", "青山县林业局", "青峰路 12 号"),
    ("qsx-wjj", "青山县卫生健康局", "健康路 3 号"),
    ("qsx-rsj", "青山县人力资源和社会保障局", "人民路 21 号"),
    ("qsx-scjgj", "青山县市场监督管理局", "商贸街 8 号"),
    ("qsx-zjj", "青山县住房和城乡建设局", "建设路 50 号"),
]
TOWNSHIPS = [
    ("qsx-cgz", "青山县城关镇人民政府", "城关镇中山路 1 号"),
    ("qsx-dhx", "青山县东河乡人民政府", "东河乡东河街 2 号"),
    ("qsx-xsz", "青山县西山镇人民政府", "西山镇府前路 5 号"),
    ("qsx-nhz", "青山县南湖镇人民政府", "南湖镇湖滨路 7 号"),
]
# 机关代字 of each agency's letters (青教依申答〔2026〕1号 …).
DOC_ABBR = {
    "qsx": "青政",
    "qsx-jyj": "青教",
    "qsx-czj": "青财",
    "qsx-zrzyj": "青自然资规",
    "qsx-lyj": "青林",
    "qsx-wjj": "青卫健",
    "qsx-rsj": "青人社",
    "qsx-scjgj": "青市监",
    "qsx-zjj": "青住建",
    "qsx-cgz": "城政",
    "qsx-dhx": "东政",
    "qsx-xsz": "西政",
    "qsx-nhz": "南政",
}
# The demo tree stops at the county, so the county government's own 复议机关 (the city
# government above it, 行政复议法第二十四条) is entered; the city is fictional.
COUNTY_REVIEW = {
    "review_body": "云岭市人民政府",
    "court_name": "云岭市中级人民法院",
}
# The county government's online review channel (第二十二条第二款), named in letters
# delivered online by the agencies it reviews.
REVIEW_ONLINE_URL = "https://fuyi.qingshan.example/"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    agency: str
    role: str


def _contact(name: str, code: str, street: str, seq: int) -> dict[str, str]:
    short = code.split("-")[-1]
    return {
        "office_name": f"{name}办公室",
        "office_address": f"{COUNTY}{street}",
        "office_hours": "法定工作日 上午 8:30—12:00，下午 14:30—17:30",
        "office_phone": f"0000-8812{3400 + seq:04d}",
        "office_fax": f"0000-8812{3500 + seq:04d}",
        "office_email": f"gongkai@{short}.qingshan.example",
        "office_postcode": "339900",
    }


@transaction.atomic
def create_agencies() -> dict[str, Agency]:
    county, _ = Agency.objects.update_or_create(
        code="qsx",
        defaults={
            "name": "青山县人民政府",
            "parent": None,
            "level": Level.COUNTY,
            "kind": Kind.GOVERNMENT,
            "credit_code": credit_code(1),
            "is_supervising": True,
            "sort_order": 0,
            "office_name": "青山县人民政府办公室（县政务公开办）",
            "office_address": f"{COUNTY}人民路 1 号县行政中心 3 楼",
            "office_hours": "法定工作日 上午 8:30—12:00，下午 14:30—17:30",
            "office_phone": "0000-88120001",
            "office_fax": "0000-88120002",
            "office_email": "zwgk@qingshan.example",
            "office_postcode": "339900",
            "doc_abbr": DOC_ABBR["qsx"],
            **COUNTY_REVIEW,
        },
    )
    agencies = {"qsx": county}
    rows = [(c, n, s, Kind.DEPARTMENT, Level.COUNTY) for c, n, s in DEPARTMENTS] + [
        (c, n, s, Kind.GOVERNMENT, Level.TOWNSHIP) for c, n, s in TOWNSHIPS
    ]
    for seq, (code, name, street, kind, level) in enumerate(rows, start=2):
        agency, _ = Agency.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "parent": county,
                "level": level,
                "kind": kind,
                "credit_code": credit_code(seq),
                "is_supervising": False,
                "sort_order": seq,
                **_contact(name, code, street, seq),
                "doc_abbr": DOC_ABBR[code],
                "review_online_url": REVIEW_ONLINE_URL,
            },
        )
        agencies[code] = agency
    return agencies


# username, full name, agency code, role
STAFF = [
    ("admin", "系统管理员", "qsx", Role.ADMIN),
    ("aqgly", "安全管理员", "qsx", Role.SECURITY_ADMIN),
    ("sjgly", "审计管理员", "qsx", Role.AUDIT_ADMIN),
    ("zwgk_jd", "周文", "qsx", Role.SUPERVISOR),
    ("zwgk_fzr", "陈静", "qsx", Role.OFFICE_HEAD),
    ("jyj_jbr", "王芳", "qsx-jyj", Role.OFFICER),
    ("jyj_cs", "刘强", "qsx-jyj", Role.REVIEWER_FIRST),
    ("jyj_fs", "赵敏", "qsx-jyj", Role.REVIEWER_SECOND),
    ("jyj_zs", "孙伟", "qsx-jyj", Role.REVIEWER_FINAL),
    ("jyj_bm", "吴磊", "qsx-jyj", Role.CONFIDENTIALITY),
    ("jyj_fzr", "郑丽", "qsx-jyj", Role.OFFICE_HEAD),
    ("czj_jbr", "何云", "qsx-czj", Role.OFFICER),
    ("lyj_jbr", "林森", "qsx-lyj", Role.OFFICER),
    ("cgz_jbr", "马超", "qsx-cgz", Role.OFFICER),
]


@transaction.atomic
def create_staff(agencies: dict[str, Agency]) -> list[DemoLogin]:
    logins = []
    for username, full_name, agency_code, role in STAFF:
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.full_name = full_name
        if username == "admin":
            user.is_staff = True
            user.is_superuser = True
        user.save()
        Membership.objects.get_or_create(user=user, agency=agencies[agency_code], role=role)
        logins.append(DemoLogin(username, full_name, agencies[agency_code].name, str(role.label)))
    return logins


def create() -> list[DemoLogin]:
    """Create or refresh the demo installation and return the logins to print."""
    agencies = create_agencies()
    return create_staff(agencies)
