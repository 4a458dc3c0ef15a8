"""Acting bodies found as spans the way the guidelines' section 2 takes them, and resolved where a 款 names none."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from conftest import REPO, index_of, statute

from pipeline.evaluate import evaluate
from pipeline.gold import load_annotations, load_splits, split
from pipeline.models import ResolvedSubject
from pipeline.segment import read_statute
from pipeline.subjects import acting_counts, find_roles, find_subjects, resolve_subject

DEV_OVERLAP_FLOOR = 0.89
"""Subject character-overlap F1 on the dev statutes, gold categories as the gate (measured 0.918)."""


@pytest.fixture(scope="module")
def gold() -> dict[str, list]:
    return split(load_annotations(REPO / "annotations" / "gold"), load_splits())


def names(text: str) -> list[str]:
    return [span.text for span in find_subjects(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The longest name the text gives, with its level and place modifiers, without the leading 由.
        (
            "动物饲养场和隔离场所、动物屠宰加工场所以及动物和动物产品无害化处理场所，生产经营条件发生变化，不再符合本法"
            "第二十四条规定的动物防疫条件继续从事相关活动的，由县级以上地方人民政府农业农村主管部门给予警告，责令限期改正；"
            "逾期仍达不到规定条件的，吊销动物防疫条件合格证，并通报市场监督管理部门依法处理。",
            ["县级以上地方人民政府农业农村主管部门"],
        ),
        # 市或者区 shares the head: one body, one span.
        (
            "对在本市公园的规划、建设、保护和管理中成绩显著的单位和个人，由市或者区绿化行政管理部门给予表彰和奖励。",
            ["市或者区绿化行政管理部门"],
        ),
        # A name that is a relative clause, kept whole; the licensed parties are not bodies.
        (
            "从事本法规定的监督检验、定期检验的特种设备检验机构，以及为特种设备生产、经营、使用提供检测服务的特种设备"
            "检测机构，应当具备下列条件，并经负责特种设备安全监督管理的部门核准，方可从事检验、检测工作:",
            ["负责特种设备安全监督管理的部门"],
        ),
        # 负责人 (the person in charge) states no duty: the verbs after it still cut the name.
        (
            "集会、游行、示威的负责人对主管机关不许可的决定不服的，其负责人应持复议决定书到原作出决定的主管机关办理。",
            ["原作出决定的主管机关"],
        ),
        # Two bodies for two powers, each listed.
        (
            "违反本条例第二十三条第二款禁止行为之一的，由市或者区绿化行政管理部门责令其改正；造成损失的，应当赔偿，并可处"
            "赔偿费一至二倍的罚款；违反《中华人民共和国治安管理处罚法》的，由公安部门给予处罚；构成犯罪的，依法追究刑事"
            "责任。",
            ["市或者区绿化行政管理部门", "公安部门"],
        ),
        # 或者 between two full names gives two spans.
        (
            "对符合控制性详细规划和规划条件的，由城市、县人民政府城乡规划主管部门或者省、自治区、直辖市人民政府确定的镇"
            "人民政府核发建设工程规划许可证。",
            ["城市、县人民政府城乡规划主管部门", "省、自治区、直辖市人民政府确定的镇人民政府"],
        ),
        # A specific partner of 会同 acts too; 有关部门 after 会同 does not count.
        (
            "免收和减收工本费的具体办法，由国务院财政部门会同国务院价格主管部门规定。",
            ["国务院财政部门", "国务院价格主管部门"],
        ),
        ("具体补偿标准和办法由国务院财政部门会同有关部门制定。", ["国务院财政部门"]),
        # The body named again in short (受理申请的…部门) is the same body, listed once.
        (
            "开办动物饲养场和隔离场所、动物屠宰加工场所以及动物和动物产品无害化处理场所，应当向县级以上地方人民政府"
            "农业农村主管部门提出申请，并附具相关材料。受理申请的农业农村主管部门应当依照本法和《中华人民共和国行政许可"
            "法》的规定进行审查。经审查合格的，发给动物防疫条件合格证；不合格的，应当通知申请人并说明理由。",
            ["县级以上地方人民政府农业农村主管部门"],
        ),
        # The parties asked to assist (用人单位…医疗机构以及有关部门应当予以协助) do not exercise the power.
        (
            "社会保险行政部门受理工伤认定申请后，根据审核需要可以对事故伤害进行调查核实，用人单位、职工、工会组织、医疗"
            "机构以及有关部门应当予以协助。职业病诊断和诊断争议的鉴定，依照职业病防治法的有关规定执行。对依法取得职业病"
            "诊断证明书或者职业病诊断鉴定书的，社会保险行政部门不再进行调查核实。",
            ["社会保险行政部门"],
        ),
        # Whose rules apply (按照…的规定) is no subject; where the party applies (向…申报) is.
        (
            "屠宰、出售或者运输动物以及出售或者运输动物产品前，货主应当按照国务院农业农村主管部门的规定向所在地动物卫生"
            "监督机构申报检疫。",
            ["所在地动物卫生监督机构"],
        ),
        # A case handed on (移送主管机关) or passed to another body (通知有关行政主管部门处理) is not acted on by it.
        (
            "治安案件调查结束后，公安机关应当根据不同情况，分别作出以下处理:\n\n（一）确有依法应当给予治安管理处罚的违法"
            "行为的，根据情节轻重及具体情况，作出处罚决定；\n\n（二）依法不予处罚的，或者违法事实不能成立的，作出不予处罚"
            "决定；\n\n（三）违法行为已涉嫌犯罪的，移送主管机关依法追究刑事责任；\n\n（四）发现违反治安管理行为人有其他违"
            "法行为的，在对违反治安管理行为作出处罚决定的同时，通知有关行政主管部门处理。",
            ["公安机关"],
        ),
        # 申请人民法院强制执行: the court is not the acting body.
        (
            "当事人对税务机关的处罚决定逾期不申请行政复议也不向人民法院起诉、又不履行的，作出处罚决定的税务机关可以采取"
            "本法第四十条规定的强制执行措施，或者申请人民法院强制执行。",
            ["作出处罚决定的税务机关"],
        ),
        (
            "治安管理处罚由县级以上人民政府公安机关决定；其中警告、五百元以下的罚款可以由公安派出所决定。",
            ["县级以上人民政府公安机关", "公安派出所"],
        ),
        # A body the licence must agree with (应当与…相适应) does not act here.
        (
            "县级以上地方人民政府渔业行政主管部门批准发放的捕捞许可证，应当与上级人民政府渔业行政主管部门下达的捕捞限额"
            "指标相适应。",
            ["县级以上地方人民政府渔业行政主管部门"],
        ),
        # The same body named again with a clause before it (接到报告的…) is listed once.
        (
            "负责特种设备安全监督管理的部门在依法履行职责过程中，发现重大违法行为或者特种设备存在严重事故隐患时，应当责令"
            "有关单位立即停止违法行为、采取措施消除事故隐患，并及时向上级负责特种设备安全监督管理的部门报告。接到报告的负责"
            "特种设备安全监督管理的部门应当采取必要措施，及时予以处理。",
            ["负责特种设备安全监督管理的部门"],
        ),
        # The parties that break the rule (医疗卫生机构…违反本条例规定) are not the bodies that sanction them.
        (
            "医疗卫生机构、医疗废物集中处置单位违反本条例规定，有下列情形之一的，由县级以上地方人民政府卫生行政主管部门"
            "或者环境保护行政主管部门按照各自的职责责令限期改正，给予警告；逾期不改正的，处2000元以上5000元以下的罚款：",
            ["县级以上地方人民政府卫生行政主管部门", "环境保护行政主管部门"],
        ),
        # Customs, the central bank and a city's enforcement corps are bodies without 部门 / 机关 in their names; a
        # customs seal (海关封志) is no body.
        (
            "走私出版物的，依照刑法关于走私罪的规定，依法追究刑事责任；尚不够刑事处罚的，由海关依照海关法的规定给予"
            "行政处罚。",
            ["海关"],
        ),
        (
            "违反本条例规定，擅自填堵河道的，由市水务执法总队或者区河道行政主管部门责令其限期改正或者采取其他补救措施，"
            "并可处以一万元以上五万元以下的罚款。",
            ["市水务执法总队", "区河道行政主管部门"],
        ),
        (
            "临时进境的文物，经海关将文物加封后，交由当事人报文物进出境审核机构审核、登记。文物进出境审核机构查验海关"
            "封志完好无损后，对每件临时进境文物标明文物临时进境标识，并登记拍照。",
            ["海关", "文物进出境审核机构"],
        ),
        # 或 joins two bodies as 或者 does; 对外贸易 and 报关 are parts of names, not 对 (on) and 报 (report to).
        (
            "违反本条例第二十条、第二十五条和第二十七条规定的，由乡（镇）人民政府或县级农业行政主管部门对主要责任人员批评"
            "教育，并责令限期改正；逾期不改正的，由县级农业行政主管部门并处五十至五百元的罚款。",
            ["乡（镇）人民政府", "县级农业行政主管部门"],
        ),
        (
            "从事属于禁止的国际服务贸易的，或者未经许可擅自从事属于限制的国际服务贸易的，依照有关法律、行政法规的规定处罚；"
            "法律、行政法规没有规定的，由国务院对外贸易主管部门责令改正，没收违法所得，并处违法所得一倍以上五倍以下罚款，"
            "没有违法所得或者违法所得不足一万元的，处一万元以上五万元以下罚款；构成犯罪的，依法追究刑事责任。",
            ["国务院对外贸易主管部门"],
        ),
        ("进口的应税消费品，应当向报关地海关申报纳税。", ["报关地海关"]),
        # The place a body is chosen by (违法行为发生地的), the power it exercises (行使…权的) are part of its name.
        (
            "特种设备安全行政处罚由违法行为发生地的县级以上市场监督管理部门实施。",
            ["违法行为发生地的县级以上市场监督管理部门"],
        ),
        (
            "行使海洋环境监督管理权的部门有权按照法定要求对管辖范围内向海洋排放污染物的单位和个人进行现场检查，被检查者应当"
            "如实反映情况，提供相关资料，主动配合检查。",
            ["行使海洋环境监督管理权的部门"],
        ),
        # A relative clause keeps its verb (受理, 审查 …的) and the objects it joins (进口、出口申请的) in the name.
        (
            "受理易制毒化学品进口、出口申请的商务主管部门应当自收到申请材料之日起20日内，对申请材料进行审查，必要时可以进行"
            "实地核查。对符合规定的，发给进口或者出口许可证；不予许可的，应当书面说明理由。",
            ["受理易制毒化学品进口、出口申请的商务主管部门"],
        ),
        (
            "违反本条例规定，有下列情形之一的，由原审查办矿条件的煤炭工业主管部门，根据情节轻重，给予警告、5万元以下的罚款、"
            "没收违法所得或者责令停产整顿：\n\n(一)未经煤炭工业主管部门审查同意，擅自开办乡镇煤矿的；\n\n"
            "(二)未按照规定向煤炭工业主管部门报送有关图纸资料的。",
            ["原审查办矿条件的煤炭工业主管部门"],
        ),
        # …的机关是 describes the body the sentence then names.
        ("办理收养登记的机关是县级人民政府民政部门。", ["县级人民政府民政部门"]),
        # A body that holds a power (有管理权限的) is named with it.
        (
            "中医药人员在医疗活动中造成医疗事故的，由有管理权限的部门和单位按照规定予以处理；构成犯罪的，依法追究刑事责任。",
            ["有管理权限的部门"],
        ),
    ],
)
def test_acting_bodies_of_train_units(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # A body obstructed by the party, in the condition of the penalty.
        "违反本法规定，拒绝、阻碍县级以上人民政府林业主管部门依法实施监督检查的，可以处五万元以下的罚款，情节严重的，"
        "可以责令停产停业整顿。",
        # A body the party should have reported to.
        "旅馆业的工作人员明知住宿的旅客是犯罪嫌疑人员或者被公安机关通缉的人员，不向公安机关报告的，处二百元以上五百元"
        "以下罚款；情节严重的，处五日以下拘留，可以并处五百元以下罚款。",
        # A people's mediation committee is a mass organisation, no administrative body (老年人权益保障法第七十五条).
        "老年人与家庭成员因赡养、扶养或者住房、财产等发生纠纷，可以申请人民调解委员会或者其他有关组织进行调解。",
    ],
)
def test_bodies_only_mentioned_are_not_subjects(text: str) -> None:
    assert names(text) == []


def test_a_body_named_twice_is_listed_where_it_acts() -> None:
    text = (
        "违反本法规定，未经县级以上人民政府林业主管部门审核同意，擅自改变林地用途的，由县级以上人民政府林业主管部门责令"
        "限期恢复植被和林业生产条件，可以处恢复植被和林业生产条件所需费用三倍以下的罚款。"
    )
    (span,) = find_subjects(text)
    assert span.start == text.index("由县级以上") + 1


def test_a_body_designated_by_a_government_is_one_name_and_office_land_is_no_body() -> None:
    """噪声污染防治法 2021, read as legal staff would: 第八十条's second body is the 城市道路、城市轨道交通有关部门 that
    the local government designates (one name, as the gold takes 市人民政府指定的区、县人民政府), not 地方人民政府
    and a piece of the name; 第十四条第二款's 机关团体办公 is a kind of land use, not a 机关."""
    noise = {provision.citation.removeprefix("《中华人民共和国噪声污染防治法》"): provision.text
             for provision in read_statute(statute("行政法/噪声污染防治法(2021-12-24).md")).provisions}
    assert names(noise["第八十条"]) == ["交通运输、铁路监督管理、民用航空等部门",
                                       "地方人民政府指定的城市道路、城市轨道交通有关部门"]
    assert names(noise["第十四条第二款"]) == ["县级以上地方人民政府"]


def test_a_regulation_read_as_legal_staff_would() -> None:
    """上海市药品和医疗器械管理条例 2024 (not in the gold): its competent-department clause names two bodies under one
    name, 药品监管部门, which a 款 that names no body takes; 区人民政府承担药品监管职责的部门 is one name (the duty
    it states does not cut it, as 负责…的 does not); 接受所在地的…部门的监督检查 names a place, not a relative
    clause; 跨部门 (cross-department) is no body."""
    path = "DLC/上海地方法规/地方性法规/上海/上海市药品和医疗器械管理条例(2024-12-31).md"
    provisions = read_statute(statute(path)).provisions
    number = {provision.citation.removeprefix("《上海市药品和医疗器械管理条例》"): index
              for index, provision in enumerate(provisions)}

    def found(citation: str) -> list[str]:
        return names(provisions[number[citation]].text)

    assert found("第六条第一款") == ["市药品监管部门", "区人民政府承担药品监管职责的部门"]
    assert found("第三十一条第一款") == ["所在地的区级药品监管部门"]
    assert found("第四十五条第二款") == ["市药品监管部门", "相关部门"]
    resolved = resolve_subject(provisions, number["第二十三条第一款"])  # 应当按照规定办理产品注册、生产许可
    assert resolved == ResolvedSubject("药品监管部门", "《上海市药品和医疗器械管理条例》第六条第一款",
                                       "competent_department", 29, 35)


def test_acting_counts_tell_a_body_that_acts_from_one_applied_to_and_from_a_party_alone() -> None:
    # what the linear classifier reads from the finder: (acting directly, acting on an application, named)
    assert acting_counts("对违反本条例规定的，由县级以上人民政府民政部门责令改正，处一千元以下罚款。") == (1, 0, 1)
    assert acting_counts("申请人应当向所在地县级人民政府民政部门提出申请。") == (0, 1, 1)
    assert acting_counts("经营者应当建立进货查验记录制度。") == (0, 0, 0)


def test_spans_are_substrings_of_every_gold_unit(gold: dict[str, list]) -> None:
    for unit in gold["train"] + gold["dev"] + gold["test"]:
        for span in find_subjects(unit.text):
            assert unit.text[span.start : span.end] == span.text, unit.citation
            # 经办机构, 经济信息化部门, 经营所在地的道路运输管理机构 are names, not 经 + a name
            assert not re.match(r"由|向|经(?!办|济|营)", span.text), unit.citation


def test_dev_overlap_stays_above_its_floor(gold: dict[str, list]) -> None:
    units = gold["dev"]
    predicted = [replace(unit, subjects=find_subjects(unit.text) if unit.categories else ()) for unit in units]
    assert evaluate(units, predicted).subject_overlap.f1 >= DEV_OVERLAP_FLOOR


def provisions_of(relative: str) -> tuple:
    return read_statute(statute(relative)).provisions


def test_a_penalty_by_reference_to_the_paragraph_before_takes_its_body() -> None:
    provisions = provisions_of("社会法/安全生产法(2021-06-10).md")
    index = index_of(provisions, "《中华人民共和国安全生产法》第一百一十条第二款")
    assert provisions[index].text.endswith("依照前款规定处罚。")
    resolved = resolve_subject(provisions, index)
    assert resolved == ResolvedSubject(
        "应急管理部门", "《中华人民共和国安全生产法》第一百一十条第一款", "referenced", 67, 73
    )
    source = provisions[index - 1]
    assert source.text[resolved.start : resolved.end] == resolved.text


def resolved_at(relative: str, citation: str) -> tuple[str, str, str]:
    """(body, the 款 it was read in, how) for the 款 at `citation` of a statute, one that names no body itself."""
    provisions = provisions_of(relative)
    resolved = resolve_subject(provisions, index_of(provisions, citation))
    assert resolved is not None
    return resolved.text, resolved.citation, resolved.rule


@pytest.mark.parametrize(
    ("relative", "citation", "expected"),
    [
        # 违反第二款规定，…未经验收…擅自投入使用的: the 款 it breaches says who checks (城市管理部门验收), the
        # statute's 第十条 who sanctions (城市管理综合执法部门…依法对本条例规定的…违法行为实施行政处罚: body first)
        pytest.param("DLC/北京地方法规/地方性法规/北京/北京市市容环境卫生条例(2021-09-24).md",
                     "《北京市市容环境卫生条例》第六十条第三款",
                     ("本市城市管理综合执法部门", "《北京市市容环境卫生条例》第十条", "general_clause"),
                     id="breached-duty-gives-way-to-the-clause-on-penalties"),
        # 违反本条例规定的行为，法律、法规已有法律责任规定的，从其规定；没有规定的，由淮阳龙湖管理机构实施行政处罚。
        pytest.param("DLC/河南地方法规/地方性法规/河南/周口市淮阳龙湖保护条例(2018-10-30).md",
                     "《周口市淮阳龙湖保护条例》第四十一条",
                     ("淮阳龙湖管理机构", "《周口市淮阳龙湖保护条例》第三十九条", "general_clause"),
                     id="clause-on-penalties-after-what-it-leaves-to-other-laws"),
        # 第六十六条 任何单位和个人对违反本法规定的行为，有权向邮政管理部门举报: receiving reports sanctions nothing
        pytest.param("经济法/邮政法(2015-04-24).md", "《中华人民共和国邮政法》第八十一条第一款",
                     ("省、自治区、直辖市邮政管理机构", "《中华人民共和国邮政法》第四条第二款", "competent_department"),
                     id="a-clause-receiving-reports-is-no-clause-on-penalties"),
        # 违反前款规定，物业服务人为个人的，处警告: the 款 before sanctions too, and says who (由消防救援机构…)
        pytest.param("DLC/广东地方法规/地方性法规/广东/广东省实施《消防法》办法(2022-03-29).md",
                     "《广东省实施〈中华人民共和国消防法〉办法》第四十四条第二款",
                     ("消防救援机构", "《广东省实施〈中华人民共和国消防法〉办法》第四十四条第一款", "referenced"),
                     id="a-breached-paragraph-that-sanctions-gives-its-body"),
        # 违反本办法第十八条的规定，逾期非法居留的: no clause on penalties, no competent department; 第十八条 names
        # the 市、县公安局 that extends a stay
        pytest.param("行政法规/中国公民往来台湾地区管理办法(2015-06-14).md",
                     "《中国公民往来台湾地区管理办法》第三十五条",
                     ("市、县公安局", "《中国公民往来台湾地区管理办法》第十八条", "breached"),
                     id="the-breached-duty-is-the-last-resort-and-says-so"),
        pytest.param("DLC/山东地方法规/地方性法规/山东/山东省消防条例(2015-07-24).md", "《山东省消防条例》第六十七条",
                     ("公安机关消防机构", "《山东省消防条例》第六十六条第二款", "general_clause"),
                     id="a-local-penalty-takes-the-general-clause"),
    ],
)
def test_a_penalty_that_names_no_body_takes_the_one_that_sanctions(relative: str, citation: str,
                                                                   expected: tuple[str, str, str]) -> None:
    assert resolved_at(relative, citation) == expected


def test_a_party_the_breached_duty_binds_does_not_sanction_its_breach() -> None:
    """证券法第二百一十三条第三款: 证券服务机构违反本法第一百六十三条的规定…: 第一百六十三条 binds the 证券服务机构
    (应当勤勉尽责); no body of the administration is named there, so the entry's body is left to the reviewer."""
    provisions = provisions_of("民法商法/证券法(2019-12-28).md")
    index = index_of(provisions, "《中华人民共和国证券法》第二百一十三条第三款")
    assert "违反本法第一百六十三条的规定" in provisions[index].text
    assert resolve_subject(provisions, index) is None


def test_a_reference_to_a_paragraph_without_a_body_falls_back_to_the_general_clause() -> None:
    body, _, rule = resolved_at("行政法/消防法(2021-04-29).md", "《中华人民共和国消防法》第六十一条第二款")
    assert (body, rule) == ("住房和城乡建设主管部门、消防救援机构", "general_clause")


def test_a_unit_without_sanction_takes_the_competent_department() -> None:
    body, _, rule = resolved_at("DLC/河南地方法规/地方性法规/河南/郑州市大气污染防治条例(2020-08-05).md",
                                "《郑州市大气污染防治条例》第一条")
    assert (body, rule) == ("市、县（市、区）生态环境主管部门", "competent_department")


@pytest.mark.parametrize(
    ("relative", "citation"),
    [
        # 违反本条例规定，制造地震谣言，扰乱社会正常秩序的，依法给予治安管理处罚。
        ("行政法规/地震预报管理条例(1998-12-17).md", "《地震预报管理条例》第十九条"),
        # 违反本法规定，尚不够刑事处罚，应当给予治安管理处罚的，依照治安管理处罚法的规定处罚。
        ("经济法/民用航空法(2021-04-29).md", "《中华人民共和国民用航空法》第二百条"),
    ],
)
def test_a_public_order_penalty_goes_to_the_police_whatever_statute_refers_to_it(relative: str, citation: str) -> None:
    assert resolved_at(relative, citation) == ("公安机关", "《中华人民共和国治安管理处罚法》", "public_order_law")


def test_a_fine_beside_a_public_order_penalty_keeps_the_statute_s_own_body() -> None:
    # 防洪法第六十条: …可以处五万元以下的罚款；…应当给予治安管理处罚的，依照治安管理处罚法的规定处罚
    provisions = provisions_of("经济法/防洪法(2016-07-02).md")
    resolved = resolve_subject(provisions, index_of(provisions, "《中华人民共和国防洪法》第六十条"))
    assert resolved is None or resolved.rule != "public_order_law"


def test_the_competent_department_is_read_whole_under_the_name_the_statute_gives_it() -> None:
    # 第五条第二款 县级以上地方人民政府城镇排水与污水处理主管部门(以下称城镇排水主管部门)负责…: 与 joins no two bodies
    drainage = "《城镇排水与污水处理条例》"
    assert resolved_at("行政法规/城镇排水与污水处理条例(2013-10-02).md", drainage + "第二十二条第一款") == (
        "城镇排水主管部门", drainage + "第五条第二款", "competent_department"
    )


def test_departments_named_together_take_the_name_the_statute_gives_them() -> None:
    # 第五条 市、区园林绿化和农业农村部门（以下统称为野生动物主管部门）分别负责…
    body, source, rule = resolved_at("DLC/北京地方法规/地方性法规/北京/北京市野生动物保护管理条例(2020-04-24).md",
                                     "《北京市野生动物保护管理条例》第四十一条")
    assert (body, source, rule) == ("野生动物主管部门", "《北京市野生动物保护管理条例》第五条第一款",
                                    "competent_department")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # A party's verb or modal before the body is no part of its name (train units).
        ("对可能被植物检疫对象污染的包装材料、运载工具、场地、仓库等，也应实施检疫。如已被污染，托运人应按植物检疫机构的要求处理。",
         "植物检疫机构"),
        ("印刷企业接受委托印刷内部资料性出版物的，必须验证县级以上地方人民政府出版行政部门核发的准印证。",
         "县级以上地方人民政府出版行政部门"),
        ("宗教团体、宗教活动场所管理组织印制宗教内部资料性出版物，应当持市人民政府宗教事务行政部门的批准文件，报市人民政府"
         "新闻出版行政部门核准，并办理准印或者复制委托手续。", "市人民政府宗教事务行政部门"),
        ("检查与本条例第六条、第七条和第八条规定的不正当竞争行为有关的财物，必要时县级以上监督检查部门可以责令被检查的经营者"
         "说明该商品的来源、数量。", "县级以上监督检查部门"),
        ("被调查的当事人承诺纠正涉嫌违法行为并经国务院证券监督管理机构认可，当事人履行承诺后国务院证券监督管理机构终止案件调查。",
         "国务院证券监督管理机构"),
        ("本办法所称行政执法当事人承诺，是指国务院证券监督管理机构对涉嫌证券期货违法的单位或者个人进行调查期间。",
         "国务院证券监督管理机构"),
        # 经纪 and 污水处理 are words of a name, not 经 (by way of) and 处理 (handle); 到达 leads to a name as 到 does.
        ("演出经纪机构应当按照规定向文化主管部门备案。", "演出经纪机构"),
        ("县级以上地方人民政府城镇排水与污水处理主管部门(以下称城镇排水主管部门)负责本行政区域内城镇排水与污水处理的"
         "监督管理工作。", "县级以上地方人民政府城镇排水与污水处理主管部门"),
        ("新兵到达新兵训练机构后，由新兵训练机构进行复查。", "新兵训练机构"),
        # 申请 leads to the body applied to, however long its name (海上交通事故调查处理条例第九条);
        # 申请人 leads nowhere.
        ("因海上交通事故致使船舶、设施发生损害，船长、设施负责人应申请中国当地或船舶第一到达港地的检验部门进行检验或鉴定。",
         "中国当地或船舶第一到达港地的检验部门"),
        ("申请人户籍所在地的乡镇人民政府应当自受理申请之日起十个工作日内完成核查。", "申请人户籍所在地的乡镇人民政府"),
        # A party or a thing joined to a body is no modifier of its name (标准与, 矿山企业、管理矿山企业的: 山东省文物
        # 保护条例第三十二条, 河南省实施《矿山安全法》办法第三十二条), while parties may share the body a clause names
        # (尘肺病防治条例第五条).
        ("建设单位应当按照国家规定的范围和标准与文物行政部门签订文物保护协议，并及时向文物行政部门支付所需费用。",
         "文物行政部门"),
        ("矿山安全监督机构对于违反矿山安全法律、法规和危害职工安全健康的情况，有权向矿山企业、管理矿山企业的主管部门和有关单位"
         "发出《矿山安全监督意见通知书》，要求限期改正或解决。", "管理矿山企业的主管部门"),
        ("企业、事业单位的主管部门应当根据国家卫生等有关标准，结合实际情况，制定所属企业的尘肺病防治规划，并督促其施行。",
         "企业、事业单位的主管部门"),
        # 原办理 (the body that handled it first) is no verb that ends a name's lead.
        ("信访人对信访事项办理意见不服的，可以自收到办理意见之日起30日内请求原办理机关的上一级行政机关复查。",
         "原办理机关的上一级行政机关"),
        # A stray space before a name in the statute's text is not in the span.
        ("新建、改建农村公路的建筑控制区的范围， 县（市、区）人民政府应当自农村公路设计文件批准之日起三十日内公告。",
         "县（市、区）人民政府"),
    ],
)
def test_a_name_starts_after_the_words_that_lead_to_it(text: str, name: str) -> None:
    assert name in [role.name for role in find_roles(text)]
    assert all(role.name == name for role in find_roles(text) if role.name.endswith(name))
