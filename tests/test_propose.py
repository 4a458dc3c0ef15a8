"""`powers propose`: the power list legal staff review, from a real statute of the bundled sample."""

import csv
import json
import shutil
from functools import partial
from pathlib import Path

import pytest
from conftest import index_of, statute
from openpyxl import load_workbook

from pipeline.acts import entry_name, sanctioned_violation
from pipeline.cli import main
from pipeline.export import COLUMNS, SUBJECT_RULES, write_entries
from pipeline.extract import read_power
from pipeline.merge import BASIS_CHANGED, NOT_PROPOSED, UNTOUCHED
from pipeline.models import LICENSING, PENALTY, Entry, subject_change
from pipeline.propose import entry_namer, propose
from pipeline.segment import read_statute
from pipeline.tiers import load_scheme

FOOD_SAFETY = "行政法/食品安全法(2021-04-29).md"
ARTICLE_123 = "《中华人民共和国食品安全法》第一百二十三条第一款"


def read(directory: Path) -> list[Entry]:
    with open(directory / "entries.jsonl", encoding="utf-8") as handle:
        return [Entry.from_dict(json.loads(line)) for line in handle]


def as_penalty(relative: str, citation: str) -> list[Entry]:
    """The entries of one statute when only the 款 at `citation` carries a category, 行政处罚 (no classifier)."""
    read = read_statute(statute(relative))
    powers = [
        read_power(unit, [{"label": PENALTY, "score": 0.9}] if unit.citation == citation else [], acting=False)
        for unit in read.provisions
    ]
    return propose(read, powers, load_scheme())


@pytest.fixture(scope="module")
def proposed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Entry]]:
    """The food safety law proposed once, from a copy that the tests may edit."""
    root = tmp_path_factory.mktemp("propose")
    source = root / "食品安全法(2021-04-29).md"
    shutil.copy(statute(FOOD_SAFETY), source)
    output = root / "list"
    assert main(["propose", str(source), "-o", str(output)]) == 0
    return source, output, read(output)


def test_a_penalty_over_listed_violations_is_one_entry_per_item(proposed):
    _, _, entries = proposed
    items = [entry for entry in entries if entry.citation.startswith(ARTICLE_123 + "第")]
    by_food_authority = [entry for entry in items if entry.subject == "县级以上人民政府食品安全监督管理部门"]
    assert [entry.citation.removeprefix(ARTICLE_123) for entry in by_food_authority] == [
        "第一项", "第二项", "第三项", "第四项", "第五项", "第六项"
    ]
    first = by_food_authority[0]
    assert first.category == "行政处罚" and first.item == 1
    assert first.name.startswith("对用非食品原料生产食品") and first.name.endswith("的处罚")
    assert {(penalty.kind, penalty.min, penalty.max) for penalty in first.penalties} == {
        ("fine", 100000, 150000), ("fine_multiple", 15, 30)
    }
    assert "吊销许可证件" in first.measures
    assert "（一）用非食品原料生产食品" in first.quote
    assert [tier.name for tier in first.tiers if tier.kind == "fine"] == ["从轻", "一般", "从重"]


def test_an_entry_is_named_after_the_act_not_the_occasion_or_the_law_it_follows():
    units = {unit.citation: unit.text for unit in read_statute(statute(FOOD_SAFETY)).provisions}
    law = "《中华人民共和国食品安全法》"
    # 第十九条 opens with when the act happens (…发现需要进行食品安全风险评估的，); the act follows the body's 应当
    assert entry_name(units[law + "第十九条"], "其他行政权力") == "向国务院卫生行政部门提出食品安全风险评估的建议"
    # the licensing body first follows 《行政许可法》 (its first licence wording, in the title), then decides
    assert entry_name(units[law + "第三十五条第二款"], "行政许可") == "准予许可"
    # an occasion that holds the act itself (…进行监督检查时) stays the name when nothing better follows
    inspecting = "市场监督管理部门进行监督检查时，被检查单位应当予以配合。"
    assert entry_name(inspecting, "行政检查") == "进行监督检查"
    # a clause that only names what is acted on is passed over for the one where a body acts: its 应当 / 可以 on, or
    # what follows 由X (北京市水利工程保护管理条例第十五条第三款, 浙江省禁毒条例第三十六条)
    obstacles = ("凡应当清除的行洪障碍物，本着“谁设障，谁清除”的原则，由市和区、县水行政主管部门向设障单位发出清障"
                 "通知书，限期清除。")
    assert entry_name(obstacles, "其他行政权力") == "向设障单位发出清障通知书"
    released = "对被解除强制隔离戒毒的人员，作出强制隔离戒毒决定的公安机关可以责令其接受社区康复。"
    assert entry_name(released, "其他行政权力") == "责令其接受社区康复"
    # 负责 is a modal the name drops, 负责人 the person a body acts on (个人信息保护法第六十四条第一款)
    talks = ("履行个人信息保护职责的部门在履行职责中，发现个人信息处理活动存在较大风险或者发生个人信息安全事件的，可以"
             "按照规定的权限和程序对该个人信息处理者的法定代表人或者主要负责人进行约谈。")
    assert entry_name(talks, "其他行政权力") == "对该个人信息处理者的法定代表人或者主要负责人进行约谈"
    # a clause that only names the bodies is who acts, not what they do (价格法第二十条第一款)
    pricing = ("国务院价格主管部门和其他有关部门，按照中央定价目录规定的定价权限和具体适用范围制定政府指导价、政府"
               "定价；其中重要的商品和服务价格的政府指导价、政府定价，应当按照规定经国务院批准。")
    assert entry_name(pricing, "其他行政权力") == "按照中央定价目录规定的定价权限和具体适用范围制定政府指导价、政府定价"
    # the rule followed before the act (按照国家有关规定划定…) is no part of its name
    drainage = "行政法规/城镇排水与污水处理条例(2013-10-02).md"
    assert named(drainage, "《城镇排水与污水处理条例》第四十一条第一款", category="其他行政权力") == (
        "划定城镇排水与污水处理设施保护范围"
    )


def named(relative: str, citation: str, item: int | None = None, category: str = PENALTY) -> str:
    """The name of the entry of `category` whose basis is the 款 at `citation` (or its 项 numbered `item`)."""
    provisions = read_statute(statute(relative)).provisions
    index = index_of(provisions, citation)
    provision = provisions[index]
    items = {found.number: found for found in provision.items}
    text = provision.text
    quoted = None if item is None else text[items[item].start - provision.start : items[item].end - provision.start]
    return entry_namer(provisions, index)(text, category, quoted)


def test_a_penalty_is_named_after_its_violation_however_the_statute_introduces_it():
    # 违反本条例的规定，<the violation>，由…: no 的 closes the violation; the body that sanctions it does
    assert named("行政法规/道路运输条例(2023-07-20).md", "《中华人民共和国道路运输条例》第七十二条") == (
        "对机动车维修经营者签发虚假的机动车维修合格证的处罚"
    )
    # 违反…规定，责令…: the lead is the violation when the sanction follows it at once, with no body named
    greening = "DLC/重庆地方法规/地方性法规/重庆/重庆市城市园林绿化条例(2021-05-27).md"
    assert named(greening, "《重庆市城市园林绿化条例》第五十六条") == "对违反本条例第四十五条规定的处罚"
    # the statute's own 对 introduces the violation: the name does not say it twice
    assert named("部门规章/公安部/道路交通安全违法行为处理程序规定(2020-04-30).md",
                 "《道路交通安全违法行为处理程序规定》第三十七条第一款") == (
        "对非法安装警报器、标志灯具或者自行车、三轮车加装动力装置的处罚"
    )
    # …but a 对 that jieba reads as part of a word (对外) is the violator's own name
    assert entry_name("对外劳务合作企业未依照本条例规定缴存备用金的，由商务主管部门处5万元罚款。", PENALTY) == (
        "对对外劳务合作企业未依照本条例规定缴存备用金的处罚"
    )
    # a 项 with its own sanction is named after its violation, not the sanction; one that only cites a provision
    # (违反第三十六条规定的) is named after what that provision of the article its lead-in cites requires
    zhengzhou = "DLC/河南地方法规/地方性法规/河南/郑州市大气污染防治条例(2020-08-05).md"
    assert named(zhengzhou, "《郑州市大气污染防治条例》第五十六条", 3) == "对新建、扩建燃用高污染燃料设施的处罚"
    assert named(zhengzhou, "《郑州市大气污染防治条例》第五十六条", 5) == (
        "对机动车排气污染检验机构未建立检验数据传输网络的处罚"
    )


def test_a_penalty_is_named_after_the_violation_that_opens_a_sentence_or_the_duty_it_breaches():
    chongqing = "DLC/重庆地方法规/地方性法规/重庆/重庆市市容环境卫生管理条例(2018-07-26).md"
    # no 的 or 违反 marks the violation: it is what the sentence opens with, up to the body that sanctions it
    shandong = "DLC/山东地方法规/地方性法规/山东/山东省消防条例(2015-07-24).md"
    assert named(shandong, "《山东省消防条例》第六十九条第二款") == (
        "对交通运输经营单位不履行本条例规定的消防安全职责的处罚"
    )
    # the violation is in the second sentence, after the duty its body has
    assert named("DLC/河南地方法规/地方性法规/河南/郑州市大气污染防治条例(2020-08-05).md",
                 "《郑州市大气污染防治条例》第三十三条第二款") == "对抽测不合格的处罚"
    # 违反规定的，…: the breach of the duty or the ban the sentence before sets
    assert named(chongqing, "《重庆市市容环境卫生管理条例》第六十一条") == (
        "对废品收购、堆放场所未对废品围挡、遮盖的处罚"
    )
    assert named(chongqing, "《重庆市市容环境卫生管理条例》第五十七条") == "对在主、次干道上清洗机动车辆的处罚"
    assert named(chongqing, "《重庆市市容环境卫生管理条例》第三十八条第三款") == (
        "对广告经营者未保持充气式装置的整洁美观的处罚"
    )
    # a later sentence that grades the violation (情节轻微…的) is named after the violation the sentence before names
    graded = ("以暴力、威胁方法拒不缴纳税款的，是抗税，依法追究刑事责任。情节轻微，未构成犯罪的，由税务机关追缴其拒缴的"
              "税款、滞纳金，并处拒缴税款一倍以上五倍以下的罚款。")
    assert entry_name(graded, PENALTY) == "对以暴力、威胁方法拒不缴纳税款的处罚"
    # a clause that says which body decides names no violation
    assert sanctioned_violation("本条例规定的降低资质等级和吊销资质证书的行政处罚，由颁发资质证书的机关决定。") is None


def test_a_penalty_for_breaching_another_provision_is_named_after_what_that_provision_requires():
    """违反前款规定的，处…: legal staff name the entry after the breach (对在…晾晒物品的处罚), not the reference."""
    chongqing = "DLC/重庆地方法规/地方性法规/重庆/重庆市市容环境卫生管理条例(2018-07-26).md"
    # the 款 before sets one duty, owed by no one named: its breach, read with the occasion that opens it
    [entry] = as_penalty(chongqing, "《重庆市市容环境卫生管理条例》第二十八条第二款")
    assert entry.name == "对经市政设施主管部门批准临时占用道路堆放建筑材料，未放置整齐的处罚"
    # a ban: what it bans
    assert named(chongqing, "《重庆市市容环境卫生管理条例》第六十七条第二款") == (
        "对未采取密闭措施的车辆在城市道路上运输建筑渣土、砂石、垃圾等易撒漏物质的处罚"
    )
    # the reference stays where what is breached is not one thing the statute words: a duty that something be
    # without (应当无污损), a 款 that lists seven banned acts as 项 and names none of them, an article of two duties
    assert named(chongqing, "《重庆市市容环境卫生管理条例》第三十七条第二款") == "对违反前款规定的处罚"
    assert named(chongqing, "《重庆市市容环境卫生管理条例》第十八条第二款") == "对违反前款规定的处罚"
    zhengzhou = "DLC/河南地方法规/地方性法规/河南/郑州市大气污染防治条例(2020-08-05).md"
    assert named(zhengzhou, "《郑州市大气污染防治条例》第五十六条", 7) == "对违反本条例第四十九条规定的处罚"
    # 严禁 bans as 禁止 does
    longhu = "DLC/河南地方法规/地方性法规/河南/周口市淮阳龙湖保护条例(2018-10-30).md"
    assert named(longhu, "《周口市淮阳龙湖保护条例》第四十二条") == "对砍伐、损伤、迁移淮阳龙湖保护区内的古树名木的处罚"


def test_a_penalty_for_breaching_a_listed_item_is_named_after_that_item(shared_corpus: Path):
    """违反本条第一款第一项规定的: the 项 read in its 款's lead-in (应当遵守以下规范：（一）为犬只佩戴犬牌)."""
    huzhou = "DLC/浙江地方法规/地方性法规/浙江/湖州市养犬管理规定(2021-12-02).md"
    assert named(huzhou, "《湖州市养犬管理规定》第十二条第三款") == "对重点管理区内携犬出户，未为犬只佩戴犬牌的处罚"
    # 违反第二十二条第三项 with no 本条例 before it: an article of this statute
    relics = "DLC/河南地方法规/地方性法规/河南/郑州市郑韩故城遗址保护条例(2020-08-05).md"
    assert named(relics, "《郑州市郑韩故城遗址保护条例》第三十七条", 3) == (
        "对在郑韩故城遗址保护范围内，种植不符合遗址保护规划的树木的处罚"
    )
    # 项 named as a range are several duties: the reference stays
    henan = "DLC/河南地方法规/地方性法规/河南/河南省供用电条例(2012-09-28).md"
    assert named(henan, "《河南省供用电条例》第五十六条") == (
        "对违反本条例第二十九条第一款第（二）项至第（四）项规定的处罚"
    )


def test_a_licence_is_named_after_its_permit_or_the_activity_it_allows():
    licence = partial(named, category=LICENSING)

    roads = "行政法规/城市道路管理条例(2019-03-24).md"
    # …的，须经…批准: the activity that needs the approval, with the statute's word for it
    assert licence(roads, "《城市道路管理条例》第三十一条第一款") == "临时占用城市道路审批"
    # 未经…批准，不得…: what may not be done without it
    assert licence(roads, "《城市道路管理条例》第三十条") == "占用或者挖掘城市道路审批"
    assert licence("行政法/道路交通安全法(2021-04-29).md", "《中华人民共和国道路交通安全法》第三十一条") == (
        "占用道路从事非交通活动许可"
    )
    # the permit the body issues names the licence, not the time limit of the decision before it…
    assert licence("行政法规/道路运输条例(2023-07-20).md", "《中华人民共和国道路运输条例》第十条第二款") == (
        "道路运输经营许可证核发"
    )
    # …nor a body named after the permit (安全生产许可证颁发管理机关)
    assert licence("行政法规/安全生产许可证条例(2014-07-29).md", "《安全生产许可证条例》第七条第一款") == (
        "安全生产许可证核发"
    )
    # …or the permit a party applies for (申请领取…许可证应当具备下列条件), and what it asks done with one it holds
    drainage = "行政法规/城镇排水与污水处理条例(2013-10-02).md"
    assert licence(drainage, "《城镇排水与污水处理条例》第二十二条第一款") == "污水排入排水管网许可证核发"
    # …or, where it says none of these, what may be done with the approval (经…批准，可以…) or the clause that opens
    # the sentence of the duty to obtain it (…，应当…报…批准)
    film = "行政法/电影产业促进法(2016-11-07).md"
    assert licence(film, "《中华人民共和国电影产业促进法》第二十四条第二款") == (
        "从事电影院等固定放映场所电影放映活动审批"
    )
    assert licence("行政法规/城镇燃气管理条例(2016-02-06).md", "《城镇燃气管理条例》第三十八条第一款") == (
        "燃气经营者改动市政燃气设施审批"
    )
    performing = ("文艺表演团体变更名称、住所、法定代表人或者主要负责人、营业性演出经营项目，应当向原发证机关申请换发"
                  "营业性演出许可证，并依法到工商行政管理部门办理变更登记。")  # 营业性演出管理条例第八条第一款
    assert entry_name(performing, LICENSING) == "营业性演出许可证换发"


def test_a_licence_known_by_its_certificate_or_its_conditions_is_named_after_them():
    licence = partial(named, category=LICENSING)
    # a certificate issued is a permit as a 许可证 is…
    assert licence("经济法/海域使用管理法(2001-10-27).md", "《中华人民共和国海域使用管理法》第十九条") == (
        "海域使用权证书核发"
    )
    # …but not one whose clause withholds it (不动产登记机构不得对有争议的林木林地发放权属证书)
    forests = "DLC/广东地方法规/地方性法规/广东/广东省林木林地权属争议调解处理条例(2022-06-01).md"
    assert not licence(forests, "《广东省林木林地权属争议调解处理条例》第四十九条第一款").endswith("核发")
    # 设立博物馆，应当具备下列条件: the activity whose conditions the 款 sets, less the 申请 (从事) that asks for it
    assert licence("行政法规/博物馆条例(2015-02-09).md", "《博物馆条例》第十条第一款") == "设立博物馆许可"
    assert licence("行政法/律师法(2017-09-01).md", "《中华人民共和国律师法》第五条第一款") == "律师执业许可"
    assert licence("行政法规/音像制品管理条例(2020-11-29).md", "《音像制品管理条例》第二十条第一款") == (
        "音像制品复制业务许可"
    )
    # a party that must meet the conditions (房地产中介服务机构应当具备下列条件) is no activity
    luoyang = "DLC/河南地方法规/地方性法规/河南/洛阳市城市房地产市场管理条例.md"
    assert "机构许可" not in licence(luoyang, "《洛阳市城市房地产市场管理条例》第三十七条第二款")
    # …but what a party does, named before or after it, is (从事动物诊疗活动的机构; 企业从事印刷经营活动), as what an
    # applicant applies for (河道采砂申请人)
    animals = "经济法/动物防疫法(2021-01-22).md"
    assert licence(animals, "《中华人民共和国动物防疫法》第六十一条第一款") == "动物诊疗活动许可"
    assert licence("行政法规/印刷业管理条例(2020-11-29).md", "《印刷业管理条例》第九条第一款") == "印刷经营活动许可"
    rivers = "DLC/山东地方法规/地方性法规/山东/青岛市河道管理条例(2020-03-26).md"
    assert licence(rivers, "《青岛市河道管理条例》第四十一条") == "河道采砂许可"
    # the permit or licence a party must obtain (应当依法办理港口经营许可，并取得营业执照: the first), not one that a
    # listed condition says the party already holds (商品房预售，应当符合下列条件：（一）…取得土地使用权证书)
    ports = "DLC/河南地方法规/地方性法规/河南/周口市港口和航道条例(2022-01-12).md"
    assert licence(ports, "《周口市港口和航道条例》第二十三条第一款") == "港口经营许可"
    # …named whole, past the body that issues it (应当取得…部门颁发的文物拍卖许可证) and the activities it lists
    relics = "DLC/山东地方法规/地方性法规/山东/山东省文物保护条例(2017-09-30).md"
    assert licence(relics, "《山东省文物保护条例》第四十六条第一款") == "文物拍卖许可证核发"
    # a permit called by its name alone (导游证), issued or obtained; not a certification (计量认证) or a deposit
    guides = "行政法规/导游人员管理条例(2017-10-07).md"
    assert licence(guides, "《导游人员管理条例》第四条第一款") == "导游证核发"
    assert licence(guides, "《导游人员管理条例》第六条") == "导游证核发"
    refuse = "DLC/河南地方法规/地方性法规/河南/周口市城市市容和环境卫生管理条例(2019-01-24).md"
    assert licence(refuse, "《周口市城市市容和环境卫生管理条例》第三十八条第一款") == (
        "生活垃圾经营性清扫、收集、运输、处置服务许可证核发"
    )
    estate = "行政法/城市房地产管理法(2019-08-26).md"
    assert "土地使用权证书" not in licence(estate, "《中华人民共和国城市房地产管理法》第四十五条第一款")
    # setting up a unit is an activity (设立电视剧制作单位，应当经…批准), a unit alone is not
    television = "行政法规/广播电视管理条例(2020-11-29).md"
    assert licence(television, "《广播电视管理条例》第三十五条第一款") == "设立电视剧制作单位审批"
    # the statute's definition of a term (以下简称小型客船运输) is not part of the name
    waters = "DLC/浙江地方法规/地方性法规/浙江/浙江省水上交通安全管理条例(2021-11-25).md"
    assert licence(waters, "《浙江省水上交通安全管理条例》第十七条第二款") == (
        "经营载客十二人以下的内河客运船舶运输业务许可"
    )


def test_a_licence_is_named_as_the_statute_names_its_paperwork_or_the_approval_it_seeks():
    licence = partial(named, category=LICENSING)
    # the statute's own name of the licence, in the paperwork it requires (办理…许可手续, 办理…注销手续)…
    sewage = "DLC/山东地方法规/地方性法规/山东/东营市城镇容貌和环境卫生管理条例(2016-09-26).md"
    assert licence(sewage, "《东营市城镇容貌和环境卫生管理条例》第四十条第一款") == "污水排入排水管网许可"
    mines = "DLC/重庆地方法规/地方性法规/重庆/重庆市矿产资源管理条例(2020-06-05).md"
    assert licence(mines, "《重庆市矿产资源管理条例》第二十九条") == "采矿许可证注销"
    # …but not the next body's paperwork, after this one has approved (经林业主管部门审核同意后…办理建设用地审批手续)
    forests = "DLC/浙江地方法规/地方性法规/浙江/浙江省森林管理条例(2018-11-30).md"
    assert licence(forests, "《浙江省森林管理条例》第十八条第一款") == "各项建设工程确需使用林地审批"
    # the activity of the sentence that seeks a body's approval (修建水库的，由…批准; 设立保险公司应当经…批准)…
    rivers = "DLC/北京地方法规/地方性法规/北京/北京市河湖保护管理条例(2019-07-26).md"
    assert licence(rivers, "《北京市河湖保护管理条例》第十六条第二款") == "修建水库审批"
    assert licence("民法商法/保险法(2015-04-24).md", "《中华人民共和国保险法》第六十七条第一款") == "设立保险公司审批"
    # …or that applies to it, with the word the 款 uses for the decision (作出许可或者不予许可的决定)
    schools = "DLC/山东地方法规/地方性法规/山东/青岛市学前教育条例(2018-11-30).md"
    assert licence(schools, "《青岛市学前教育条例》第十六条第一款") == "举办幼儿园许可"

def test_a_licence_paragraph_of_procedure_or_validity_is_named_after_the_licence_its_article_names():
    licence = partial(named, category=LICENSING)
    # 第二款 only sets the time limit (收到申请之日起30个工作日内，作出…决定); 第一款 names the permit
    drugs = "行政法规/药品管理法实施条例(2019-03-02).md"
    assert licence(drugs, "《中华人民共和国药品管理法实施条例》第二十条第二款") == "医疗机构制剂许可证核发"
    # the validity and its extension (有效期为三年。需延续的…) take the nearest earlier 款's licence, which a party
    # applies for by its name (申请燃气供气站点许可的，…)
    gas = "DLC/上海地方法规/地方性法规/上海/上海市燃气管理条例.md"
    assert licence(gas, "《上海市燃气管理条例》第十九条第四款") == "燃气供气站点许可"
    assert licence(gas, "《上海市燃气管理条例》第十九条第五款") == "燃气供气站点许可"
    # the licensing body's decision (准予许可) belongs to the activities 第一款 requires a licence for
    food = "《中华人民共和国食品安全法》第三十五条"
    assert licence(FOOD_SAFETY, food + "第一款") == "从事食品生产、食品销售、餐饮服务许可"
    assert licence(FOOD_SAFETY, food + "第二款") == "从事食品生产、食品销售、餐饮服务许可"


def test_the_body_that_acts_is_the_entrys_subject_not_part_of_its_name():
    land = partial(named, "行政法/土地管理法(2019-08-26).md")
    # 由县级以上人民政府农业农村主管部门责令退还非法占用的土地: the body goes to 实施主体, the act names the entry
    assert land("《中华人民共和国土地管理法》第七十八条第一款", category="其他行政权力") == "责令退还非法占用的土地"
    assert land("《中华人民共和国土地管理法》第八条", category="行政奖励") == "给予奖励"
    planning = "行政法/城乡规划法(2019-04-23).md"
    assert named(planning, "《中华人民共和国城乡规划法》第三十九条", category="其他行政权力") == "撤销有关批准文件"


def test_a_rule_that_only_says_there_is_one_is_left_out_of_the_name():
    border = partial(named, "宪法相关法/陆地国界法(2021-10-23).md", category="行政奖励")
    # 对作出突出贡献的公民和组织按照有关规定给予表彰、奖励
    assert border("《中华人民共和国陆地国界法》第十三条第二款") == "对作出突出贡献的公民和组织给予表彰、奖励"
    # …but a rule the body cannot keep (不能按照规定交付补偿房屋) is the act itself
    housing = "DLC/山东地方法规/地方性法规/山东/青岛市国有土地上房屋征收与补偿条例(2017-07-28).md"
    expropriation = named(housing, "《青岛市国有土地上房屋征收与补偿条例》第三十条第二款", category="行政征收")
    assert "不能按照规定交付补偿房屋" in expropriation


def test_the_clause_saying_who_imposes_a_statutes_penalties_is_named_after_them():
    water = "DLC/山东地方法规/地方性法规/山东/济南市节约用水条例(2020-09-25).md"
    assert named(water, "《济南市节约用水条例》第三十五条第二款") == "本条例规定的行政处罚"  # not 分工实施


def test_items_that_each_carry_a_violation_and_its_sanction_are_one_entry_each():
    """驻马店市山体保护条例第三十条: 违反本条例规定，按照以下规定予以处罚：（一）擅自采石…的，由自然资源和规划主管部门…
    处…罚款；（三）擅自新建、扩建公墓的，由民政部门…: each 项 is a power of its own body, with its own ranges."""
    article_30 = "《驻马店市山体保护条例》第三十条第一款"
    mountains = as_penalty("DLC/河南地方法规/地方性法规/河南/驻马店市山体保护条例(2019-07-09).md", article_30)
    entries = {entry.item: entry for entry in mountains}
    assert sorted(entries) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert entries[3].citation == article_30 + "第三项"
    assert (entries[3].name, entries[3].subject) == ("对擅自新建、扩建公墓的处罚", "民政部门")
    assert [(p.kind, p.min, p.max, p.base) for p in entries[3].penalties] == [("fine_multiple", 1, 3, "违法所得")]
    assert [(p.kind, p.min, p.max) for p in entries[4].penalties] == [("fine", 10000, 100000)]
    assert entries[8].subject == "林业主管部门" and entries[8].name == "对滥伐林木的处罚"


def test_items_that_grade_one_violation_stay_its_tiers():
    """安全生产法第一百一十四条: …由应急管理部门依照下列规定处以罚款：（一）发生一般事故的，处…；（二）发生较大事故的…:
    the 项 are the fines of one violation by the gravity of the accident, so one entry with four conditioned ranges."""
    article = "《中华人民共和国安全生产法》第一百一十四条第一款"
    [entry] = as_penalty("社会法/安全生产法(2021-06-10).md", article)
    assert entry.citation == article and entry.item is None
    assert [penalty.condition for penalty in entry.penalties] == [
        "发生一般事故的", "发生较大事故的", "发生重大事故的", "发生特别重大事故的"
    ]


def test_the_detention_goes_to_the_police_not_to_the_food_authority(proposed):
    _, _, entries = proposed
    police = [entry for entry in entries if entry.citation == ARTICLE_123 + "第一项" and entry.subject == "公安机关"]
    assert len(police) == 1
    assert [(penalty.kind, penalty.min, penalty.max) for penalty in police[0].penalties] == [("detention", 5, 15)]


def test_bodies_joined_by_a_conjunction_each_get_the_sanction_they_impose_together():
    # 由县级以上人民政府市场监督管理部门、海关按照职责责令改正，没收违法所得，并处货值金额一倍以上三倍以下的罚款；
    # 情节严重的，报经有批准权的人民政府批准，责令停业、关闭。
    article_72 = "《中华人民共和国噪声污染防治法》第七十二条第一款"
    noise = as_penalty("行政法/噪声污染防治法(2021-12-24).md", article_72)
    entries = {entry.subject: entry for entry in noise}
    assert set(entries) == {"县级以上人民政府市场监督管理部门", "海关", "有批准权的人民政府"}
    for department in ("县级以上人民政府市场监督管理部门", "海关"):
        assert [(penalty.kind, penalty.min, penalty.max) for penalty in entries[department].penalties] == [
            ("fine_multiple", 1, 3)
        ]
        assert "没收违法所得" in entries[department].measures
    # the government only approves the closure that follows it
    assert entries["有批准权的人民政府"].penalties == ()


def test_an_item_that_names_its_body_again_gets_it_with_its_own_ranges():
    """郑州市大气污染防治条例第五十八条第一款 lists violations as 项, each with its own body and sanction; the finder
    lists 生态环境主管部门 once, in （一）, yet （二） and （七） name it again and are its entries too."""
    article_58 = "《郑州市大气污染防治条例》第五十八条第一款"
    by_item = {}
    for entry in as_penalty("DLC/河南地方法规/地方性法规/河南/郑州市大气污染防治条例(2020-08-05).md", article_58):
        by_item.setdefault(entry.item, []).append(entry)
    assert [entry.subject for entry in by_item[2]] == ["生态环境主管部门"]
    assert [(p.min, p.max) for p in by_item[2][0].penalties] == [(10000, 100000)]
    assert [entry.subject for entry in by_item[6]] == ["市容和环境卫生行政主管部门"]
    assert [entry.subject for entry in by_item[7]] == ["生态环境主管部门"]
    assert [(p.min, p.max) for p in by_item[7][0].penalties] == [(5000, 50000)]
    assert all(entry.subject_rule == "named" for entries in by_item.values() for entry in entries)


def test_two_versions_of_one_statute_in_one_list_are_named(tmp_path: Path, capsys):
    """Their unchanged entries share ids (the id is what the entry is, not where): the run says which files do."""
    versions = [statute(f"诉讼与非诉讼程序法/行政复议法({date}).md") for date in ("2017-09-01", "2023-09-01")]
    assert main(["propose", *map(str, versions), "-o", str(tmp_path / "list")]) == 0
    error = capsys.readouterr().err
    assert f"warning: {versions[0]} and {versions[1]} share" in error


def test_every_entry_cites_its_basis_and_says_where_its_body_came_from(proposed):
    _, _, entries = proposed
    assert len({entry.id for entry in entries}) == len(entries)
    for entry in entries:
        assert entry.citation.startswith("《中华人民共和国食品安全法》第") and entry.quote
        assert 0 < entry.confidence <= 1 and entry.status == "proposed"
        assert entry.subject_rule in SUBJECT_RULES  # each with the words the spreadsheet gives it
        assert (entry.subject is None) == (entry.subject_rule == "unresolved")


def test_spreadsheets_have_the_columns_legal_staff_use(proposed):
    _, output, entries = proposed
    with open(output / "entries.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == COLUMNS and len(rows) == len(entries) + 1
    sheet = load_workbook(output / "entries.xlsx").active
    assert tuple(cell.value for cell in sheet[1]) == COLUMNS
    assert sheet.max_row == len(entries) + 1
    first_penalty = next(row for row in rows[1:] if row[2] == "行政处罚")
    assert first_penalty[5].startswith("从轻") and first_penalty[7] == "待审核"


def test_ids_stay_when_the_text_around_an_entry_changes(proposed, tmp_path: Path):
    source, _, entries = proposed
    edited = tmp_path / source.name
    text = source.read_text(encoding="utf-8")
    before = "第一百二十一条 县级以上人民政府食品安全监督管理等部门发现涉嫌食品安全犯罪的"
    assert before in text
    edited.write_text(text.replace(before, before.replace("发现", "在工作中发现")), encoding="utf-8")
    assert main(["propose", str(edited), "-o", str(tmp_path / "list")]) == 0
    again = {entry.citation: entry.id for entry in read(tmp_path / "list") if entry.article != 121}
    assert again == {entry.citation: entry.id for entry in entries if entry.article != 121}


def test_a_rerun_keeps_what_the_reviewer_decided(proposed, tmp_path: Path):
    source, output, entries = proposed
    reviewed = tmp_path / "list"
    shutil.copytree(output, reviewed)
    decided = entries[0].to_dict() | {"status": "corrected", "name": "食品安全风险监测（人工修改）"}
    rejected = entries[1].to_dict() | {"status": "rejected", "quote": "审核时的依据原文"}
    gone = entries[2].to_dict() | {"status": "accepted", "id": "0000000000000000", "citation": "《已删除》第一条"}
    lines = [decided, rejected, gone, *(entry.to_dict() for entry in entries[3:])]
    (reviewed / "entries.jsonl").write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
                                            encoding="utf-8")
    assert main(["propose", str(source), "-o", str(reviewed)]) == 0
    again = {entry.id: entry for entry in read(reviewed)}
    assert again[decided["id"]].name == "食品安全风险监测（人工修改）" and again[decided["id"]].status == "corrected"
    assert again[rejected["id"]].status == "rejected"
    assert any(warning.startswith(BASIS_CHANGED) for warning in again[rejected["id"]].warnings)
    assert NOT_PROPOSED in again["0000000000000000"].warnings
    assert len(again) == len(entries) + 1
    # untouched proposals are passed over unread by the line ending every one of them is written with
    assert all(json.dumps(line, ensure_ascii=False).endswith(UNTOUCHED) for line in lines[3:])


def test_a_decision_stays_in_place_when_a_better_name_gives_its_entry_a_new_id(proposed, tmp_path: Path):
    """The id hashes the name: entries reviewed under an older name are matched by basis, category and body."""
    source, output, entries = proposed
    reviewed = tmp_path / "list"
    shutil.copytree(output, reviewed)
    unique = [entry for entry in entries
              if sum(other.citation == entry.citation and other.category == entry.category for other in entries) == 1]
    accepted, corrected = unique[0], unique[1]
    lines = [entry.to_dict() for entry in entries]
    lines[entries.index(accepted)] |= {"status": "accepted", "id": "1" * 16, "name": "旧的事项名称"}
    lines[entries.index(corrected)] |= {"status": "corrected", "id": "2" * 16, "name": "另一个旧名称",
                                        "subject": "审核人改定的部门",
                                        "changes": [subject_change(corrected.subject, "审核人改定的部门")]}
    (reviewed / "entries.jsonl").write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
                                            encoding="utf-8")
    assert main(["propose", str(source), "-o", str(reviewed)]) == 0
    again = read(reviewed)
    assert [entry.citation for entry in again] == [entry.citation for entry in entries]  # in place, none beside
    by_id = {entry.id: entry for entry in again}
    assert accepted.id not in by_id and corrected.id not in by_id
    assert (by_id["1" * 16].name, by_id["1" * 16].status, by_id["1" * 16].warnings) == ("旧的事项名称", "accepted", ())
    assert (by_id["2" * 16].subject, by_id["2" * 16].status) == ("审核人改定的部门", "corrected")


def test_a_broken_previous_list_is_reported_and_left_alone(proposed, tmp_path: Path, capsys):
    source, _, _ = proposed
    (tmp_path / "entries.jsonl").write_text('{"id": "x"}\n', encoding="utf-8")
    assert main(["propose", str(source), "-o", str(tmp_path)]) == 2
    assert "entries.jsonl:1" in capsys.readouterr().err
    assert (tmp_path / "entries.jsonl").read_text(encoding="utf-8") == '{"id": "x"}\n'
    assert not (tmp_path / "entries.csv").exists()


def test_a_broken_tier_scheme_is_named(proposed, tmp_path: Path, capsys):
    source, _, _ = proposed
    scheme = tmp_path / "tiers.toml"
    scheme.write_text("[[tier]]\nname = '从轻'\nshare = 2\n", encoding="utf-8")
    assert main(["propose", str(source), "-o", str(tmp_path / "list"), "--tiers", str(scheme)]) == 2
    assert "tiers.toml" in capsys.readouterr().err


def test_cells_a_spreadsheet_would_run_are_neutralised(proposed, tmp_path: Path):
    _, _, entries = proposed
    from dataclasses import replace

    hostile = replace(entries[0], name='=HYPERLINK("http://example.com","x")', subject="+SUM(A1)", quote="@cmd")
    write_entries([hostile], tmp_path)
    with open(tmp_path / "entries.csv", encoding="utf-8-sig", newline="") as handle:
        row = list(csv.reader(handle))[1]
    assert row[1] == "'" + hostile.name and row[3] == "'+SUM(A1)" and row[9] == "'@cmd"
    cells = [cell.value for cell in load_workbook(tmp_path / "entries.xlsx").active[2]]
    assert cells[1] == "'" + hostile.name and cells[3] == "'+SUM(A1)"
    assert json.loads((tmp_path / "entries.jsonl").read_text(encoding="utf-8"))["name"] == hostile.name
