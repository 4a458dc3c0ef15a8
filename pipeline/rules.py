"""The rule layer: what the statutes that define each power say it looks like, as patterns over a 款.

Each category's patterns come from the law that defines it (行政处罚法第九条 lists the kinds of
penalty, 行政强制法第九条 and 第十二条 the coercive measures and executions, 行政许可法第二条 and
第十二条 licensing) and from the guidelines' table. A pattern fires with a fixed confidence; blockers
remove what the guidelines exclude (criminal and civil liability, sanctions on officials, purpose and
definition clauses). The layer is exact where the wording is fixed and serves as weak labels over the
whole corpus for the learned models, which also take its hits as features.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.models import CATEGORIES


@dataclass(frozen=True)
class Rule:
    """One pattern that marks a category, with the confidence it earns and where the law says so."""

    name: str
    category: str
    pattern: re.Pattern[str]
    confidence: float
    basis: str


def _rule(name: str, category: str, confidence: float, basis: str, *alternatives: str) -> Rule:
    return Rule(name, category, re.compile("|".join(alternatives)), confidence, basis)


# Things named like powers that are not powers over parties.
NOT_COERCION = re.compile(r"强制(?:许可|性|保险|标准|报废|检定|召回|认证|淘汰|规范)")

RULES: tuple[Rule, ...] = (
    # 行政处罚法第九条: the kinds of administrative penalty.
    _rule("fine", "行政处罚", 0.9, "行政处罚法第九条第二项",
          r"(?<!加)处(?:以)?[^。；]{0,40}?罚款", r"并处[^。；]{0,30}罚款", r"罚款[^。；]{0,5}$"),
    _rule("warning", "行政处罚", 0.9, "行政处罚法第九条第一项",
          r"(?:给予|处以?)(?:口头)?警告(?![^。；]{0,12}处分)", r"警告(?:或者|，并处|并处|、)(?!记过)"),
    _rule("criticism", "行政处罚", 0.7, "行政处罚法第九条第一项", r"通报批评"),
    _rule("confiscation", "行政处罚", 0.9, "行政处罚法第九条第二项",
          r"(?<!被)没收(?:其)?(?:违法所得|非法财物|违法|用于|非法|专门用于)",
          r"(?<!被)没收[^。；，]{0,20}(?:工具|设备|物品|产品|食品|财物|车辆|犬只)"),
    _rule("revocation", "行政处罚", 0.9, "行政处罚法第九条第三项", r"吊销", r"暂扣"),
    _rule("demotion", "行政处罚", 0.7, "行政处罚法第九条第三项",
          r"降低资质等级", r"取消[^。；，]{0,10}资格", r"不予受理[^。；]{0,20}申请"),
    _rule("closure", "行政处罚", 0.9, "行政处罚法第九条第四项",
          r"责令(?:停产停业|停业整顿|停止营业|关闭|停业)", r"限制(?:从业|开展生产经营)"),
    _rule("detention", "行政处罚", 0.9, "行政处罚法第九条第五项",
          r"日以下拘留", r"日以上[^。；]{0,10}拘留", r"行政拘留", r"处[^。；]{0,10}拘留"),
    _rule("penalty-reference", "行政处罚", 0.7, "行政处罚法第四条",
          r"依照(?:前[两二三]?款|本条|本法|本条例|本规定|本办法|第[^。；]{1,12}[条款])[^。；]{0,30}(?:处罚|予以处罚)",
          r"依法(?:给予|予以)[^。；]{0,6}(?:行政)?处罚", r"给予[^。；]{0,6}行政处罚"),
    # 行政强制法第九条 (measures) and 第十二条 (execution).
    _rule("seizure", "行政强制", 0.85, "行政强制法第九条", r"查封|扣押|扣留|冻结|先行登记保存"),
    _rule("restraint", "行政强制", 0.85, "行政强制法第九条第一项",
          r"强制隔离|约束至酒醒|强制带离|强制检测|强行带离|拖移|拖至", r"限制[^。；，]{0,6}人身自由"),
    _rule("execution", "行政强制", 0.85, "行政强制法第十二条",
          r"加处罚款|滞纳金|拍卖|代履行|划拨(?:存款|汇款|[^。；]{0,6}账户)",
          r"强制拆除|强制执行|依法拆除|强制清除|强制收回"),
    # 行政许可法第二条、第十二条: approval of an activity otherwise forbidden.
    _rule("licence", "行政许可", 0.75, "行政许可法第二条、第十二条",
          r"许可证|予以许可|准予|核发|须经|行政许可", r"应当[^。；]{0,10}取得[^。；]{0,20}(?:许可|证|执照|资格|资质)",
          r"未经[^。；，]{0,25}(?:许可|批准|同意|核准)", r"经[^。；，]{0,25}(?:批准|核准)",
          r"应当[^。；]{0,6}经[^。；]{0,25}(?:批准|同意|审查|审批|核准)", r"申请[^。；]{0,20}(?:许可|批准)",
          r"颁发[^。；]{0,10}(?:证|执照)"),
    _rule("licence-word", "行政许可", 0.45, "行政许可法第二条", r"许可|批准|审批|核准"),
    # The guidelines' table for the remaining categories.
    _rule("levy", "行政征收", 0.7, "guidelines: 行政征收",
          r"征收[^。；，]{0,10}(?:税|费|土地|房屋|集体)|征用|征缴|征税|税款", r"收取[^。；]{0,20}费"),
    _rule("levy-word", "行政征收", 0.45, "guidelines: 行政征收", r"征收(?!机构)|缴纳[^。；]{0,20}(?:费|税|金)"),
    _rule("benefit", "行政给付", 0.7, "guidelines: 行政给付",
          r"救助|补助|抚恤|最低生活保障|待遇|津贴|补贴|给付|优待|供养|发放", r"支付[^。；]{0,12}(?:费用|金)"),
    _rule("inspection", "行政检查", 0.7, "guidelines: 行政检查",
          r"监督检查|现场检查|检查|抽查|查阅|复制|询问|抽样|巡查|调查取证|勘验",
          r"进入[^。；]{0,12}(?:场所|现场|区域)"),
    _rule("confirmation", "行政确认", 0.6, "guidelines: 行政确认",
          r"认定|鉴定|确认|核定|评定|事故责任|准予登记|予以登记|登记机关", r"办理[^。；]{0,10}登记",
          r"调查[^。；]{0,12}原因", r"出具[^。；]{0,10}证明"),
    _rule("confirmation-word", "行政确认", 0.45, "guidelines: 行政确认", r"登记|核实"),
    _rule("reward", "行政奖励", 0.8, "guidelines: 行政奖励", r"表彰|奖励|嘉奖", r"授予[^。；]{0,12}称号"),
    _rule("adjudication", "行政裁决", 0.75, "guidelines: 行政裁决",
          r"裁决", r"争议[^。；]{0,40}由[^。；]{0,30}(?:人民政府|部门)[^。；]{0,6}处理",
          r"处理[^。；]{0,10}纠纷", r"纠纷[^。；]{0,20}处理"),
    _rule("record-filing", "其他行政权力", 0.7, "guidelines: 其他行政权力", r"备案"),
    _rule("order-correction", "其他行政权力", 0.65, "guidelines: 其他行政权力",
          r"责令(?:其)?(?:改正|限期|停止|恢复|采取|整改|纠正|消除|退还|补)"),
    _rule("designation", "其他行政权力", 0.6, "guidelines: 其他行政权力",
          r"指定|划定|约谈|注销|收回", r"公布[^。；]{0,15}名单", r"撤销[^。；]{0,15}(?:许可|批准|登记|证|决定)"),
)

BLOCKERS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^为了[^。]*制定本(?:法|条例|规定|办法)"),  # purpose
    re.compile(r"^本(?:法|条例|规定|办法)(?:所称|中)[^。]*(?:是指|指)"),  # definitions
    re.compile(r"^本(?:法|条例|规定|办法)自[^。]*(?:起施行|施行)"),  # entry into force
)
CRIMINAL_OR_CIVIL = re.compile(r"^[^。；]*(?:依法追究刑事责任|依法承担(?:民事)?赔偿责任)[。；]?$")
ONLY_OFFICIALS = re.compile(r"处分")
# Punishments of the criminal law (刑法第三十三、三十四条), and the words that convict of a crime (定罪处罚, 数罪并罚,
# 犯前款罪, 以…罪论处): a 款 that says one and no administrative sanction is criminal liability, which the guidelines
# exclude, whatever else its wording looks like (刑法's 依照…的规定定罪处罚 read as a sanction by reference).
CRIMINAL_SENTENCE = re.compile(
    r"处[^。；]{0,20}(?:有期徒刑|拘役|管制|死刑|无期徒刑)|(?:并处|单处|判处)[^。；]{0,6}罚金"
    r"|定罪|数罪并罚|犯(?:前|本)[^。；，]{0,6}罪|规定之罪|罪论处"
)
ADMINISTRATIVE_SANCTION = re.compile(r"罚款|警告|吊销|暂扣|行政拘留|日以下拘留|日以上[^。；]{0,10}拘留|责令停产停业")


# A sentence that defines a term (X，是指…; 本条例所称X，是指…) or opens a list of definitions (本条例下列用语的
# 含义：). A 款 of such sentences alone confers no power, whatever the defined term names (最低生活保障家庭，是指…;
# 保税货物，是指经海关批准…): none of the 447 such units of the train gold carries a category. One that says more
# can (控制区是指…。在控制区内，…不得批准建设用地), so every sentence must define.
DEFINING = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十]+[）)]\s*)?[^，。；：]{1,40}[，,]?(?:是指|系指)"
    r"|^\s*本(?:法|条例|规定|办法|细则)[^。；：]{0,8}用语[^。；：]{0,3}(?:含义|定义)"
)
SENTENCE = re.compile(r"[^。；\n]+")


def defines_only(text: str) -> bool:
    """Whether a 款 has sentences and every one of them defines a term."""
    sentences = [match.group() for match in SENTENCE.finditer(text) if match.group().strip()]
    return bool(sentences) and all(DEFINING.match(sentence) for sentence in sentences)


# One sentence that allocates the general supervision of a field (…部门负责…的监督管理工作; …部门对…实施统一监督管理):
# no category by the project's convention (annotations/README.md), unless the 款 names a specific act on parties.
# Train gold: 74 such units without a category, 1 with one. 应当加强对…的监督管理 is a duty to inspect, not this.
SUPERVISION_ALLOCATED = re.compile(
    r"^[^。；;，,应]{2,50}(?:负责[^。；;，,]{0,50}监督管理(?:工作)?|对[^。；;，,]{0,50}实施(?:统一)?监督管理)。$"
)

# One sentence that only sets up a system (实行…制度, 建立健全…制度): no category by the guidelines. Train gold: 135
# units, none with a category; a licensing system (实行许可证制度) is the licence, as its annotators read it.
SYSTEM_SET_UP = re.compile(
    r"^(?![^。]*(?:许可|审批|审查|核准|批准))[^。；;，,]{0,40}(?:实行|建立|建立健全|推行|实施)[^。；;，,]{0,40}制度。$"
)

# One sentence that says what the statute applies to (…的，适用本条例): a scope clause, no category by the guidelines.
# Train gold: 218 units, none with a category.
SCOPE = re.compile(r"^[^。；;]*适用本(?:法|条例|规定|办法|细则)。$")


def confers_nothing(text: str) -> bool:
    """Whether a 款 only defines terms (`defines_only`), only allocates a field's supervision, only sets up a
    system or only says what the statute applies to."""
    flat = text.strip()
    return defines_only(flat) or any(form.match(flat) for form in (SUPERVISION_ALLOCATED, SYSTEM_SET_UP, SCOPE))


def criminal_sentence(text: str) -> bool:
    """Whether a 款 sets a criminal punishment and no administrative sanction (刑法第二百六十四条, say)."""
    return bool(CRIMINAL_SENTENCE.search(text)) and not ADMINISTRATIVE_SANCTION.search(text)


def sanction_by_reference(text: str) -> bool:
    """Whether a 款's only sanction is one it takes from another provision (依照前款的规定处罚)."""
    hits = rule_hits(text)
    return any(rule.name == "penalty-reference" for rule in hits) and not any(
        rule.category == "行政处罚" and rule.name != "penalty-reference" for rule in hits
    )


def rule_hits(text: str) -> list[Rule]:
    """The rules that fire on a 款, blockers applied."""
    flat = text.strip()
    if not flat or any(blocker.search(flat) for blocker in BLOCKERS) or CRIMINAL_OR_CIVIL.match(flat):
        return []
    unnamed = NOT_COERCION.sub("", flat)
    hits = [rule for rule in RULES if rule.pattern.search(unnamed if rule.category == "行政强制" else flat)]
    sanctions = [rule for rule in hits if rule.category == "行政处罚" and rule.name != "penalty-reference"]
    if ONLY_OFFICIALS.search(flat) and not sanctions:
        return []  # sanctions on officials inside the administration
    if any(rule.category == "行政处罚" and rule.confidence >= 0.9 for rule in hits):
        hits = [rule for rule in hits if rule.name != "order-correction"]  # 责令改正 beside a sanction is the penalty
    return hits


def rule_scores(text: str) -> dict[str, float]:
    """The rule layer's confidence for each category: the strongest rule that fired, else 0."""
    scores = dict.fromkeys(CATEGORIES, 0.0)
    for rule in rule_hits(text):
        scores[rule.category] = max(scores[rule.category], rule.confidence)
    return scores
