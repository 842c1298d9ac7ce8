"""Who took part in Lanjiang's review: stakeholders, engagements, contributions and actions.

All people and organisations are fictional.  The engagements record how many people from
each group of :data:`vlrkit.review.GROUPS` they reached (GE-4.7, GE-5b.6); contributions
are the stakeholders' own words, some accepted into the annex (GE-9b), some still under
review and one declined; actions are the follow-up (GE-8, GE-10), some of them overdue.
"""

from __future__ import annotations

from datetime import date

from vlrkit.review import Action, Contribution, Engagement, Stakeholder

STAKEHOLDERS: tuple[Stakeholder, ...] = (
    Stakeholder(
        "SH-DRC",
        {"zh-Hans": "澜江市发展和改革委员会", "en": "Lanjiang Development and Reform Commission"},
        kind="government",
    ),
    Stakeholder(
        "SH-WOMEN",
        {"zh-Hans": "澜江市妇女联合会", "en": "Lanjiang Women's Federation"},
        kind="civil_society",
        groups=("women", "children"),
    ),
    Stakeholder(
        "SH-DPF",
        {"zh-Hans": "澜江市残疾人联合会", "en": "Lanjiang Disabled Persons' Federation"},
        kind="civil_society",
        groups=("persons_with_disabilities",),
    ),
    Stakeholder(
        "SH-MIGRANT",
        {"zh-Hans": "新港区外来务工人员服务中心", "en": "Xingang Migrant Workers' Service Centre"},
        kind="community",
        groups=("migrants",),
    ),
    Stakeholder(
        "SH-YOUTH",
        {"zh-Hans": "澜江青年可持续发展网络", "en": "Lanjiang Youth Network for Sustainable Development"},
        kind="youth",
        groups=("youth",),
    ),
    Stakeholder(
        "SH-UNI",
        {"zh-Hans": "澜江大学可持续发展研究院", "en": "Lanjiang University Institute for Sustainable Development"},
        kind="academia",
    ),
    Stakeholder(
        "SH-CHAMBER",
        {"zh-Hans": "澜江市工商业联合会", "en": "Lanjiang Federation of Industry and Commerce"},
        kind="private_sector",
    ),
    Stakeholder(
        "SH-ELDER",
        {"zh-Hans": "老城区银龄互助协会", "en": "Laocheng Silver Age Mutual Aid Association"},
        kind="community",
        groups=("older_persons",),
    ),
    Stakeholder(
        "SH-RIVER",
        {"zh-Hans": "澜江守护者环保志愿团", "en": "Lan River Keepers (environmental volunteers)"},
        kind="civil_society",
        consent=False,  # took part but asked not to be named in the published review
    ),
)

ENGAGEMENTS: tuple[Engagement, ...] = (
    Engagement(
        "EN-01",
        {"zh-Hans": "地方自愿陈述启动会暨部门工作坊", "en": "VLR launch and departmental workshop"},
        date(2024, 9, 12),
        format="workshop",
        participants=86,
        groups_reached={"women": 41},
        stakeholders=("SH-DRC", "SH-UNI"),
        goals=tuple(range(1, 18)),
    ),
    Engagement(
        "EN-02",
        {"zh-Hans": "“我心中的可持续澜江”市民问卷调查",
         "en": "Citizen survey “My sustainable Lanjiang”"},
        date(2024, 10, 8),
        format="survey",
        participants=4120,
        groups_reached={"women": 2150, "youth": 980, "older_persons": 610, "migrants": 870,
                        "persons_with_disabilities": 140},
        stakeholders=("SH-UNI",),
        goals=tuple(range(1, 18)),
    ),
    Engagement(
        "EN-03",
        {"zh-Hans": "新港区流动人口座谈会", "en": "Migrant residents' round table, Xingang"},
        date(2024, 10, 26),
        format="workshop",
        participants=38,
        groups_reached={"migrants": 34, "women": 17, "children": 6},
        stakeholders=("SH-MIGRANT",),
        goals=(1, 4, 8, 10, 11),
    ),
    Engagement(
        "EN-04",
        {"zh-Hans": "无障碍与残疾人权益听证会", "en": "Public hearing on accessibility and disability rights"},
        date(2024, 11, 14),
        format="hearing",
        participants=52,
        groups_reached={"persons_with_disabilities": 29, "older_persons": 11},
        stakeholders=("SH-DPF", "SH-ELDER"),
        goals=(4, 10, 11, 16),
    ),
    Engagement(
        "EN-05",
        {"zh-Hans": "青年气候与就业对话", "en": "Youth dialogue on climate and jobs"},
        date(2024, 11, 30),
        format="event",
        participants=145,
        groups_reached={"youth": 132, "women": 78, "children": 38},
        stakeholders=("SH-YOUTH", "SH-RIVER"),
        goals=(4, 8, 13, 14),
    ),
    Engagement(
        "EN-06",
        {"zh-Hans": "企业可持续发展圆桌会", "en": "Business round table on sustainability"},
        date(2024, 12, 10),
        format="workshop",
        participants=47,
        groups_reached={"women": 12},
        stakeholders=("SH-CHAMBER",),
        goals=(7, 8, 9, 12, 17),
    ),
    Engagement(
        "EN-07",
        {"zh-Hans": "报告初稿网上公开征求意见", "en": "Online public comment on the draft review"},
        date(2025, 3, 3),
        format="online",
        participants=1290,
        groups_reached={"women": 610, "youth": 350, "older_persons": 120, "migrants": 160,
                        "persons_with_disabilities": 35},
        stakeholders=("SH-WOMEN", "SH-DPF", "SH-YOUTH", "SH-UNI"),
        goals=tuple(range(1, 18)),
    ),
)

CONTRIBUTIONS: tuple[Contribution, ...] = (
    Contribution(
        "CO-01", "SH-MIGRANT", date(2024, 10, 26), "zh-Hans",
        "流动人口的养老保险参保率十年间大幅提高，但仍有约七分之一的流动人口未参保，灵活就业的快递员和外卖骑手最为集中。"
        "建议按职业而非户籍统计参保情况，并简化跨省转移接续手续。",
        engagement="EN-03", section="GE-5d", goals=(1, 8, 10), status="accepted",
    ),
    Contribution(
        "CO-02", "SH-DPF", date(2024, 11, 14), "en",
        "Schools have become much more accessible, yet one student with a disability in seven "
        "still does not complete nine-year education. We ask the city to publish completion "
        "by type of disability and to fund a resource teacher in every school by 2027.",
        engagement="EN-04", section="GE-6", goals=(4, 10), status="accepted",
    ),
    Contribution(
        "CO-03", "SH-YOUTH", date(2024, 11, 30), "zh-Hans",
        "青年失业率持续上升，而报告初稿对此着墨不多。建议在第八项目标下单列青年就业分析，并把青年未就业未就学比例纳入本地目标。",
        engagement="EN-05", section="GE-6", goals=(8,), status="accepted",
    ),
    Contribution(
        "CO-04", "SH-UNI", date(2025, 3, 10), "en",
        "The review should show the gaps between districts, not only city averages: Qingshan "
        "County lags behind on income, water and public transport access. We offer our survey "
        "centre's small-area estimates for the next edition.",
        engagement="EN-07", section="GE-9a", goals=(1, 6, 10, 11), status="accepted",
    ),
    Contribution(
        "CO-05", "SH-ELDER", date(2024, 11, 14), "zh-Hans",
        "老年人使用智能手机办事仍有困难，政务服务“全程网办”应保留线下窗口和代办服务，并在社区开设数字技能课程。",
        engagement="EN-04", section="GE-5d", goals=(16, 17), status="accepted",
    ),
    Contribution(
        "CO-06", "SH-CHAMBER", date(2024, 12, 10), "en",
        "Member firms want a single green-finance window and clear rules for rooftop solar on "
        "leased factory roofs; many would commit to science-based emission targets if grid "
        "connection took weeks rather than months.",
        engagement="EN-06", section="GE-7", goals=(7, 9, 13), status="submitted",
    ),
    Contribution(
        "CO-07", "SH-WOMEN", date(2025, 3, 12), "zh-Hans",
        "男女工资差距不降反升，建议市人社局每年发布分性别工资报告，并将托育服务供给纳入第五项目标的本地指标。",
        engagement="EN-07", section="GE-6", goals=(5, 8), status="submitted",
    ),
    Contribution(
        "CO-08", "SH-RIVER", date(2024, 11, 30), "en",
        "Volunteers' monthly river-litter counts could complement official monitoring of the "
        "Lan River estuary.",
        engagement="EN-05", section="GE-6", goals=(6, 14), status="accepted",
    ),
    Contribution(
        "CO-09", "SH-CHAMBER", date(2025, 3, 14), "en",
        "Please remove the paragraph on the wage gap; it may harm the city's investment image.",
        engagement="EN-07", section="GE-6", goals=(5,), status="rejected",
    ),
)

ACTIONS: tuple[Action, ...] = (
    Action(
        "AC-01",
        {"zh-Hans": "将灵活就业人员纳入养老保险扩面行动", "en": "Extend pension insurance to gig and platform workers"},
        owner="澜江市人力资源和社会保障局 / Lanjiang Human Resources and Social Security Bureau",
        deadline=date(2026, 12, 31), status="in_progress",
        targets=("1.3", "8.8"), indicators=("LJ-01-02",),
    ),
    Action(
        "AC-02",
        {"zh-Hans": "青山县农村供水一体化改造", "en": "Integrated rural water supply upgrade in Qingshan County"},
        owner="澜江市水务局 / Lanjiang Water Affairs Bureau",
        deadline=date(2024, 12, 31), status="in_progress",  # overdue
        targets=("6.1",), indicators=("LJ-06-01",),
    ),
    Action(
        "AC-03",
        {"zh-Hans": "青年就业见习与技能提升计划", "en": "Youth traineeship and skills programme"},
        owner="澜江市人力资源和社会保障局 / Lanjiang Human Resources and Social Security Bureau",
        deadline=date(2026, 12, 31), status="in_progress",
        targets=("8.6", "4.4"), indicators=("LJ-08-04", "LJ-08-02"),
    ),
    Action(
        "AC-04",
        {"zh-Hans": "新建和改建保障性租赁住房2万套", "en": "Build or convert 20,000 affordable rental homes"},
        owner="澜江市住房和城乡建设局 / Lanjiang Housing and Urban-Rural Development Bureau",
        deadline=date(2027, 6, 30), status="in_progress",
        targets=("11.1",), indicators=("LJ-11-02", "LJ-11-01"),
    ),
    Action(
        "AC-05",
        {"zh-Hans": "全市中小学无障碍改造全覆盖", "en": "Make every primary and secondary school accessible"},
        owner="澜江市教育局 / Lanjiang Education Bureau",
        deadline=date(2024, 8, 31), status="in_progress",  # overdue
        targets=("4.a", "4.5"), indicators=("LJ-04-05", "LJ-04-02"),
    ),
    Action(
        "AC-06",
        {"zh-Hans": "碳达峰实施方案及重点行业节能改造", "en": "Carbon peaking plan and energy retrofits in key industries"},
        owner="澜江市发展和改革委员会 / Lanjiang Development and Reform Commission",
        deadline=date(2025, 6, 30), status="done",
        targets=("13.2", "7.3", "9.4"), indicators=("LJ-13-01", "LJ-07-02", "LJ-09-05"),
    ),
    Action(
        "AC-07",
        {"zh-Hans": "生活垃圾分类全域推行与回收网络建设", "en": "Citywide waste sorting and recycling network"},
        owner="澜江市住房和城乡建设局 / Lanjiang Housing and Urban-Rural Development Bureau",
        deadline=date(2023, 12, 31), status="in_progress",  # overdue
        targets=("12.5", "11.6"), indicators=("LJ-12-02", "LJ-12-01"),
    ),
    Action(
        "AC-08",
        {"zh-Hans": "发布年度分性别工资报告", "en": "Publish an annual gender pay report"},
        owner="澜江市人力资源和社会保障局 / Lanjiang Human Resources and Social Security Bureau",
        deadline=date(2026, 12, 31), status="planned",
        targets=("5.1", "8.5"), indicators=("LJ-05-04",),
    ),
    Action(
        "AC-09",
        {"zh-Hans": "建立分区县、分人群的可持续发展指标数据库", "en": "Build a district- and group-level SDG indicator database"},
        owner="澜江市统计局 / Lanjiang Municipal Bureau of Statistics",
        deadline=date(2027, 6, 30), status="in_progress",
        targets=("17.18",), indicators=("LJ-17-05", "LJ-10-03"),
    ),
    Action(
        "AC-10",
        {"zh-Hans": "澜江口海洋保护地扩展论证", "en": "Feasibility study for extending the Lan River mouth marine protected area"},
        owner="澜江市海洋与渔业局 / Lanjiang Ocean and Fisheries Bureau",
        deadline=date(2025, 3, 31), status="cancelled",
        targets=("14.5",), indicators=("LJ-14-02",),
    ),
)
