"""Power → entry name (事项名称): the violation a penalty sanctions, or the act a body performs.

List compilers name a penalty entry after its violation (对未取得食品生产经营许可从事食品生产经营活动的处罚) and other
entries after the act (食品生产许可, 扣留事故车辆, 办理养犬登记). The statute says the violation in the clause that
ends in 的 before the sanction, in the clause between a 违反…规定 lead and the body that sanctions it (违反本条例第N条
规定，擅自…，由…处…), or in each 项 under 有下列行为之一的; the act in the clause where the category's
own wording (the rule layer's patterns) occurs. A clause that only sets the occasion (…需要进行风险评估的,
…之日起三十日内) or the rule followed (依照《行政许可法》的规定, 按照各自职责) names no act and is passed over; with
no wording, the act is the first clause of the first sentence where a body acts, from its 应当 / 可以 or its name on
(由登记管理机关收缴登记证书和印章 → 收缴登记证书和印章). A licence is named after its permit or the activity the
approval allows or the conditions govern, or as the statute names it in the paperwork it requires (办理…许可手续)
(`licence_name`); a 款 of its procedure or validity, after the licence its article names; the clause saying who
imposes a statute's penalties after them (本条例规定的行政处罚). A penalty for no more than 违反前款规定 is named
after the breach of the one duty that 款 sets (禁止在公共场所晾晒物品 → 对在公共场所晾晒物品的处罚). A name is a
proposal: reviewers correct it in Label Studio.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pipeline.linear import words
from pipeline.lines import ITEM, SUBITEM
from pipeline.models import LICENSING, PENALTY
from pipeline.rules import RULES
from pipeline.subjects import APPLYING_VERB, CONJ, find_roles, sentence_start

CLAUSE_END = "，,；;。：:\n"
CLAUSE = re.compile(f"[^{CLAUSE_END}]+")
SENTENCE = re.compile(r"[^。]+。?")
SENTENCE_MARK = re.compile(r"[。；;]")
DUTY_SENTENCE = re.compile(r"[^。；;]+")  # a duty of its own: 应当维护…；…的，应当及时修复 sets two
DEFINITION = re.compile(r"[（(](?:以下|下称)[^（）()]*[）)]")  # （以下简称小型客船运输）: the statute's, not the name's
MAX_NAME = 100  # characters of the statute's words a name keeps; the rest is elided
SANCTION = r"(?:处|罚款|警告|没收|吊销|暂扣|拘留|责令|给予|予以|处罚|依照)"
OCCASION = re.compile(r"^(?P<act>[^。；;：:]*?)的[，,]")  # the first clause that ends in 的, whatever follows it
VIOLATION = re.compile(rf"{OCCASION.pattern}(?=[^。]*?{SANCTION})")  # …that a sanction follows in its sentence
REFERENCE_LEAD = re.compile(
    r"^(?:(?:违反|不符合|不执行|不遵守)(?:本|《[^》]+》)?(?:法|条例|规定|办法|细则)?(?:第[^，,]{1,20}?(?:条|款|项))*"
    r"(?:的)?(?:规定|要求)?[，,])+"
)
SANCTIONED_BY = re.compile(rf"(?P<act>[^。；;：:]*?)[，,](?=由[^。；;]*?{SANCTION})")
"""After a 违反…规定， lead, the act up to the body that sanctions it: 违反本条例第四十七条的规定，运营单位未按照
规定组织开展应急演练，由…责令限期改正."""
SANCTION_AFTER_LEAD = re.compile(rf"(?:由[^。；;]*?)?{SANCTION}")
"""违反本条例第二十条规定，由…责令… or 违反本条例第二十一条规定，责令限期改正: the lead is the violation."""
LEADING_ACT = re.compile(rf"(?P<act>[^。；;：:]+?)[，,](?=由[^。；;]*?{SANCTION})")
"""A sentence that opens with the act and goes on to the body that sanctions it, with no 的 or 违反 lead to mark it:
未经批准擅自取水，由水行政主管部门责令停止违法行为…; 广告客户或者广告经营者违反本条例规定，由工商行政管理机关…."""
EXCEPTING = re.compile(r"[，,]?除[^，,]*外$")  # …，除要求其依法承担相应的赔偿等责任外: what else follows, not the act
NAMES_A_SANCTION = re.compile(r"处罚|罚款|没收|吊销|拘留|暂扣")  # 本章规定的行政处罚，由…决定: which body, not an act
DUTY_WORD = re.compile(r"应当|必须|可以")
BARE_REFERENCE = re.compile(r"^违反(?:本款|本条)?(?:规定|要求)$")
"""违反规定的，责令改正…: the violation is of the duty the sentence before sets."""
DUTY = re.compile(
    r"(?P<who>[^，,；;。]*?)(?<!规定)"  # 法律规定必须使用注册商标的商品，必须申请…: the law's, not a duty of 法律
    r"(?:(?:应当|必须|(?<![相适供响对反答回效])应(?![急用对]))(?P<owed>[^，,；;。]+)|(?<!非)(?:不得|禁止|严禁)(?P<banned>[^，,；;。]+))"
)
LEADING_CONJUNCTION = re.compile(r"^(?:但|并且|并|且|而且|同时|也|还)")  # …，但不得出口: no one named
BEFORE_AN_OBJECT = re.compile(r"(?:在|于|对|向|从)$")  # 在禁止燃放烟花爆竹的区域，禁止销售…: a place, not a duty
NEGATED = re.compile(r"^(?:无|不|没有|非)")  # 应当无污损: its breach is no 未无污损
SEVERITY = re.compile(r"^(?:情节|(?:尚)?未构成犯罪|构成犯罪|数额|(?:有|没有)违法所得)")
"""情节轻微，未构成犯罪的，由…处…: a later sentence that grades the violation the sentence before names."""
ITEM_REFERENCE = re.compile(r"^违反(?P<where>第[^，,]{1,20}?(?:款|项))(?:的)?规定$")
LEAD_REFERENCE = re.compile(r"^违反(?P<law>本(?:法|条例|规定|办法|细则)|《[^》]+》)(?P<article>第[^，,第]{1,10}?条)")
"""违反本条例第二十一条规定，按照下列规定予以处罚：（一）违反第一项规定，由…: the 项's violation is 违反本条例第二十一条
第一项规定."""
REFERENCE_ONLY = re.compile(r"^(?:违反|不符合|不执行|不遵守)[^，,。]*?(?:规定|要求)$")
GENERAL_PENALTY = re.compile(
    r"^(?P<penalties>本(?:法|条例|规定|办法|细则|章|节)[^，,。；;]{0,40}?(?:规定|设定)的(?:行政)?处罚)"
)
"""本条例规定的行政处罚，由…按照职责分工决定: which body imposes the statute's penalties, named after them."""
NAMED_SANCTION = re.compile(r"(?:下列|以下)[^，,。；;]*?(?:罚款|拘留)")  # 依照下列规定处以罚款：
PREPOSITIONS = ("对", "对于")  # 对未经许可生产…的，由…: the statute's own 对 (as jieba cuts it: not 对外, 对方)
ITEMS_LEAD = re.compile(r"有下列(?:[^，,。]{0,8})?(?:行为|情形|情况)之一(?:的)?[，,：:]?")
ITEM_LABEL = re.compile(rf"^\s*(?:{ITEM.pattern}|{SUBITEM.pattern})\s*")  # （一） and 1. as the segmenter reads them
MODAL_WORD = re.compile(r"应当|可以|必须|(?<![所使用享拥持])有权|依法|负责(?!人)")  # not 负责人 (the person in charge)
TRAILING = re.compile(r"(?:(?<!为目)的|[；;。，,：:\s])+$")  # not the 的 of 以…为目的
OCCASION_END = re.compile(r"(?:的|时|后|前|期间|中|内)$")
REFERRAL = re.compile(
    r"(?:依照|按照|根据|依据|结合|违反)[^，,；;]*(?:规定|办法|要求|标准|职责|原则|分工|权限|程序|需要|情况|方案|预案)$"
)
DOING = re.compile(r"(?:时|中)$")  # an occasion that is the act itself when it holds the wording: 进行监督检查时
LIABILITY = re.compile(r"刑事责任|民事责任|赔偿责任|人民法院")  # 依法追究刑事责任: not what the body does
MODIFIES = re.compile(r"^[^，,；;。对]{0,4}的")
ACTING_LEAD = re.compile(r"(?:并|再)?由?")  # 由X责令…: X acts in the clause
REFERRAL_LEAD = re.compile(
    r"^(?:依据|依照|按照|根据)[^，,；;。并]*?(?:职权|职责|规定|权限|程序|标准|需要|情况|要求|办法|条件|原则)"
    r"(?!的|和|、|或|及|与|以|等)[，,]?"
)
"""The rule an act follows, not the act: 由X依据各自职权责令…, 按照国家有关规定给予表彰、奖励."""
GENERIC_RULE = re.compile(
    r"(?<![未不没])(?<!不能)(?<!未能)(?:依照|按照|根据|依据)"
    r"(?:国家和(?:省|本市)|国家|省|本市|国务院|前款|本(?:条例|办法|规定|法)的?)?(?:有关|相关)?"
    r"(?:法律、(?:行政)?法规(?:和国家有关)?的?)?"
    r"(?:规定(?:的?(?:程序|权限))?|(?:各自)?职责(?:分工|权限)?|(?:管理)?权限|法定程序|职权|实际情况|需要)"
    r"(?=[^，,；;。的和、或及与以等][^，,；;。]{3})(?!标准|要求|条件|范围|内容|数额|期限|时间|方式|权限|分工|程序)"
    r"(?![^，,；;。]{0,6}的)"
)
"""A rule that says only that there is one, inside an act (由X按照有关规定给予表彰奖励, 并按照规定报…备案): a
name leaves it out. Not a missed one (未按照规定, 不能按照规定), a specific one (依照《…》第N条), nor 规定 that
qualifies a noun (根据规定标准, 按照国家规定同类林地标准的二倍)."""
BODY_END = re.compile(r"(?:政府|部门|机关|机构|委员会|局|站|所|中心|队)$")
SHORTEST_ACT = 4  # characters: an act shorter than this (管理) says too little without its clause
PENALTY_SUFFIX = "的处罚"
PERMIT = (r"[《“]?[^，,。；;、《》“”的]{2,30}?"
          r"(?:许可证件|许可证|经营证|执照|证书|(?<![认验保凭签论查举印])证(?![件书明照号实金券]))[》”]?")
"""A permit or certificate, quoted or not: 《烟花爆竹道路运输许可证》, “卫生许可证”, 海域使用权证书, 导游证; not a
certification (计量认证), a proof (身份证明) or a deposit (保证金)."""
ISSUED_PERMIT = re.compile(rf"(?:核发|颁发|发放|发给)(?!的)(?P<permit>{PERMIT})(?!的)")
# not 取得…核发的许可证 or 到颁发许可证的部门: there the permit only says which one, or which body
WITHHELD = re.compile(r"不得|不予|禁止|停止|暂停")  # 不动产登记机构不得对有争议的林木林地发放权属证书
APPLIED_PERMIT = re.compile(
    rf"(?<![不未])(?:{APPLYING_VERB}|申领|领取)(?:并?取得|领取|办理|核发)?(?P<change>(?:变更或者)?换发|补发|变更|延续)?"
    rf"(?P<permit>(?!领取|取得|办理|核发){PERMIT})(?![》”]?[的后前时之])"
)  # the permit a party applies for (申请领取安全生产许可证, 申请换发…许可证); not 领取…许可证后 (an occasion) or
#    领取…许可证的单位
LISTED_ITEM = re.compile(rf"^\s*{ITEM.pattern}", re.M)
APPLIED_LICENCE = re.compile(
    r"(?<![不未])申请(?:取得|获得|办理|领取)?(?P<permit>(?!行政|有关|相关|相应|其他|上述|前述|延期|延续|变更|续期|"
    r"[该其此本并和或及与])"
    r"(?:(?!之日|决定|是否)[^，,。；;、《》“”的]){2,30}?许可)(?=的[，,]|[，,。；;])"
)
"""A licence a party applies for by its name, with no permit to it: 申请燃气供气站点许可的，应当… (燃气供气站点许可);
not the body's decision on the application (收到申请之日起30天内决定是否许可)."""
PROCEDURE = re.compile(r"申请|申领|受理|决定|日内|材料|条件|有效期|延续|换发|补发|许可证|证件|审查|核查|听证|送达")
"""What a 款 of a licence's procedure (申请, 受理, 材料, 条件, 决定 within N 日内), its permit or its validity (有效期,
延续) speaks of: such a 款 that names no licence belongs to the one its article names."""
PERMITS = PERMIT.replace("、", "")  # …清扫、收集、运输、处置服务许可证; 取水许可证、卫生许可证: one name
OBTAINED_PERMIT = re.compile(
    r"(?:应当|应|必须|须|并|[，,])(?:依法|按照[^，,。；;]{0,12}?规定)?(?:取得|领取|申领|办理)"
    r"(?:[^，,。；;]{0,40}?(?:颁发|核发|发放|签发|发给)的)?"
    rf"(?P<permit>{PERMITS}|[^，,。；;、《》“”的]{{2,30}}?许可)"
    r"(?=[》”]?(?:[，,。；;：:]|后[，,]?方可|$))"
)
"""The permit or licence a party must hold: 应当依法取得供热经营许可证, 经…批准，取得烟草专卖生产企业许可证,
取得注册执业证书后，方可…, 应当依法办理港口经营许可, 应当取得…部门颁发的文物拍卖许可证, 取得生活垃圾经营性清扫、
收集、运输、处置服务许可证 (a list is one permit here: what a party must hold is named whole)."""
# not a permit: 向安全生产许可证颁发管理机关申请领取安全生产许可证; nor a licence saying only that it is one
# (取得行政许可)
HANDLED = re.compile(
    r"(?<!在)办理(?P<licence>[^，,。；;、的]{2,30}?(?:许可|审批|批准|核准)(?:证|证件|证书)?"
    r"(?:(?:变更|注销|延续|换发|补发)(?:或者|、|和)?)*)(?:的)?手续(?![前时后])"
)
"""A licence the statute names by its paperwork: 办理临时用海审批手续 (临时用海审批), 办理采矿许可证注销手续; not
the paperwork of an occasion (在办理建设用地审批手续时, 办理…手续前)."""
APPROVING = re.compile(
    r"(?<![未不])(?:经(?!济|营|费|常|过|验|销|历|理)|报(?!告|送|纸)|由(?!于))[^。；;，,\n]{0,40}?(?P<word>批准|审批|核准|同意)"
    r"(?=后|并|或者|[，,。；;：:]|$)"
)
"""Where a body's approval is sought: 必须经…批准, 报国务院批准，由…核准后; not 未经批准, nor 经批准承担…的 (what
was approved)."""
APPLYING_TO = re.compile(r"(?<![未不])(?:提出|提交|递交)(?!的)[^。；;，,\n]{0,12}?申请(?:书)?(?=[，,。；;：:]|$)")
"""Where a party applies to a body: 应当向…提出书面申请."""
FRAMING = re.compile(r"^(?:对|凡)|的申请$")  # 对…的, 凡…的, …的申请: the words around an activity, not it
APPLIED_FOR = re.compile(rf"{APPLYING_VERB}|申领|申办")  # 单位和个人申请从事出版物零售业务: what follows is applied for
TRAILING_DUTY = re.compile(r"(?:应当|应|必须|须|需要|需|可以|事先|先行|依法|按照[^，,]{0,20}?规定|并)+$")
REASON = re.compile(
    r"^(?:因|为|由于|根据|依照|按照|具备|符合|具有|情形|情况|当|其中|除|未|不|但|期间|[一二三四五六七八九十]+、)|前提下$|规定$|日内|之日起"
)
# 因特殊原因, 为保护债权人利益, 在安全可控的前提下, 除国家另有规定外, 之日起十日内: why, when or by which rule
GENERIC_LICENCE = re.compile(
    r"有关|相关|相应|其他|^(?:上述|前述|该|其|此|本)|^(?:延期|延续|变更|续期|审核|审查|行政)?(?:审批|许可|批准|核准)"
)
# 办理有关审批手续, 办理环保等有关审批手续, 办理延期审批手续: which one, the 款 does not say
NOT_A_PERMIT = re.compile(
    r"申请|领取|取得|办理|携带|机关|部门|人员|工作|^(?:相应|相关|有关)?的?(?:行政|资质)?许可$|^(?:其|该|并)|^原?许可证件?$"
)  # 颁发许可证, 其许可证, 取得并随车携带…通行证: which permit, the 款 does not say
APPROVAL = r"(?P<word>许可|批准|审批|核准|同意)"
APPROVAL_WORD = re.compile(APPROVAL)
PERMITTED_ACTIVITY = (
    re.compile(
        rf"(?P<act>[^。；;：:，,]+?)的[，,](?P<between>[^。；;]{{0,40}}?(?:应当|应|须|必须)[^。；;]{{0,10}}?"
        rf"(?:经(?!营|济|费|常)|报(?!告)|向|取得|领取|申领|办理)[^。；;]{{0,40}}?){APPROVAL}"
    ),
    re.compile(
        rf"未经(?P<between>[^。；;，,]{{0,40}}?){APPROVAL}[，,]?(?:任何)?(?:单位和个人|单位或者个人|单位|个人|人)?"
        rf"不得(?P<act>[^。；;，,]+)"
    ),
)
"""The activity an approval is for: the clause ending in 的 before the duty to obtain it (…的，应当经…批准), or what
may not be done without it (未经批准，不得…)."""
APPROVED_ACTIVITY = (
    re.compile(rf"(?<![未不])经(?P<between>[^。；;，,]{{0,40}}?){APPROVAL}(?:后)?[，,](?:方)?可(?:以)?(?P<act>[^。；;，,：:]+)"),
    re.compile(
        rf"(?:^|。)(?P<act>[^。；;：:，,]+?)[，,](?P<between>(?:[^。；;：:]{{0,30}}?[，,])?(?:应当|应|须|必须)(?:[^。；;：:]{{0,20}}?[，,])?(?:报|经)"
        rf"[^。；;，,]{{0,40}}?){APPROVAL}"
    ),
    re.compile(rf"(?:^|。)(?P<act>[^。；;：:，,]+?)[，,](?P<between>(?:应当|应|须|必须)(?:依法)?取得(?:行政)?){APPROVAL}"
               rf"(?=[，,。；;]|$)"),
)
"""Where the statute says neither, nor names a permit: what may be done with the approval (经…批准，可以…), or the
clause that opens the sentence of the duty to obtain it (燃气经营者改动市政燃气设施，应当…报…批准; 从事食品生产、
食品销售、餐饮服务，应当依法取得许可)."""
NEEDING = re.compile(
    r"^(?:或者|以及|并且|并|和)?(?:因[^，,]{0,20}?(?:确需|确实需要|需要|需)|确需|确实需要|需要|需|申请(?:办理|领取)|"
    r"如果?(?:有特殊(?:情况|需要))?(?:确需|需要|需|必须)?)?(?:禁止)?"
    r"(?:擅自)?"
)
"""因特殊情况确需迁移古树名木的: the activity is 迁移古树名木; 或者出口…的: 出口…; 不得擅自停业: 停业; 如有特殊情况需要
临时改作他用: 临时改作他用."""
NOT_AN_ACTIVITY = re.compile(
    r"许可|批准|审批|核准|下列|应当|不能|不得|不准|期限|有效期|期满|届满|逾期|办结|以上|以下|以内|超过|不足|不满|不受|(?:时|前)$|"
    r"^(?!(?:设立|开办|成立|组建|筹建)(?!的)).*(?:单位|个人|企业)$"
)
"""An occasion (四十五日内不能办结的, 法律设立了行政许可的, 学习时间在三个月以上的, …确需改变时), a duty or a ban,
an exception (不受此限) or a party, not what is approved; but setting one up is (设立…的单位，必须经…批准)."""
CONDITIONED = re.compile(
    r"(?:^|[。，,])(?P<act>[^。；;：:，,]+?)(?:的)?[，,]?(?:都|均)?(?:应当|必须|须|应)(?:同时)?(?:具备|符合)(?:下列|以下)"
    r"[^。；;：:，,]{0,8}?条件"
)
"""A licence known only by the conditions it sets: 设立博物馆，应当具备下列条件 (设立博物馆许可)."""
ACTIVITY_WORDS = ("v", "vn")  # jieba's tags for a verb and a verbal noun: 设立博物馆, 经营增值电信业务
PARTY = r"(?:企业|单位|机构|组织|(?<!或)者|人员|个人|户|公民|法人|作坊|摊贩)"  # 供热企业, 食品摊贩: a party
PARTY_END = re.compile(PARTY + "$")
PARTY_DOING = re.compile(rf"^(?P<activity>.+)的[^的]*{PARTY}$")  # 从事出版物批发业务的单位: 从事出版物批发业务
APPLICANT = re.compile(r"(?P<activity>.{2,})申请人$")  # 河道采砂申请人: 河道采砂
APPLYING = re.compile(rf"^(?:申请|申领)?(?:从事|取得|{APPROVAL})?")  # 申请从事音像制品批发业务: 音像制品批发业务
APPROVAL_END = re.compile(r"(?:许可|审批|批准|核准)$")
PERMIT_END = re.compile(r"(?:证件|证|执照|证书)$")  # 取得烟草专卖零售许可证: 烟草专卖零售许可证核发
INTERNAL = "负责人"  # 经本行政机关负责人批准，可以延长: an approval inside the administration
APPROVAL_NAMES = {"许可": "许可", "批准": "审批", "审批": "审批", "同意": "审批", "核准": "核准"}
Required = Callable[[str], Sequence[str]]
"""What a 违反…规定 reference requires, as the statute words it (`pipeline.refer.required`)."""


def entry_name(text: str, category: str, item: str | None = None, required: Required = lambda reference: (),
               kindred: Sequence[str] = ()) -> str:
    """The name of the entry that `text` (a 款, or the lead-in of `item`, one of its 项) is the basis of; a penalty
    for no more than 违反前款规定 is named after the breach of what `required` says that reference requires, and a
    licence 款 of procedure or validity that names no licence (应当在收到申请之日起30个工作日内作出决定: `PROCEDURE`)
    after the licence the nearest of the `kindred` texts (the other 款 of its article, earlier ones first) names."""
    if category == PENALTY:
        act = violation(text, item)
        if act and REFERENCE_ONLY.match(act):
            act = breach_of(required(act)) or act
        if act:
            return f"对{_shortened(act)}{PENALTY_SUFFIX}"
        if general := GENERAL_PENALTY.match(text):
            return _shortened(general["penalties"])
    licence = None
    if category == LICENSING:
        licence = licence_name(item or text)
        if not licence and PROCEDURE.search(text):
            licence = next(filter(None, map(licence_name, kindred)), None)
    act = licence or _act(item or text, category) or _act(text, category) or _main_clause(item or text)
    return _shortened(GENERIC_RULE.sub("", act))


def licence_name(text: str) -> str | None:
    """A licence named as lists name them: the permit or certificate a body issues (核发《烟花爆竹道路运输许可证》:
    烟花爆竹道路运输许可证核发), else the activity that needs the approval, with the statute's word for it
    (设立…的，应当经…批准: 设立…审批; 未经许可，不得生产、经营烟花爆竹: 生产、经营烟花爆竹许可), else the permit a
    party applies for (or the licence, 申请燃气供气站点许可的), what the approval allows, or the activity whose
    conditions the 款 sets (设立博物馆，应当具备下列条件: 设立博物馆许可), the permit a party must obtain; failing all
    these, the activity of a sentence that seeks a body's approval or applies to it (修建水库的，由…批准: 修建水库审批),
    else the licence of any paperwork it names. The statute's own name of a licence in its paperwork
    (办理临时用海审批手续: 临时用海审批) comes second, after the permit issued. None when the 款 says none of these."""
    return (
        _permit(text, ISSUED_PERMIT) or _handled(text, fallback=False) or _approved(text, PERMITTED_ACTIVITY)
        or _permit(text, APPLIED_PERMIT) or _permit(text, APPLIED_LICENCE) or _approved(text, APPROVED_ACTIVITY)
        or _conditioned(text) or _permit(_lead_in(text), OBTAINED_PERMIT) or _sought(text, APPROVING)
        or _sought(text, APPLYING_TO) or _handled(text, fallback=True)
    )


def _handled(text: str, fallback: bool) -> str | None:
    """The first licence `text` names by its 办理…手续, unless it says only that there is one (办理有关审批手续). Before
    the activity it approves (`fallback` False), only one its clause does not withhold (不得办理施工许可手续: what the
    款 requires first is likelier its licence), that names more than a kind (采伐许可, 用地审批) and that no approval
    comes before in its sentence (经林业主管部门审核同意后，办理建设用地审批手续: the next body's licence)."""
    for match in HANDLED.finditer(text):
        licence = match["licence"]
        lead = _clause_lead(text, match.start())
        withheld = WITHHELD.search(lead) or "未" in lead
        kind_only = len(licence[: APPROVAL_WORD.search(licence).start()]) < 3
        after_approval = APPROVAL_WORD.search(text, text.rfind("。", 0, match.start()) + 1, match.start())
        if (fallback or not (withheld or kind_only or after_approval)) and not GENERIC_LICENCE.search(licence):
            return licence
    return None


def _sought(text: str, seeking: re.Pattern[str]) -> str | None:
    """The activity of the first sentence that seeks a body's approval (`seeking` APPROVING) or applies to it
    (APPLYING_TO: 举办幼儿园，举办者应当向…提出申请): the clause ending in 的 before it (修建水库的，由…批准), else the
    sentence's first clause that says no occasion or reason (集体林区的旅游开发，由…审核同意，报…批准; 设立分支机构
    必须经…审查批准), named with the approval's word or the first the 款 uses (许可 if none); not one that names a
    body (…主管部门在十日内提出审核意见，报…批准: the body's own step), an approval inside the administration
    (经本机关负责人批准), nor a party alone."""
    for sought in seeking.finditer(text):
        sentence = sentence_start(text, sought.start())
        clauses = [clause.strip() for clause in re.split(r"[，,]", text[sentence:sought.start()])]
        occasions = [clause for clause in clauses if clause.endswith("的")]
        plain = [clause for clause in clauses if not (OCCASION_END.search(clause) or REASON.search(clause))]
        act = occasions[-1] if occasions else (plain[0] if plain else "")
        act = TRAILING.sub("", NEEDING.sub("", TRAILING_DUTY.sub("", act)))
        act = APPLIED_FOR.split(FRAMING.sub("", act))[-1]
        if (len(act) < SHORTEST_ACT or NOT_AN_ACTIVITY.search(act) or PARTY_END.search(act) or ITEM_LABEL.match(act)
                or REASON.search(act) or APPROVAL_WORD.search(act) or DUTY_WORD.search(act)
                or INTERNAL in sought.group() or find_roles(act)):
            continue
        decision = APPROVAL_WORD.search(text)
        word = sought.groupdict().get("word") or (decision["word"] if decision else "许可")
        return _as_licence(act, APPROVAL_NAMES[word])
    return None


def _lead_in(text: str) -> str:
    """A 款 up to its first 项: a permit inside a listed condition (（一）…已取得土地使用权证书) is not the licence."""
    first = LISTED_ITEM.search(text)
    return text[: first.start()] if first else text


def _permit(text: str, pattern: re.Pattern[str]) -> str | None:
    """The first permit `pattern` finds that its clause does not withhold, without its quotation marks, named after
    what is done with it: 核发 unless the statute says a change (换发, 补发, 变更, 延续)."""
    for permit in pattern.finditer(text):
        if not NOT_A_PERMIT.search(permit["permit"]) and not WITHHELD.search(_clause_lead(text, permit.start())):
            name = permit["permit"].strip("《》“”")
            change = permit.groupdict().get("change")
            return name + change if change else _as_licence(name, "核发")
    return None


def _as_licence(activity: str, word: str) -> str:
    """`activity` named as lists name a licence: as it stands when it ends in 许可 / 审批 / 批准 / 核准, with 核发 after
    a permit (证, 执照, 证书), else with `word`, the statute's word for the approval."""
    if APPROVAL_END.search(activity):
        return activity
    return activity + ("核发" if PERMIT_END.search(activity) else word)


def _conditioned(text: str) -> str | None:
    """The activity whose conditions `text` sets (申请律师执业，应当具备下列条件: 律师执业许可), read past the party
    that must meet them (食品摊贩从事食品经营: 食品经营许可; 从事出版物批发业务的单位: 出版物批发业务许可); a party
    alone (房地产中介服务机构应当具备下列条件) names no activity."""
    for match in CONDITIONED.finditer(text):
        act = TRAILING.sub("", NEEDING.sub("", match["act"].strip()))
        if len(act) < SHORTEST_ACT or not (found := _conditioned_activity(act)):
            continue
        applying = APPLYING.match(found)
        activity = found[applying.end():].strip("《》“”")
        if len(activity) < 2:
            continue
        return _as_licence(activity, APPROVAL_NAMES[applying["word"] or "许可"])
    return None


def _conditioned_activity(act: str) -> str | None:
    """The activity of `act`, the clause before 应当具备下列条件: all of it when it opens with a verb, what a party
    does (its 从事…的, or what follows its name: 经营者取得线路经营权), or what an applicant applies for; None for
    a party alone. jieba's tags tell a verb from a name (设立技术交易服务机构 is an activity, 房地产中介服务机构 a
    party)."""
    from jieba import posseg  # its tables take ~0.4 s to load: only a 款 that sets conditions pays for them

    if applicant := APPLICANT.match(act):
        return applicant["activity"]
    party = ""
    for token in posseg.cut(act):  # a party's name may come first: the activity opens at the first verb after it
        if not party or PARTY_END.search(party):
            rest = act[len(party):]
            if token.flag in ACTIVITY_WORDS and (doing := PARTY_DOING.match(rest)):
                return doing["activity"]
            if party and "的" in rest:  # 水路运输经营者投入运营的船舶: conditions on a thing, not an activity
                return None
            if token.flag == "v" or (token.flag in ACTIVITY_WORDS and not PARTY_END.search(rest)):
                return rest
        party += token.word
    return None


def _approved(text: str, patterns: Sequence[re.Pattern[str]]) -> str | None:
    """The first activity one of `patterns` reads as needing an approval, named with the statute's word for it."""
    for pattern in patterns:
        for match in pattern.finditer(text):
            act = TRAILING.sub("", NEEDING.sub("", match["act"].strip()))
            if len(act) >= SHORTEST_ACT and not NOT_AN_ACTIVITY.search(act) and INTERNAL not in match["between"]:
                return act + APPROVAL_NAMES[match["word"]]
    return None


def violation(text: str, item: str | None = None) -> str | None:
    """The violation a penalty 款 (or one of its 项) sanctions, in the statute's words, or None. A 项 is a violation
    (under 有下列行为之一的), or one with its own sanction (（一）擅自采石的，由…处…), whose violation clause is
    taken."""
    if item is None:
        return sanctioned_violation(text)
    body = TRAILING.sub("", ITEM_LABEL.sub("", item))
    act = sanctioned_violation(body) or body
    if (where := ITEM_REFERENCE.match(act)) and (lead := LEAD_REFERENCE.match(text)):
        return f"违反{lead['law']}{lead['article']}{where['where']}规定"
    return act or None


def names_violation(lead: str) -> bool:
    """Whether a 款's lead-in names a violation, or the sanction, of its own, not only the provisions violated:
    …导致发生生产安全事故的，由…依照下列规定处以罚款： does (its 项 are the tiers of one violation's fine);
    违反本条例第二十一条规定，按照下列规定予以处罚： does not (its 项 are the violations)."""
    acts = [_occasion_act(lead), _marked_violation(lead) or ""]
    return any(act and not REFERENCE_ONLY.match(act) for act in acts) or bool(NAMED_SANCTION.search(lead))


def sanctions_own(item: str) -> bool:
    """Whether a 项 names a violation and the sanction that follows it (（一）擅自采石的，由…处…), not a violation
    alone."""
    return _marked_violation(ITEM_LABEL.sub("", item).strip()) is not None


def sanctioned_violation(text: str) -> str | None:
    """The violation `text` sanctions, read in the first sentence that names one before the sanction that follows it
    (the second of 出租人应当配合…。出租人拒不配合的，由…处…), or None."""
    sentences = SENTENCE.findall(text)
    for number, sentence in enumerate(sentences):
        if act := _sentence_violation(sentence):
            return _read_after(sentences[number - 1], act) if number else act
    return None


def _read_after(before: str, act: str) -> str | None:
    """A later sentence's violation read with the sentence before it: a bare 违反规定 is the breach of the duty that
    sentence sets; a grade (情节轻微，未构成犯罪的) or a sanction named is of the violation that sentence names."""
    if BARE_REFERENCE.match(act):
        return _breach(before) or act
    if SEVERITY.match(act) or NAMES_A_SANCTION.search(act):
        return _without_preposition(_occasion_act(before)) or None
    return act


def _occasion_act(text: str) -> str:
    """The first clause of `text` that ends in 的, without its 违反…规定 lead ("" when there is none)."""
    occasion = OCCASION.search(text)
    return REFERENCE_LEAD.sub("", occasion["act"]).strip() if occasion else ""


def breach_of(required: Sequence[str]) -> str | None:
    """The breach of what `required` (the 款 or 项 a 违反…规定 refers to) requires, when they set one duty between
    them, or None: of 禁止在公共场所的地面上晾晒物品。 it is 在公共场所的地面上晾晒物品."""
    duties = [sentence for text in required for sentence in DUTY_SENTENCE.findall(text) if DUTY.search(sentence)]
    breach = _breach(duties[0]) if len(duties) == 1 else None
    return _without_preposition(breach) if breach else None


def _breach(sentence: str) -> str | None:
    """The breach of the first duty `sentence` sets: 供电企业应当保障… → 供电企业未保障…; 不得X, 禁止X → X (when X
    alone says too little, with who may not, 建成后不得擅自停用, or the clauses after it, 禁止未经批准，新建…). A duty
    that names no one is read with the clauses that open its sentence: 从事动物诊疗活动，必须具备… → 从事动物诊疗活动，
    未具备…."""
    for duty in DUTY.finditer(sentence):
        if BEFORE_AN_OBJECT.search(duty["who"]):
            continue
        who = LEADING_CONJUNCTION.sub("", duty["who"].strip())
        if duty["owed"]:
            if NEGATED.match(duty["owed"]):
                return None
            breach = f"{who}未{duty['owed']}"
        elif (rest := TRAILING.sub("", sentence[duty.end() :])) and not DUTY.search(rest) and (
            len(duty["banned"]) < 2 * SHORTEST_ACT or OCCASION_END.search(duty["banned"])
        ):  # 禁止未经批准，新建…; 禁止以…为目的，临时更换…: the clauses after it say what
            breach = duty["banned"] + rest
        elif len(duty["banned"]) < 2 * SHORTEST_ACT:
            breach = f"{who}{duty['banned']}"
        else:
            breach = duty["banned"]
        breach = TRAILING.sub("", breach).strip()
        opening = "" if who else TRAILING.sub("", sentence[: duty.start()]).strip()
        return f"{opening}，{breach}" if opening and breach else breach or None
    return None


def _sentence_violation(text: str) -> str | None:
    """The violation one sentence names before the sanction that follows it, or None: as `_marked_violation` reads it,
    else the clauses that open the sentence, up to the body that sanctions it, when they are not an occasion, a duty
    or a sanction named (本法规定的行政处罚，由…决定)."""
    if act := _marked_violation(text):
        return act
    match = LEADING_ACT.match(text)
    act = EXCEPTING.sub("", match.group("act")).strip() if match else ""
    return None if _names_no_act(act) else _without_preposition(act) or None


def _marked_violation(text: str) -> str | None:
    """The violation `text` marks as one before the sanction that follows it in the same sentence, or None: the clause
    ending in 的 (its 违反…规定 lead dropped when something is left), else the clause after such a lead, up to the body
    that sanctions it, else the lead itself when the body follows it at once (违反本条例第二十条规定，由…)."""
    if match := VIOLATION.search(text):
        whole = _after_duties(match.group("act").strip())
        act = REFERENCE_LEAD.sub("", whole).strip()
        act = whole if not act or ITEMS_LEAD.fullmatch(act + "的") else act
    elif lead := REFERENCE_LEAD.match(text):
        if match := SANCTIONED_BY.match(text, lead.end()):
            act = match.group("act").strip()
        elif SANCTION_AFTER_LEAD.match(text, lead.end()):
            act = TRAILING.sub("", lead.group())
        else:
            return None
    else:
        return None
    return _without_preposition(act) or None


def _after_duties(clauses: str) -> str:
    """The clauses after the last one that sets a duty and is followed by the 对 of a violation: 市城市管理部门应当加强…
    监督，对年供电可靠率低于国家规定 → the second."""
    parts = re.split(r"[，,]", clauses)
    duties = [number for number, part in enumerate(parts[:-1])
              if DUTY_WORD.search(part) and not part.startswith("对") and parts[number + 1].startswith("对")]
    return "，".join(parts[duties[-1] + 1 :]) if duties else clauses


def _names_no_act(clauses: str) -> bool:
    """Whether the clauses before a sanctioning body are too short, an occasion, a duty or a sanction named."""
    return len(clauses) < SHORTEST_ACT or bool(
        NAMES_A_SANCTION.search(clauses) or OCCASION_END.search(clauses) or DUTY_WORD.search(clauses)
    )


def _without_preposition(act: str) -> str:
    """The violation without the 对 that introduces it in the statute (the name adds its own)."""
    if act.startswith(PREPOSITIONS) and (first := words(act[:8])[0]) in PREPOSITIONS:
        return act[len(first):]
    return act


def _act(text: str, category: str) -> str | None:
    """The act in the first clause that holds `category`'s wording (as the rule layer knows it) and says what is done,
    not when: an occasion (…的, …后) or the rule followed (依照…规定) is passed over, but an occasion that is the act
    itself (进行监督检查时) is the act; else the first clause with the wording."""
    hits = sorted(
        (match for rule in RULES if rule.category == category for match in rule.pattern.finditer(text)),
        key=lambda match: match.start(),
    )
    clauses = [(*_clause(text, match.start(), match.end()), match.start()) for match in hits]
    for start, end, wording in clauses:
        if not _occasion(text[start:end]):
            return _from_verb(text, start, end, wording)
        if doing := DOING.search(text[start:end]):
            return _from_verb(text, start, start + doing.start(), wording)
    return _from_verb(text, *clauses[0]) if clauses else None


def _main_clause(text: str) -> str:
    """The first clause in which a body does something (its 应当 / 可以 …, 由X…, or X… at the clause's start), from
    the verb on, passing over occasions, referrals, bare body names and liabilities (追究刑事责任); else the first
    clause that is none of those."""
    body = ITEM_LABEL.sub("", text).strip()
    spans = [match.span() for match in CLAUSE.finditer(body) if match.group().strip()]
    said = [(start, end) for start, end in spans if not (_occasion(body[start:end]) or _only_bodies(body[start:end]))]
    # only in the sentence of the first clause that says something: a body acting in a later one does another act
    stop = next((mark.start() for mark in SENTENCE_MARK.finditer(body, said[0][1])), len(body)) if said else 0
    for start, end in (span for span in said if span[1] <= stop):
        clause = body[start:end]
        if LIABILITY.search(clause):
            continue
        modal = list(MODAL_WORD.finditer(clause))
        lead = clause[: modal[-1].start()].strip() if modal else None
        if lead == "" or (lead and BODY_END.search(lead)):
            act = _from_verb(body, start, end, end)
        else:
            act = _after_acting_body(clause)
        if act and len(act) >= SHORTEST_ACT and not REFERRAL.match(act):  # 根据抢险需要: the rule, not the act
            return act
    start, end = (said or spans or [(0, len(body))])[0]
    return TRAILING.sub("", body[start:end])


def _after_acting_body(clause: str) -> str | None:
    """What a body the clause opens with does (由市场监督管理部门责令其退回 → 责令其退回), or None."""
    roles = find_roles(clause)
    if not roles or not ACTING_LEAD.fullmatch(clause[: roles[0].start].strip()):
        return None
    end = roles[0].end
    for role in roles[1:]:  # 由村民选举委员会或者乡、镇人民政府宣布…: past every body the conjunctions join
        if not CONJ.fullmatch(clause[end : role.start]):
            break
        end = role.end
    rest = clause[end:]
    if not rest or rest[0] in "的和与及、或（(" or MODIFIES.match(rest):  # …部门规定的特殊建设工程: a noun it modifies
        return None
    return _trimmed(REFERRAL_LEAD.sub("", rest))


def _only_bodies(clause: str) -> bool:
    """Whether a clause only names who acts, its predicate after the comma (国务院价格主管部门和其他有关部门，按照…制定
    政府指导价): body names and the conjunctions between them, nothing else."""
    roles = find_roles(clause)
    edges = [0, *(edge for role in roles for edge in (role.start, role.end)), len(clause)]
    rest = "".join(clause[start:end] for start, end in zip(edges[::2], edges[1::2], strict=True))
    return bool(roles) and not CONJ.sub("", rest).strip()


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of `text` around text[start:end]: from after the previous clause mark to the next one."""
    begin = max(text.rfind(mark, 0, start) for mark in CLAUSE_END) + 1
    ends = [position for mark in CLAUSE_END if (position := text.find(mark, end)) >= 0]
    return begin, min(ends) if ends else len(text)


def _clause_lead(text: str, position: int) -> str:
    """What comes before `position` in its clause: where a clause withholds what follows (不得核发, 未办理)."""
    start, _ = _clause(text, position, position)
    return text[start:position]


def _occasion(clause: str) -> bool:
    """A clause that sets when, or by which rule, an act happens, not the act (…的, …时, …之日起三十日内,
    应当按照各自职责)."""
    clause = clause.strip()
    modal = list(MODAL_WORD.finditer(clause))
    return bool(OCCASION_END.search(clause) or REFERRAL.match(clause[modal[-1].end():] if modal else clause))


def _from_verb(text: str, start: int, end: int, wording: int) -> str | None:
    """The clause text[start:end] from its object (对…) or from after its modal (应当, 可以 …) where either comes
    before `wording` (the category's word, or the clause's end), else from after the body it opens with (由城市管理部门
    责令限期改正 → 责令限期改正: the body is the entry's 实施主体, not its name), particles trimmed."""
    lead = text[start:wording]
    if "对" in lead:
        start += lead.index("对")
    elif modal := list(MODAL_WORD.finditer(lead)):
        start += modal[-1].end()
    elif (act := _after_acting_body(text[start:end])) and len(act) >= SHORTEST_ACT:
        return act
    return _trimmed(text[start:end])


def _trimmed(act: str) -> str | None:
    """An act as a name says it: without its item label, modal words (应当, 依法 …), trailing particles and the rule
    it follows where an act of its own is left (按照国家有关规定给予表彰、奖励 → 给予表彰、奖励)."""
    act = TRAILING.sub("", MODAL_WORD.sub("", ITEM_LABEL.sub("", act))).strip()
    rest = REFERRAL_LEAD.sub("", act).strip()
    return (rest if len(rest) >= SHORTEST_ACT else act) or None


def _shortened(name: str) -> str:
    """The name without white space or the statute's definitions of its terms, cut to `MAX_NAME` characters."""
    name = DEFINITION.sub("", re.sub(r"\s+", "", name))
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"
