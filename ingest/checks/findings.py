"""What a check reports: the rules, their severities, and one finding."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info")
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}

# id → (severity, what the rule checks). A rule may report a lower severity than its own when the
# printed figures leave room for doubt (a blank cell, a rounding difference).
RULES: dict[str, tuple[str, str]] = {
    "C01": (
        "error",
        "必备表齐全（收支总表、收入总表、支出总表、财政拨款收支总表、一般公共预算支出表、基本支出表、政府性基金表、“三公”经费表）",
    ),
    "C02": ("warning", "必备说明齐全（“三公”经费、机关运行经费、政府采购、绩效、国有资产）"),
    "T01": ("error", "表内小计等于分项之和（列）"),
    "T02": ("error", "表内类、款、项与合计行相符（行）"),
    "T03": ("error", "“三公”经费合计等于三项之和，公务用车费等于购置费加运行维护费"),
    "T04": ("error", "收支总表中总计等于本年合计加结转结余，财政拨款等于一般公共预算、政府性基金、国有资本经营之和"),
    "T05": ("warning", "表中金额的小数不超过单位允许的两位（元到分，万元到百元）"),
    "X01": ("error", "收支总表收入总计等于支出总计"),
    "X02": ("error", "各表总额相符（收支总表、收入总表、支出总表、一般公共预算支出表、基本支出表）"),
    "X03": ("error", "同一功能科目在各表中名称和金额相同"),
    "X04": ("warning", "机关运行经费不超过公用经费"),
    "X05": ("error", "绩效目标表中的项目资金不超过项目支出"),
    "N01": ("error", "说明中的金额与表中数字相符"),
    "N02": ("error", "说明中的金额单位（元、万元）与表中数字相符"),
    "N03": ("warning", "说明中的占比与其金额相符"),
    "N04": ("error", "说明中的增长率等于增减额除以上年数"),
    "N05": ("warning", "说明中的增减写明原因"),
    "N06": ("error", "说明中政府采购总额等于货物、工程、服务之和"),
    "N08": ("error", "说明中的增减额等于本年数减上年数"),
    "N07": ("error", "说明中逐项列出的科目（类、款、项）金额与表中该科目相符"),
    "S01": ("error", "说明没有拿本年与本年相比"),
    "S02": ("warning", "单位名称前后一致"),
    "S03": ("warning", "部门预算与单位预算的称谓相符"),
    "S04": ("info", "说明中没有重复的词"),
    "S05": ("warning", "说明中没有模板残留（“增加（减少）”“XX”“待填写”）"),
    "F01": ("warning", "决算数偏离预算数较大时写明原因"),
    "F02": ("error", "年初预算为0时不说“完成年初预算的百分之几”"),
    "Z01": ("warning", "核对程序本身出错时，说明哪部分规则没有运行"),
}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str  # error | warning | info
    message: str  # Chinese, naming the figures, tables and pages
    pages: tuple[int, ...]

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"unknown rule {self.rule!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}; expected one of {SEVERITIES}")
        if not self.pages:
            raise ValueError(f"finding {self.rule} names no page")
