"""The check catalogue: every rule ID, its default severity and what it checks.

IDs follow the check catalogue of the official format (国办公开办函〔2021〕30号). A rule is
listed here once; its implementation registers with ``@implements("ID")`` in
``checks/tables.py``, ``prose.py``, ``crossyear.py`` …, or a reader reports it while reading
(``READER_RULES``). ``gdr-gen rules`` lists the entries that have an implementation. This module
is data only and sits below the readers, so reading a file never loads a rule module.
"""

from __future__ import annotations

from .findings import INFO, E, RuleInfo, W, declare

declare(
    # ---- data shape and values
    RuleInfo(
        "DATA-01", E, "数据结构符合数据格式：无未知字段、无缺失字段、类型和行长度正确", "数据"
    ),
    RuleInfo("VAL-01", E, "每个件数都是不小于 0 的整数（表二、表三 175 格、表四 15 格）", "数据"),
    RuleInfo(
        "VAL-02",
        E,
        "行政事业性收费是以万元为单位、不小于 0 的数（疑似按元填写或超过 6 位小数时警告）",
        "表二",
    ),
    RuleInfo("VAL-03", E, "无规章制定权的机关，规章一行应为 0/0/0", "表二"),
    RuleInfo(
        "VAL-04",
        W,
        "工作簿中的空白件数格按 0 读取（每张表一条警告）；正式年报中没有的数据应填 0",
        "数据",
    ),
    # ---- the fill-in workbook (only reported by the workbook reader)
    RuleInfo(
        "XL-01",
        E,
        "工作簿总计格被改写：格中的数（或公式缓存的结果）与按各项重新计算的总计不符",
        "数据",
    ),
    RuleInfo("XL-02", E, "工作簿的填写格中是公式：填写格应直接填数字或文字", "数据"),
    RuleInfo(
        "XL-03",
        W,
        "工作簿总计格的公式被删除或改动（数值仍与重新计算的总计一致，但不再自动更新）",
        "数据",
    ),
    # ---- published reports (HTML, Word, PDF, text) as read by the import readers
    RuleInfo(
        "IMP-01",
        W,
        "已发布年报的数值格带有文字注释（如“22（其中修订16件）”）：按数字读取，注释未计入数据",
        "数据",
    ),
    RuleInfo(
        "IMP-02",
        W,
        "已发布年报的表三使用旧版单行“（六）其他处理”：数字计入“3.其他”",
        "数据",
    ),
    RuleInfo(
        "IMP-03",
        E,
        "已发布年报中有行或数值无法对应到正式格式的位置（未读取，不会错位读入其他列）",
        "数据",
    ),
    RuleInfo("IMP-04", INFO, "已发布年报的表格标签与正式格式不同，已按正式标签读取", "数据"),
    RuleInfo(
        "IMP-05",
        W,
        "已发布年报中缺少或无法识别的内容（标题、某一部分、落款日期）",
        "数据",
    ),
    # ---- 表二
    RuleInfo(
        "T2-01", W, "现行有效件数 ≥ 本年制发件数 − 本年废止件数（规章、行政规范性文件）", "表二"
    ),
    # ---- 表三
    RuleInfo(
        "T3-01",
        E,
        "每列：一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理",
        "表三",
    ),
    RuleInfo("T3-02", E, "每列：（七）总计 = （一）至（六）21 项办理结果之和", "表三"),
    RuleInfo("T3-03", E, "每行：总计 = 自然人 + 法人或其他组织五列之和", "表三"),
    RuleInfo("T3-05", E, "每列：四、结转下年度 ≤ 一、本年新收 + 二、上年结转", "表三"),
    RuleInfo(
        "T3-06", W, "每列：四、结转下年度 ≤ 一、本年新收（上年结转的申请应在本年办结）", "表三"
    ),
    RuleInfo("T3-07", W, "（六）2 逾期未缴费大于 0，但第六部分未提及信息处理费", "表三"),
    # ---- 表四
    RuleInfo("T4-01", E, "行政复议：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结", "表四"),
    RuleInfo(
        "T4-02", E, "行政诉讼（未经复议直接起诉）：总计 = 维持 + 纠正 + 其他 + 尚未审结", "表四"
    ),
    RuleInfo("T4-03", E, "行政诉讼（复议后起诉）：总计 = 维持 + 纠正 + 其他 + 尚未审结", "表四"),
    RuleInfo(
        "T4-05",
        W,
        "复议后起诉总计 > 行政复议总计 + 上年行政复议尚未审结（疑似把复议机关共同被告计入）",
        "表四",
    ),
    # ---- cross-year
    RuleInfo("XY-01", E, "本年“二、上年结转”= 上年“四、结转下年度继续办理”，逐列", "跨年度"),
    RuleInfo(
        "XY-02",
        W,
        "现行有效件数 = 上年现行有效 + 本年制发 − 本年废止；正文说明了本年对该类文件的清理时，减少只作提示（清理不能解释增加）",
        "跨年度",
    ),
    RuleInfo("XY-03", W, "第五部分应报告上年问题的整改情况，且不照抄上年问题", "跨年度"),
    RuleInfo("XY-04", W, "正文与上年报告重复超过 50%", "跨年度"),
    RuleInfo("XY-05", INFO, "跨 2020→2021 格式变更时不适用 XY-02", "跨年度"),
    # ---- prose vs tables
    RuleInfo("NT-01", E, "正文引用的申请件数（收到/受理/新收、办结、结转）与表三一致", "正文"),
    RuleInfo("NT-02", E, "正文引用的申请人构成（自然人、法人或其他组织）与表三一致", "正文"),
    RuleInfo("NT-03", E, "正文引用的办理结果件数与表三一致", "正文"),
    RuleInfo("NT-04", E, "正文引用的百分比与件数之比一致（按所印位数四舍五入）", "正文"),
    RuleInfo("NT-05", E, "正文引用的行政复议、行政诉讼件数及“均已审结”等说法与表四一致", "正文"),
    RuleInfo("NT-06", E, "正文引用的规章、行政规范性文件件数与表二一致", "正文"),
    RuleInfo("NT-07", E, "正文引用的行政许可、处罚、强制件数及收费金额与表二一致", "正文"),
    RuleInfo("NT-08", E, "第六部分说明信息处理费收取情况，且与数据一致", "正文"),
    RuleInfo("NT-09", W, "第一部分涵盖五个方面（人民政府还应含考核、评议、责任追究）", "正文"),
    RuleInfo(
        "NT-10",
        E,
        "第一、五、六部分不为空（一份完整的年报三部分都要写），第五部分不只是“无”",
        "正文",
    ),
    # ---- meta
    RuleInfo(
        "META-01", W, "发布日期晚于法定期限（部门 1 月 31 日，人民政府 3 月 31 日）", "基本信息"
    ),
    RuleInfo("META-02", E, "标题、统计期限和正文中作为报告年度的年份一致", "基本信息"),
    RuleInfo("META-03", W, "机关名称在各处一致", "基本信息"),
)


# Rules reported by the readers while reading (no function in checks.RULES).
READER_RULES = frozenset({"DATA-01", "VAL-04", "XL-01", "XL-02", "XL-03"})
