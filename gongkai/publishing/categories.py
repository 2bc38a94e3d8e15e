"""The standard catalog categories: 第二十条's fifteen items and 第二十一条's extras."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar


class _Node(Protocol):
    pk: int
    parent_id: int | None
    sort_order: int
    code: str


C = TypeVar("C", bound=_Node)

ARTICLE_20 = [
    ("20-01", "行政法规、规章和规范性文件"),
    ("20-02", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"),
    ("20-03", "国民经济和社会发展规划、专项规划、区域规划及相关政策"),
    ("20-04", "国民经济和社会发展统计信息"),
    ("20-05", "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果"),
    (
        "20-06",
        "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    ),
    ("20-07", "财政预算、决算信息"),
    ("20-08", "行政事业性收费项目及其依据、标准"),
    ("20-09", "政府集中采购项目的目录、标准及实施情况"),
    ("20-10", "重大建设项目的批准和实施情况"),
    ("20-11", "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"),
    ("20-12", "突发公共事件的应急预案、预警信息及应对情况"),
    ("20-13", "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"),
    ("20-14", "公务员招考的职位、名额、报考条件等事项以及录用结果"),
    ("20-15", "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"),
]
ARTICLE_20_ITEMS = "（一）（二）（三）（四）（五）（六）（七）（八）（九）（十）（十一）（十二）（十三）（十四）（十五）"

# 第二十一条: districted cities and counties (and their departments) / townships.
ARTICLE_21_CITY_COUNTY = [
    "市政建设",
    "公共服务",
    "公益事业",
    "土地征收",
    "房屋征收",
    "治安管理",
    "社会救助",
]
ARTICLE_21_TOWNSHIP = [
    "贯彻落实农业农村政策",
    "农田水利工程建设运营",
    "农村土地承包经营权流转",
    "宅基地使用情况审核",
    "土地征收",
    "房屋征收",
    "筹资筹劳",
    "社会救助",
]


def item_label(index: int) -> str:
    """（一） … （十五） for item `index` (1-based)."""
    labels = ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）", "（九）", "（十）",
              "（十一）", "（十二）", "（十三）", "（十四）", "（十五）"]  # fmt: skip
    return labels[index - 1]


def standard_categories() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i, (code, name) in enumerate(ARTICLE_20, start=1):
        rows.append(
            {
                "code": code,
                "name": name,
                "article": f"条例第二十条第{item_label(i)}项",
                "levels": "",
                "sort_order": i,
            }
        )
    for i, name in enumerate(ARTICLE_21_CITY_COUNTY, start=1):
        rows.append(
            {
                "code": f"21-c{i:02d}",
                "name": name,
                "article": "条例第二十一条",
                "levels": "city,county",
                "sort_order": 100 + i,
            }
        )
    for i, name in enumerate(ARTICLE_21_TOWNSHIP, start=1):
        rows.append(
            {
                "code": f"21-t{i:02d}",
                "name": name,
                "article": "条例第二十一条",
                "levels": "township",
                "sort_order": 200 + i,
            }
        )
    return rows


# Sub-categories a county department usually keeps, shipped as a default.
COUNTY_DEPARTMENT_DEFAULTS = {
    "20-01": [("20-01-01", "规范性文件"), ("20-01-02", "政策解读")],
    "20-02": [("20-02-01", "机构职能"), ("20-02-02", "领导信息")],
    "20-05": [("20-05-01", "办事指南"), ("20-05-02", "许可结果")],
    "20-06": [("20-06-01", "处罚依据"), ("20-06-02", "处罚决定")],
    "20-07": [("20-07-01", "部门预算"), ("20-07-02", "部门决算")],
}


def as_tree(categories: Iterable[C]) -> list[tuple[C, int]]:
    """`categories` in tree order, each once, with its depth: every category under its
    real parent (siblings by sort order and code), a category whose parent is not among
    them at the top."""
    unique = {c.pk: c for c in categories}
    children: dict[int | None, list[C]] = {}
    for c in unique.values():
        parent = c.parent_id if c.parent_id in unique else None
        children.setdefault(parent, []).append(c)
    for siblings in children.values():
        siblings.sort(key=lambda c: (c.sort_order, c.code))
    result: list[tuple[C, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for c in children.get(parent, []):
            result.append((c, depth))
            walk(c.pk, depth + 1)

    walk(None, 0)
    return result


def descendants(categories: Iterable[C], root: int) -> list[int]:
    """The pks of `root` and every category below it among `categories`."""
    by_parent: dict[int | None, list[int]] = {}
    for c in categories:
        by_parent.setdefault(c.parent_id, []).append(c.pk)
    found, todo = [root], [root]
    while todo:
        for child in by_parent.get(todo.pop(), []):
            if child not in found:
                found.append(child)
                todo.append(child)
    return found
