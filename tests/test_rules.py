"""The rule layer on real 款: what the statutes that define the powers say, and what the guidelines exclude."""

from __future__ import annotations

from pipeline.rules import confers_nothing, criminal_sentence, defines_only, rule_scores, sanction_by_reference


def predicted(text: str) -> set[str]:
    return {category for category, score in rule_scores(text).items() if score >= 0.5}


def test_a_fine_with_confiscation_is_a_penalty():
    text = (  # 食品安全法第一百二十二条第一款
        "违反本法规定，未取得食品生产经营许可从事食品生产经营活动，或者未取得食品添加剂生产许可从事食品添加剂生产活动的，"
        "由县级以上人民政府食品安全监督管理部门没收违法所得和违法生产经营的食品、食品添加剂以及用于违法生产经营的工具、"
        "设备、原料等物品；违法生产经营的食品、食品添加剂货值金额不足一万元的，并处五万元以上十万元以下罚款；"
        "货值金额一万元以上的，并处货值金额十倍以上二十倍以下罚款。"
    )
    assert "行政处罚" in predicted(text)


def test_late_fees_and_seizure_are_coercion_but_a_compulsory_licence_is_not():
    assert "行政强制" in predicted("用人单位未按时足额缴纳社会保险费的，由社会保险费征收机构责令限期缴纳或者补足，"
                                   "并自欠缴之日起，按日加收万分之五的滞纳金。")
    assert "行政强制" not in predicted("国务院专利行政部门可以给予实施发明专利或者实用新型专利的强制许可。")


def test_purpose_definition_and_criminal_clauses_carry_nothing():
    assert predicted("为了保证食品安全，保障公众身体健康和生命安全，制定本法。") == set()
    assert predicted("本法所称道路，是指公路、城市道路和虽在单位管辖范围内但允许社会机动车通行的地方。") == set()
    assert predicted("违反本法规定，构成犯罪的，依法追究刑事责任。") == set()


def test_a_paragraph_defines_only_when_every_sentence_defines():
    assert defines_only("本法下列用语的含义：")
    assert defines_only("保税货物，是指经海关批准未办理纳税手续进境，在境内储存、加工、装配后复运出境的货物。")
    assert defines_only("本条例下列用语的含义：\n（一）船籍港，是指船舶办理所有权登记的港口。\n（二）船舶所在地，是指…")
    # a definition, then a ban in the defined place (洛阳市公路路政管理条例第二十三条); a benefit's content (社会保险法)
    assert not defines_only("控制区是指公路用地以外建筑控制线内的区域。在控制区内，禁止修建永久性建筑物。")
    assert not defines_only("生育保险待遇包括生育医疗费用和生育津贴。")


def test_allocating_a_field_or_setting_up_a_system_confers_nothing_but_a_duty_to_inspect_or_a_licence_does():
    assert confers_nothing("市场监督管理部门负责依法对犬只经营活动的监督管理。")  # 丽水市城市养犬管理规定第八条第三款
    assert confers_nothing("县级以上人民政府生态环境主管部门对本行政区域内固体废物污染环境的防治工作实施统一监督管理。")
    assert confers_nothing("产品质量实行以抽查为主要方式的监督检查制度。")
    assert not confers_nothing("文化主管部门应当加强对营业性演出的监督管理。")  # 行政检查 by the guidelines
    assert not confers_nothing("广播电视节目制作经营机构的设立和电视剧的制作实行许可证制度。")
    assert not confers_nothing("市场监管部门负责犬只经营、诊疗机构的市场主体登记注册，对从事犬只经营活动进行监督管理。")
    # a scope clause (丽水市城市养犬管理规定第二条第一款, shortened), but not one that goes on to name a licence
    assert confers_nothing("本市城市建成区以及县人民政府划定的其他区域的养犬行为及其管理活动，适用本规定。")
    assert not confers_nothing("改建临街门窗的，应当向规划主管部门申请建设工程规划许可。户外广告的设置不适用本规定。")


def test_words_that_convict_of_a_crime_are_criminal_liability():
    """Judicial interpretations and the criminal law sanction by conviction (定罪处罚, 数罪并罚, 犯前款罪); a 款 that
    also sets an administrative sanction, or leaves an act below a crime to one, is not criminal liability."""
    assert criminal_sentence("走私枪支散件，构成犯罪的，依照刑法第一百五十一条第一款的规定，以走私武器罪定罪处罚。")
    assert criminal_sentence("犯前两款罪，并有杀害、伤害、强奸、绑架等犯罪行为的，依照数罪并罚的规定处罚。")
    assert criminal_sentence("与境外机构、组织、个人相勾结，犯前款罪的，依照前款的规定处罚。")
    assert not criminal_sentence("尚不构成犯罪的，由公安机关依照《中华人民共和国治安管理处罚法》的规定处罚。")
    assert not criminal_sentence("构成犯罪的，依法定罪处罚；尚不构成犯罪的，处五千元以上二万元以下罚款。")


def test_a_penalty_taken_from_another_paragraph_by_number_is_read_as_one():
    """依照前两款 (刑法第二百三十九条第三款) and a bare 依照第一款 (a 款 of the same article: 食品安全法第一百二十六条
    第四款) take a penalty by reference, as 依照前款 does; 价格违法行为行政处罚规定第五条第三款 sets a fine of its own
    too."""
    assert sanction_by_reference("以勒索财物为目的偷盗婴幼儿的，依照前两款的规定处罚。")
    assert sanction_by_reference("食用农产品销售者违反本法第六十五条规定的，由县级以上人民政府食品安全监督管理部门"
                                 "依照第一款规定给予处罚。")
    assert not sanction_by_reference(
        "行业协会或者其他单位组织经营者相互串通，操纵市场价格的，对经营者依照前两款的规定处罚；对行业协会或者其他单位，"
        "可以处50万元以下的罚款，情节严重的，由登记管理机关依法撤销登记、吊销执照。")


def test_sanctions_on_officials_only_carry_nothing():
    text = ("违反本法规定，县级以上地方人民政府有下列行为之一的，对直接负责的主管人员和其他直接责任人员给予警告、"
            "记过或者记大过处分；造成严重后果的，给予降级或者撤职处分。")
    assert predicted(text) == set()


def test_a_correction_order_beside_a_fine_is_the_penalty_only():
    text = "违反本规定，未按照规定携带犬只的，由综合行政执法部门责令改正，处五十元以上二百元以下罚款。"
    assert predicted(text) == {"行政处罚"}
    assert predicted("违反本规定的，由综合行政执法部门责令限期改正。") == {"其他行政权力"}


def test_empty_text_scores_zero():
    assert set(rule_scores("").values()) == {0.0}
