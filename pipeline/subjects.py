"""Acting bodies (实施主体) of a 款, as spans of its text (guidelines section 2).

A body is found from the head of its name (部门, 机关, 机构, 人民政府 …) and extended to the left over the
modifiers the name carries (县级以上地方人民政府…, 国务院…, 省、自治区、直辖市…), up to the word that opens
the phrase (由, 经, 向, 应当 …). The words around a name then say whether the body acts here (由X责令, 经X批准,
X应当) or is only mentioned (按照X的规定, 拒绝X检查, 向X报告, 移送X). Rules, not a model: every word list
comes from the guidelines and from reading the train statutes and the corpus.

`find_subjects` reads the text of one 款 (pass `Provision.text_simplified` for a traditional statute: the
offsets are the same). `resolve_subject` says who acts in a 款 that names no body, from the statute around it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pipeline.lines import ITEM as ITEM_LABEL
from pipeline.lines import readable, to_number
from pipeline.models import Provision, ResolvedSubject, Span
from pipeline.refer import NUMERAL, REFERENCE_TO, analysed, breached, referenced

LOOKAROUND = re.compile(r"\(\?<?[!=][^)]*\)")


def _alternatives(*words: str) -> str:
    """One regex alternation, longest word first (lookarounds not counted) so that 报送 wins over 报."""
    return "|".join(sorted(words, key=lambda word: len(LOOKAROUND.sub("", word)), reverse=True))


# --- names -------------------------------------------------------------------------------------------------

HEAD = re.compile(
    r"人民政府|国务院|部门|机关(?!团体)|机构|委员会|办事处|派出所|税务所|人民警察|官方兽医|总指挥|办公室|人民银行|"
    r"海关(?:总署)?(?!法|报关|监管|手续|特殊|封志|业务)|(?<=执法)(?:总队|支队|大队)|"
    r"(?<![布格结大全当终])局(?!长|部|限|面|势)|(?<=[安政育法生输利业务化源境设通计健])厅|管理处(?!罚|分|理)"
)
GENERIC_HEADS = ("部门", "机关", "机构")
SENTENCE_END = re.compile(r"[。；;\n]")
CLAUSE_BREAK = re.compile(
    r"[，。；：！？\n“”‘’《》「」,;:]|^\s*[（(][一二三四五六七八九十]+[）)]|[（(]以下(?:简|统)?称", re.M
)
# Words that contain a character the boundary words below would cut at (经办机构, 所在地, 受灾地区 …).
PROTECTED = re.compile(
    r"土地利用|相当于|捕获|具体|无规定|经办|经营|经济|经常|经纪|到达港|污水处理|处理场|处置场|原办理|受灾|行政行为|许可证|从事|不动产|应急|自治|自然|有关|对外|见义勇为|"
    r"本(?:法|条例|规定|办法)(?=第[^，。；]{1,20}条[^，。；]{0,12}规定的)"
)
# Words that open the phrase a name stands in: the name starts after the last of them before its head.
# fmt: off
PREPOSITIONS = (
    "由", "向", "经", "报(?![告刊关])", "对", "将", "把", "被", "受(?!理)", "给予", "给", "(?<!所)在", "到", "除", "并",
    "再", "即", "而", "关于", "自", "应当", "可以", "必须", "须", "不得", "依法", "依照", "按照", "根据", "依据",
    "因", "是", "凭", "本法", "本条例", "本规定", "本办法", "未", "也", "又", "还", "及时", "如果", "为了", "同时",
    "分别", "定期", "优先", "参照", "另行", "积极", "充分", "从", "至", "获得", "获", "于", "送(?!达)",
    "(?<!外)交(?![通易流办])", "(?<![行作认成])为(?![主准止])", "经过", "按", "事先", "必要时", "是指",
    "(?<![相供适响反对])应(?![急用对])", "(?<!之)后(?![勤续])",
)
# fmt: on
APPLYING_VERB = "申请(?!人(?!工|民))"  # the verb, not 申请人 (the applicant); but 申请人民政府…, 申请人工繁育许可证
# Verbs before a name (告知X, 会同X, 拒不接受X).
# fmt: off
VERBS = (
    "会同", "征得", "征求", "提请", "请求", "接受", "通知", "责成", "责令", "指定", "指派", "组织", "交由",
    "移交", "移送", "送交", "报送", "报请", "报经", "上缴", "拒绝", "协助", "配合", "符合", "具备", "达到", "需要",
    "阻碍", "阻挠", "妨碍", "干涉", "冒充", "扰乱", "伪造", "买卖", "冲闯", "收购", "执行", "告知", "通报", "报告",
    "查处", "处理", "审核", "审查", "委托", "(?<!国务院)授权", "取得", "领导", "督促", "帮助", "提供", "服从", "遵守",
    "违反", "出示", "要求", "影响", "确定", "设立", "吊销", "鼓励", "列入", "纳入", "指导", "支持", "建立", "质询",
    "听取", "通过", "编制", "属于", "成立", "使用", "明确", "建议", "加强", "提交", "制定", "规定", "决定", "邀请",
    "设置", "参加", "涉及", "办理", "投诉", "承担", "提出", "受理", "作为", "推动", "协同", "超过", "引导", "推进",
    "结合", "印发", "适用", "担任", "实行", "发现", "承办", "加盖", "公布", "撤销", "宣传", "依托", "转送", "落实",
    "讨论", "安排", "行使", "完善", "载明", "交付", "抄送", "组成", "举办", "改变", "出具", "发挥", "实施", "召开",
    "利用", "完成", "联合", "组建", "健全", "变更", "提高", "实现", "用于", "聘请", "包括", "促进", "进入", "更换",
    "查获", "拒不", "列席", "超出", "开展", "调整", "研究", "约谈", "采取", "起草", "吸收", "整合", "协调", "采纳",
    "记录", "禁止", "参与", "扭送", "派驻", "知会", "接入", "扶持", "兴办", "悬挂", "商请", "转交", "交回", "交验",
    "(?<!负)有(?!关|权|[^，。；的]{0,4}权(?:限)?的)", "商同(?!级)", "持(?!有|续)", "验证", "核查", "到达",
    APPLYING_VERB,
)
# fmt: on
# Verbs that open a relative clause naming a body: 组织实施该项统计调查的调查机构, 受理申请的…部门.
RELATIVE_OPENERS = re.compile(r"组织|受理|审核|审查|审批|批准|核准|接受|颁发|核发|确定|指定|委托|授权|实施|行使")
DUTY = re.compile(r"负责(?!人)[^，。；、的]*的|承担[^，。；、的]*职责的")
# Verbs that name a body when they stand right before a generic head: 审查机关, 发证机关, 批准机关.
NAMING_VERBS = re.compile(r"审查|审核|审批|批准|登记|执法|决定|发证|处理|查处|确定|指定|授权|委托|协调|执行")
BOUNDARY = re.compile(
    r"(?:" + _alternatives(*VERBS) + r")(?!的|地的|方)|(?:" + _alternatives(*PREPOSITIONS) + r")(?!的)"
    r"|(?<!设区)(?<!地)(?<!权)的(?=设区的市|县级|省级|市级|国务院)|以(?![上下及])"
)
CONJ = re.compile(r"以及|及其|及|或者|或|和|与|、")
JOINING = ("及其", "及")
CONJ_BEFORE = re.compile(rf"(?:{CONJ.pattern})$")
PLACE_END = re.compile(r"(?:省|自治区|直辖市|自治州|市|区|县|旗|乡|镇|街道|[（(][市区县镇、]+[）)])级?$")
PLACE_START = re.compile(r"^(?:省|自治区|直辖市|自治州|市(?!场)|区(?!域)|县|旗|乡(?!村)|镇|社区|国务院|设区的市)")
# A conjunct ending in a party or a thing is a noun of its own, not a modifier shared with the body after it
# (拖移至不妨碍交通的地点或者公安机关交通管理部门指定的地点).
PARTY_OR_THING_END = re.compile(
    r"(?:单位|人|者|属|企业|组织|团体|公司|职工|地点|场所|区域|设施|物品|车辆|货物|财物|资料|文件|"
    r"标准|范围|要求|条件|程序|期限|费用)$"
)
MAX_SHARED_MODIFIER = 6
BODY_CLAUSE_OPENER = re.compile(r"(?:管理|负责|检查|监督|联系|开设|实施|承担|委托|有(?!关))")
# A name that says its level or place names a body of its own, not a short reference to one named before.
LEVELLED = re.compile(r"人民政府|国务院|^(?:省|市|县|区|乡|镇|设区|自治区|直辖市)")
NOT_BODY = re.compile(
    r"^(?:机关|机构|部门|本机构|本部门|本机关|同一机构)$|国家机关$|人民法院|检察|审判|仲裁|人民代表大会|常务委员会|常委会|"
    r"专门委员会|调解委员会|^业主|债权人|^跨|跨部门|^法律|^法规|情形之一|\d|^军队|部队|军事|民委员会|(?<!事业)单位|企业(?!所在地|主管|管理)|"
    r"(?:分支|评估|检验|检测|金融|医疗|诊疗|公证|咨询|专业|培训|中介|认证|急救|教育|科研|研究|养老|托幼|复检|初检|"
    r"保险|代理|经纪|技术服务|技术|设计|销售|经营|生产|施工|出版|配置|决策)机构$|(?:从事|职责|资质|行为|规定|服务).*的机构$"
)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int


def _mentions(text: str) -> list[_Mention]:
    """Every body name in the text, longest reading: a head inside a longer name is not a name of its own."""
    masked = PROTECTED.sub(lambda m: "\u3007" * len(m.group()), text)
    found = [(_name_start(text, masked, head), head) for head in HEAD.finditer(text)]
    kept = [
        _Mention(start, head.end())
        for start, head in found
        if not any(s <= head.start() and head.end() < h.end() and h is not head for s, h in found)
        and not _opened(text, start, head.end())
    ]
    return sorted(kept, key=lambda m: m.start)


def _name_start(text: str, masked: str, head: re.Match[str]) -> int:
    """Where the name ending in `head` starts: after the last boundary word of its clause, then over the
    conjuncts that share its head (省、自治区、直辖市人民政府) but not over a body of its own (A和B)."""
    clause = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, head.start())), default=0)
    generic = head.group() in GENERIC_HEADS
    # A verb opening a relative clause (受理申请的…部门) and one that names a generic head (审查机关) stay in the name.
    # Nor does a verb inside the duty a 负责…的 or 承担…职责的 clause before the head states
    # (负责中小企业促进工作综合管理的部门, 区人民政府承担药品监管职责的部门).
    duty = next((m for m in DUTY.finditer(text, clause, head.start()) if head.start() - m.end() <= MAX_SHARED_MODIFIER),
                None)
    cuts = [
        m.end()
        for m in BOUNDARY.finditer(masked, clause, head.start())
        if not (RELATIVE_OPENERS.fullmatch(m.group()) and "的" in text[m.end() : head.start()]
                and not text.startswith("所在地的", m.end()))
        and not (duty and duty.start() <= m.start() < duty.end())
        and (m.end() < head.start() or not generic or not NAMING_VERBS.fullmatch(m.group()))
    ]
    start = max(cuts, default=clause)
    while start < head.start() and (text[start] in "的、" or text[start].isspace()):
        start += 1
    closing = [
        i for i, char in enumerate(text[start : head.start()], start) if char in "）)" and not _opened(text, start, i)
    ]
    if closing:
        start = closing[-1] + 1
    segments = _conjuncts(text, start, head.start())
    name_start = segments[-1][0]
    bare = segments[-1][0] == segments[-1][1] and generic
    for seg_start, seg_end, conj in reversed(segments[:-1]):
        left, right = text[seg_start:seg_end], text[name_start : head.start()]
        # 批准该规划大纲、规划的有关人民政府; but a party is not inside the clause of the body after it
        # (矿山企业、管理矿山企业的主管部门), while it may share a modifier (企业、事业单位的主管部门)
        inside_clause = (bool(left) and "的" in right and not HEAD.search(left)
                         and not (PARTY_OR_THING_END.search(left) and BODY_CLAUSE_OPENER.match(right)))
        if not (conj in JOINING or bare or (conj != "以及" and (_shares_head(left, right) or inside_clause))):
            break
        name_start = seg_start
        bare = False
    return name_start


def _opened(text: str, start: int, closing: int) -> bool:
    """Whether the bracket closing at `closing` was opened after `start`: 县（市、区）, not 普查办公室)和."""
    inside = text[start:closing]
    return inside.count("（") + inside.count("(") > inside.count("）") + inside.count(")")


def _conjuncts(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, conjunction after) of the conjuncts between `start` and the head at `end`."""
    out = []
    position = start
    for conj in CONJ.finditer(text, start, end):
        out.append((position, conj.start(), conj.group()))
        position = conj.end()
    out.append((position, end, ""))
    return out


def _shares_head(left: str, right: str) -> bool:
    """Whether `left`, joined by a conjunction, is a modifier of the same body: 市或者区…部门, 建设、土地…部门."""
    if not left or _ends_with_head(left) or PARTY_OR_THING_END.search(left):
        return False
    heads = list(HEAD.finditer(left))
    if PLACE_START.match(right):
        return PLACE_END.search(left) is not None
    modifier = left[heads[-1].end() :] if heads else left
    if heads and modifier.startswith("指定的"):  # 地方人民政府指定的城市道路、城市轨道交通有关部门: one body
        modifier = modifier.removeprefix("指定的")
    return len(modifier) <= MAX_SHARED_MODIFIER


# --- roles -------------------------------------------------------------------------------------------------

AGENT, WEAK, NONE = 2.0, 1.0, 0.0
"""A body that acts (由X决定), one that acts on a party's application or report (向X申请), one only mentioned."""

BY = re.compile(r"由$")
RULE_MAKING = re.compile(r"(?:办法|细则|式样|范围|条件|程序|步骤|目录)由$")
RULE_VERB = re.compile(r"^(?:会同[^，。；]*?)?(?:规定|制定)")
STANDARD = re.compile(r"标准|数额|费率")
REFERENCE_VERB = (
    r"(?:规定|制定|确定|公布|设立|设置|开具|出具|作出|认定|批准|核准|发布|通缉|通报寻查|掌握|受理|查封|扣押|冻结|授予|核定|"
    r"派出|组织实施|提供|管辖|颁发|核发|指定)"
)
REFERENCE = re.compile(
    r"^(?:的(?:规定|要求|统一|指挥|意见|责任|处罚决定|书面|负责人|主要负责人|有关规定)|"
    rf"(?:依法)?{REFERENCE_VERB}(?:(?:、|或者|和){REFERENCE_VERB})*的|"
    r"另有规定|有所掌握|规定(?![，。；]|$))"
)
ASSISTS = re.compile(r"^(?:应当|予以|积极)*(?:协助|配合)")
OFFICER = re.compile(r"(?:[（(][^）)]{0,8}[）)]|[）)])?(?:局长|负责人|主要负责人)")
LISTED_CONDITIONS = re.compile(r"(?:下列|以下)(?:情形|行为|情况|条件)[^：:\n]*[：:]\s*$")
ITEM = re.compile(rf"^\s*{ITEM_LABEL.pattern}", re.M)
PARTNER = re.compile(r"会同$")
GENERIC_PARTNER = re.compile(r"有关|等")
OBJECT = re.compile(
    r"(?:按照|依照|依据|根据|符合|具备|达到|遵守|服从|违反|执行|拒绝|拒不|阻碍|阻挠|妨碍|干涉|冒充|扰乱|冲闯|收购|影响|损毁|"
    r"被|(?<!接)受|(?<![针面])对|因|(?<![可予所])以|(?<![所存])在|关于|组织|通知|通报|告知|抄送|移送|移交|提供给|送交|"
    r"征求|督促|指派|委托|请求|领导|收到|自|设置|设立|配备|建立|明确|本法和|本条例和|(?:^|应当|拒不|加强|并)与)$"
)
UNAPPROVED = re.compile(r"(?:未|虽)经$")
APPROVAL = re.compile(r"经$")
APPROVAL_FAILS = re.compile(r"^(?:通知|责令|指出|调解|提请|催告)")
APPLICATION = re.compile(r"向$")
ONLY_TOLD = re.compile(r"^(?:报告|举报|求助|提供|请求|了解|征求|结清|要求|说明|反映|如实|提出(?![^，。；]*申请))")
SUBMISSION = re.compile(r"(?:(?<!通)报|报送|报请|提请|报经)$")
INTERNAL_APPROVAL = re.compile(r"^(?:批准后执行|批准后公布|批准后向社会公布|备案)")
ORDERED = re.compile(r"(?:责成|授权|是)$")
ACCESS = re.compile(r"(?:取得|接受|到|上缴|征得|交)$")
SUBJECT_START = re.compile(r"^(?:并|但|也|另|同时|必要时|其中|此外|但是|另外|其|还)?$")
NOT_A_CONDITION = re.compile(r"^(?:认为|发现|接到|收到|在)")
VIOLATOR = re.compile(r"^(?:[、和及或与][^，。；：]{0,25}?)?违反")


@dataclass(frozen=True)
class Role:
    name: str
    start: int
    end: int
    score: float


def find_roles(text: str) -> list[Role]:
    """Each mention with how directly it acts; bodies joined by 和 / 或者 / 、 share the words around them."""
    groups: list[list[_Mention]] = []
    for mention in _mentions(text):
        if groups and CONJ.fullmatch(text[groups[-1][-1].end : mention.start]):
            groups[-1].append(mention)
        else:
            groups.append([mention])
    roles: list[Role] = []
    lead = NONE
    for group in groups:
        score = _score(text, group[0].start, group[-1].end, lead, roles)
        if not PARTNER.search(clause_before(text, group[0].start)):
            lead = score
        roles.extend(Role(text[m.start : m.end], m.start, m.end, score) for m in group)
    return roles


def clause_before(text: str, start: int) -> str:
    clause = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    return text[clause:start]


def sentence_start(text: str, position: int) -> int:
    return max((m.end() for m in SENTENCE_END.finditer(text, 0, position)), default=0)


def clause_after(text: str, end: int) -> str:
    following = CLAUSE_BREAK.search(text, end)
    return text[end : following.start() if following else len(text)]


def _score(text: str, start: int, end: int, lead: float, earlier: list[Role]) -> float:
    """How directly the body at text[start:end] acts, from the words before and after it in its clause."""
    before, after = clause_before(text, start), clause_after(text, end)
    condition = after.endswith("的") and not after.startswith("的") and not NOT_A_CONDITION.match(after)
    only_mentioned = (
        "处分" in after or VIOLATOR.match(after) or ASSISTS.match(after) or OFFICER.match(text, end)
        or _fragment(text, start, end)
    )
    if only_mentioned or (after.startswith("是") and "的" in text[start:end]):  # …办理婚姻登记的机关是…: a description
        return NONE
    if PARTNER.search(before):
        return NONE if GENERIC_PARTNER.search(text[start:end]) else lead
    if BY.search(before):
        if RULE_MAKING.search(before) and RULE_VERB.match(after) and not STANDARD.search(before):
            return NONE
        return WEAK if condition else AGENT
    if REFERENCE.match(after) or OBJECT.search(before) or listed_condition(text, start):
        return NONE
    if UNAPPROVED.search(before):
        return WEAK
    if APPROVAL.search(before):
        return NONE if APPROVAL_FAILS.match(after) else WEAK if condition else AGENT
    if APPLICATION.search(before):
        applied = after.startswith("提出") and "申请" in text[sentence_start(text, start) : start]
        return NONE if (ONLY_TOLD.match(after) and not applied) or condition else WEAK
    if SUBMISSION.search(before):
        internal = INTERNAL_APPROVAL.match(after) and any(role.score >= AGENT for role in earlier)
        return NONE if internal else WEAK
    if ORDERED.search(before):
        name = text[start:end]  # X是…的牵头部门 describes X; …的机关是省…人民政府民政部门 names the body
        return NONE if before.endswith("是") and "的" in name and not LEVELLED.search(name) else AGENT
    if ACCESS.search(before):
        return WEAK
    if SUBJECT_START.match(before):
        return WEAK if condition else AGENT
    return WEAK


def not_a_body(name: str) -> bool:
    """Whether the name is no administrative body (a court, a firm, a bare 部门); the duty it states (负责中小企业
    促进工作…的部门) says nothing of its kind."""
    return NOT_BODY.search(DUTY.sub("负责的", name)) is not None


def _fragment(text: str, start: int, end: int) -> bool:
    """Whether the name is the tail of a coordinated relative clause: 从事生产、[经营的机构]."""
    if "的" not in text[start:end]:
        return False
    joined = CONJ_BEFORE.search(text, max(0, start - 2), start)
    return joined is not None and not _ends_with_head(text[: joined.start()])


def _ends_with_head(text: str) -> bool:
    return any(head.end() == len(text) for head in HEAD.finditer(text, max(0, len(text) - 4)))


def listed_condition(text: str, start: int) -> bool:
    """Whether `start` lies in an item of a list of conditions: 有下列情形之一的：（一）行政机关作出…."""
    first = ITEM.search(text)
    return first is not None and first.start() < start and LISTED_CONDITIONS.search(text, 0, first.start()) is not None


# --- public --------------------------------------------------------------------------------------------------


def acting_counts(text: str) -> tuple[int, int, int]:
    """How many mentions act directly (由X决定, X应当), how many on a party's application or report (向X申请), and
    how many bodies `find_subjects` names: whether a body acts on a party is what makes a 款 a power (guidelines
    section 1), so the classifier weighs these too."""
    roles = find_roles(text)
    return (sum(role.score >= AGENT for role in roles), sum(WEAK <= role.score < AGENT for role in roles),
            len(_acting(roles)))


def find_subjects(text: str) -> tuple[Span, ...]:
    """The acting bodies of this unit: each name once, where it acts most directly (the first such place)."""
    return tuple(Span(role.name, role.start, role.end) for role in _acting(find_roles(text)))


def _acting(roles: list[Role]) -> list[Role]:
    """The roles `find_subjects` lists, in text order."""
    best: dict[str, Role] = {}
    for role in roles:
        if not_a_body(role.name):
            continue
        kept = best.get(role.name)
        if kept is None or role.score > kept.score:
            best[role.name] = role
    acting = [role for role in best.values() if role.score >= WEAK]
    acting = [
        role for role in acting
        if not any(short_for(role.name, other.name) or _restated(role, other) for other in acting if other is not role)
    ]
    return sorted(acting, key=lambda role: role.start)


def _restated(role: Role, other: Role) -> bool:
    """Whether `role` and `other` name one body, one with a clause before it (管理专利工作的部门 … 进行处理的
    管理专利工作的部门), and `role` is the one not listed: the body is listed where it acts more directly, else
    where it is named first. A short reference that `short_for` already drops is left to it."""
    longer, shorter = (role, other) if len(role.name) > len(other.name) else (other, role)
    if not (longer.name.endswith(shorter.name) and longer.name[: -len(shorter.name)].endswith("的")):
        return False
    if short_for(shorter.name, longer.name):
        return False
    return (role.score, -role.start) < (other.score, -other.start)


def short_for(short: str, full: str) -> bool:
    """A short reference to a body also named in full: 受理申请的农业农村主管部门 for 县级以上…农业农村主管部门."""
    core = short.rsplit("的", 1)[-1]
    if LEVELLED.search(core):
        return False
    return len(core) >= 4 and len(core) < len(full) and full.endswith(core)


# --- who acts in a 款 that names no body ---------------------------------------------------------------------

STATUTE = r"本(?:法|条例|规定|办法|细则)"
# The clause on a statute's penalties, its body after it: 本法规定的行政处罚，由…决定;
# 违反本条例规定的行为，…没有规定的，由…实施行政处罚.
GENERAL_CLAUSE = re.compile(
    rf"{STATUTE}(?P<scope>[^。；，]{{0,60}}?)规定的(?:行政)?处罚(?:权)?[，,]?(?:除[^。]*?外[，,])?"
    rf"|违反{STATUTE}(?:的?有关)?规定的(?:违法)?行为[，,](?:[^。]*?[，,；;])?由"
    r"(?=[^。；，]{2,80}?(?:实施|作出|给予|进行|予以|依法|规定)(?:行政)?处罚(?:[。；;]|$))"
)
# …, its body before it: 城市管理综合执法部门依法对本条例规定的违法行为实施行政处罚;
# …执法总队…按照本条例的规定实施行政处罚.
BODY_FIRST_CLAUSE = re.compile(
    rf"(?:对(?:违反)?{STATUTE}[^。；，]{{0,20}}?行为|(?:按照|依照){STATUTE}的?(?:有关)?规定)"
    r"(?:实施|作出|给予|进行)(?:行政)?处罚(?=[。；，,;]|$)"
)
ARTICLE_RANGE = re.compile(rf"第({NUMERAL})条(?:至第({NUMERAL})条)?")
SANCTION = re.compile(r"罚款|处罚|警告|没收|吊销|暂扣|拘留|停产停业|责令关闭")
COMPETENT = re.compile(
    r"^[，,]?(?:(?:依照|根据|按照|依据)[^。；]*?[，,]|依法)?(?:统一|具体|分别)?(?:负责|主管|对[^。；]*?实施)[^。；]*?"
    r"(?:监督管理|管理|执法|监管|工作)"
)
VAGUE = re.compile(r"(?:^|人民政府|国务院)(?:有关|相关|其他)")
ALIAS = re.compile(r"^[（(]以下(?:简|统)?称为?“?(?P<alias>[^）)“”]+)”?[）)]")
# A sanction another law governs, and the body that law gives it (治安管理处罚法 2012 第九十一条: 治安管理处罚由县级以上
# 人民政府公安机关决定).
PUBLIC_ORDER = re.compile(
    r"(?:依法)?给予治安管理处罚|(?:依照|按照|根据)《?(?:中华人民共和国)?治安管理处罚法》?(?:的|有关)*规定(?:给予|予以)?(?:处罚|处理)"
)
PUBLIC_ORDER_LAW = "《中华人民共和国治安管理处罚法》"
POLICE = "公安机关"
MAX_HOPS = 3
Rule = Literal["public_order_law", "referenced", "general_clause", "competent_department", "breached"]
GOVERNMENT = re.compile(r"(?:人民政府|国务院)$")
ADMINISTRATION = re.compile(r"(?:人民政府|国务院|部门|机关|委员会|(?:管理|主管|监督检查|行政)机构|局|海关)$")
"""A body of the administration by its name (气象主管机构, 价格监督检查机构, 市、县公安局), not a party the finder read
as one (证券登记结算机构, 证券服务机构): only such a body of a breached 款 supervises its duty."""


def resolve_subject(provisions: Sequence[Provision], index: int) -> ResolvedSubject | None:
    """Who acts in `provisions[index]`, a 款 whose reading named no acting body (None when nothing says who).

    Tried in order, the more specific first: 公安机关 for a 款 whose only sanction is a 治安管理处罚 (that law gives
    it to the police whatever statute refers to it); the 款 it refers to (依照前款规定处罚, 本法第三十条), the
    statute's general clause on penalties (本法规定的行政处罚，由…决定; only for a 款 with a sanction), the
    competent department the statute names (…部门负责本行政区域内…的监督管理工作), and last the 款 whose duty it
    sanctions the breach of (违反本法第三十三条规定的).
    """
    provision, statute = provisions[index], tuple(provisions)
    return (_public_order(provision) or _referenced(statute, provision, MAX_HOPS, breaches=False)
            or _general_clause(statute, provision) or _competent(statute)
            or _referenced(statute, provision, MAX_HOPS, breaches=True))


def _public_order(provision: Provision) -> ResolvedSubject | None:
    """公安机关, by the 治安管理处罚法, for a 款 whose only sanction is one of its penalties (依法给予治安管理处罚;
    依照《中华人民共和国治安管理处罚法》的规定处罚): where the 款 sits says nothing of who decides it."""
    text = analysed(provision)
    found = PUBLIC_ORDER.search(text)
    if found is None or SANCTION.search(PUBLIC_ORDER.sub("", text).replace("刑事处罚", "")):  # 尚不够刑事处罚的
        return None
    return ResolvedSubject(POLICE, PUBLIC_ORDER_LAW, "public_order_law", found.start(), found.end())


def _resolved(provision: Provision, start: int, end: int, rule: Rule) -> ResolvedSubject:
    return ResolvedSubject(provision.text[start:end], provision.citation, rule, start, end)


def _referenced(statute: tuple[Provision, ...], provision: Provision, hops: int, breaches: bool
                ) -> ResolvedSubject | None:
    """The first body named by a 款 this one refers to, sanction references (依照…规定处罚) first; with `breaches`,
    the first body of the administration (`ADMINISTRATION`) named by a 款 whose duty this one sanctions the breach of
    (违反本条例第十七条规定的) instead. Those are asked last: the body a duty names (审批 by 原批准机关, 验收 by
    城市管理部门, the party 期货保证金存管机构) is seldom the one that sanctions, which the statute's general clause or
    competent department gives. A breached 款 that sets a sanction itself (违反前款规定，物业服务人为个人的，处警告)
    names the body that sanctions, and is asked first."""
    text = analysed(provision)
    references = sorted(REFERENCE_TO.finditer(text), key=lambda m: (m.group("basis") is None, m.start()))
    for reference in references:
        breach = breached(text, reference)
        for target in referenced(statute, provision, reference):
            said = analysed(target)
            if (breach and not SANCTION.search(said)) != breaches:  # a duty breached, not a sanction taken
                continue
            subjects = [subject for subject in find_subjects(said)
                        if not breaches or ADMINISTRATION.search(subject.text)]
            if subjects:
                return _resolved(target, subjects[0].start, subjects[0].end, "breached" if breaches else "referenced")
            if hops > 1 and target is not provision:
                found = _referenced(statute, target, hops - 1, breaches=False)
                if found:
                    return found
    return None


def _general_clause(statute: tuple[Provision, ...], provision: Provision) -> ResolvedSubject | None:
    """The body the statute's clause on its penalties names, for a 款 that sets a sanction."""
    if not SANCTION.search(analysed(provision)):
        return None
    for scope, found in _general_clauses(statute):
        if _covers(scope, provision.article):
            return found
    return None


@lru_cache(maxsize=8)
def _general_clauses(statute: tuple[Provision, ...]) -> list[tuple[str, ResolvedSubject]]:
    """(scope, body) of each clause on the statute's penalties (本法规定的行政处罚，由X决定; X对违反本条例的行为实施
    行政处罚), in text order; bodies a conjunction joins (X、Y按照各自的职权) are read as one."""
    clauses = []
    for candidate in statute:
        text = analysed(candidate)
        after, before = list(GENERAL_CLAUSE.finditer(text)), list(BODY_FIRST_CLAUSE.finditer(text))
        if not after and not before:
            continue
        # 由该处罚机关实施 points at a body named elsewhere; 由有关部门依法处罚 names none
        roles = [role for role in find_roles(text) if role.score >= AGENT and not role.name.startswith("该")]
        found: list[tuple[int, str, list[Role]]] = [
            (clause.start(), clause.group("scope") or "", _joined([r for r in roles if r.start >= clause.end()], text))
            for clause in after
        ] + [  # its body in the same sentence, or in the lead-in of the 项 it is (X履行下列职责：…（七）对违反…)
            (clause.start(), "", _joined([r for r in reversed(roles) if r.end <= clause.start()
                                          and "。" not in text[r.end : clause.start()]], text)[::-1])
            for clause in before
        ]
        clauses += [(scope, _resolved(candidate, group[0].start, group[-1].end, "general_clause"))
                    for _, scope, group in sorted(found, key=lambda clause: clause[0])
                    if group and not VAGUE.search(text[group[0].start : group[-1].end])]
    return clauses


def _joined(roles: list[Role], text: str) -> list[Role]:
    """The first of `roles` with those a conjunction joins to it, in the order given (forwards or backwards)."""
    group = roles[:1]
    for role in roles[1:]:
        first, last = sorted((group[-1], role), key=lambda role: role.start)
        if not CONJ.fullmatch(text[first.end : last.start]):
            break
        group.append(role)
    return group


def _covers(scope: str, article: int) -> bool:
    """Whether a general clause's scope (本法第一百一十五条至第一百三十八条 …) includes `article`; none covers all."""
    ranges = ARTICLE_RANGE.findall(scope)
    if not ranges:
        return True
    return any(to_number(low) <= article <= to_number(high or low) for low, high in ranges
               if readable(low) and readable(high or low))


@lru_cache(maxsize=8)
def _competent(statute: tuple[Provision, ...]) -> ResolvedSubject | None:
    """The department the statute's 总则 charges with its supervision: a department before a government, local
    (本行政区域) before national, earlier before later."""
    found: list[tuple[bool, bool, bool, int, Provision, int, int]] = []
    for order, candidate in enumerate(statute):
        text = analysed(candidate)
        general = any("总则" in chapter for chapter in candidate.chapters)
        for role in find_roles(text):
            sentence = SENTENCE_END.split(text[role.end :], maxsplit=1)[0]
            # 市药品监管部门、区…的部门（以下统称药品监管部门）负责…: the name the statute gives them all
            alias = ALIAS.match(sentence)
            start, end = (role.start, role.end)
            if alias:
                start, end = role.end + alias.start("alias"), role.end + alias.end("alias")
                sentence = sentence[alias.end() :]
            name = text[start:end]
            if role.score < AGENT or not COMPETENT.match(sentence) or not_a_body(name) or VAGUE.search(name):
                continue
            government = GOVERNMENT.search(name) is not None
            found.append((not general, government, "本行政区域" not in sentence, order, candidate, start, end))
    if not found:
        return None
    *_, provision, start, end = min(found, key=lambda item: item[:4])
    return _resolved(provision, start, end, "competent_department")
