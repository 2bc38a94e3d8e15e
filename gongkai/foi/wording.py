"""What the letters say: the built-in wording per kind of letter and, for the decision
letter, per outcome of table 三 (regulation-notes-2 §8.3).

Data only; gongkai.foi.letters fills the placeholders ({申请人} …, listed in
letters.PLACEHOLDERS) from the case's record, and an agency's or the installation's
LetterTemplate (the back office's 文书模板, gongkai.foi.letter_templates) replaces any
of these texts. Each decision wording is written for the applicant: it
states the finding, cites its article and item once, gives what §8.3's "Required
content" column asks for, then the remedy clause ({救济途径}, gongkai.foi.remedy; empty
where the letter carries none) and "特此告知。". The report's row labels, with their
counting notes, never appear.

[unconfirmed] The 26 format documents of the Jiangsu reply standard (苏政办函〔2019〕98号,
endorsed nationally on 2020-01-10) could not be read (§8.1). Every decision wording
below is therefore DRAFTED FROM THE STATUTORY ELEMENTS of 条例第三十条至第三十九条 and
the §8.2 skeleton; replace it with the Jiangsu wording once obtained. Texts whose legal
basis itself is unconfirmed say so on their entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.foi.models import LetterKind
from gongkai.lib.report_keys import Outcome

REGULATIONS = "《中华人民共和国政府信息公开条例》"


@dataclass(frozen=True)
class Wording:
    title: str
    body: str


def _law(text: str) -> str:
    """The regulation's full name where a text writes 〈条例〉 (each text cites it once)."""
    return text.replace("〈条例〉", REGULATIONS)


# ---------------------------------------------------------------- letters of the procedure
# Interim letters carry no remedy clause: the regulation is silent and most models put
# none on them (§8.3; [unconfirmed] whether the Jiangsu templates do).
DEFAULTS: dict[str, Wording] = {
    LetterKind.RECEIPT: Wording(
        "政府信息公开申请受理回执",
        _law(
            "{申请人}：\n"
            "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}），申请内容为：{申请内容}。\n"
            "根据〈条例〉第三十三条的规定，本机关将在收到申请之日起20个工作日内予以答复，"
            "答复期限为{答复期限}。如需延长答复期限，本机关将另行告知。\n"
            "联系电话：{联系电话}；办公地址：{办公地址}。\n"
            "特此告知。"
        ),
    ),
    LetterKind.CORRECTION: Wording(
        "政府信息公开申请补正告知书",
        _law(
            "{申请人}：\n"
            "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}）。经审查，申请内容不明确，"
            "根据〈条例〉第三十条的规定，请您对下列事项作出补正：\n{补正事项}\n"
            "请于{补正期限}前提交补正后的申请。答复期限自本机关收到补正的申请之日起计算。"
            "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。\n"
            "特此告知。"
        ),
    ),
    LetterKind.EXTENSION: Wording(
        "政府信息公开申请延期答复告知书",
        _law(
            "{申请人}：\n"
            "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}）。因{延期理由}，"
            "不能在规定期限内作出答复。经本机关政府信息公开工作机构负责人同意，"
            "根据〈条例〉第三十三条第二款的规定，答复期限延长{延期天数}个工作日，"
            "本机关将于{延期后期限}前作出答复。\n"
            "特此告知。"
        ),
    ),
    # 第三十五条: the agency "可以要求申请人说明理由". No period is fixed; fifteen working
    # days mirrors the opinion periods of 第三十二、三十四条 [unconfirmed: an office's choice,
    # editable in the draft].
    LetterKind.EXPLANATION: Wording(
        "政府信息公开申请说明理由告知书",
        _law(
            "{申请人}：\n"
            "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}），申请内容为：{申请内容}。"
            "经审查，您申请公开政府信息的数量、频次明显超过合理范围。根据〈条例〉第三十五条的规定，"
            "请您自收到本告知书之日起15个工作日内向本机关书面说明申请的理由。\n"
            "本机关认为申请理由不合理的，将告知您不予处理；认为申请理由合理，但是无法在规定期限内答复的，"
            "将确定延迟答复的合理期限并告知您。\n"
            "联系电话：{联系电话}；办公地址：{办公地址}。\n"
            "特此告知。"
        ),
    ),
    # 第三十二条: what is asked, why it may touch the third party's rights, fifteen working
    # days from receipt, what silence means, how to answer. The applicant is not named: the
    # third party needs the information asked for, not who asked.
    LetterKind.CONSULTATION_THIRD_PARTY: Wording(
        "政府信息公开申请征求意见书",
        _law(
            "{被征求意见方}：\n"
            "本机关于{收到日期}收到政府信息公开申请（申请编号：{申请编号}），申请公开：{申请内容}。"
            "经审查，该政府信息的公开可能损害贵方的合法权益。根据〈条例〉第三十二条的规定，现书面征求贵方意见。\n"
            "请贵方自收到本征求意见书之日起15个工作日内（{意见期限}前）提出是否同意公开的书面意见；"
            "不同意公开的，请说明理由。逾期未提出意见的，由本机关依照条例的规定决定是否公开。"
            "贵方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，"
            "可以决定予以公开，并将决定公开的政府信息内容和理由书面告知贵方。\n"
            "意见请寄送或者送交本机关（办公地址：{办公地址}；联系电话：{联系电话}）。\n"
            "特此函告。"
        ),
    ),
    # 第三十四条 (verbatim on the period and on silence): jointly made information.
    LetterKind.CONSULTATION_AGENCY: Wording(
        "政府信息公开申请征求意见书",
        _law(
            "{被征求意见方}：\n"
            "本机关于{收到日期}收到政府信息公开申请（申请编号：{申请编号}），申请公开：{申请内容}。"
            "该政府信息由本机关与贵机关共同制作。根据〈条例〉第三十四条的规定，现征求贵机关意见。\n"
            "请贵机关自收到本征求意见书之日起15个工作日内（{意见期限}前）提出是否同意公开的书面意见；"
            "不同意公开的，请说明理由和依据。逾期未提出意见的，视为同意公开。\n"
            "联系电话：{联系电话}；办公地址：{办公地址}。\n"
            "特此函告。"
        ),
    ),
    # 苏政办发〔2019〕50号: the consultation is also told to the applicant in writing, with
    # 第三十三条第三款 (the time it takes is not counted). A third party is not named.
    LetterKind.CONSULTATION_NOTICE: Wording(
        "政府信息公开申请征求意见告知书",
        (  # the regulation's full name comes with {征求意见事由}
            "{申请人}：\n"
            "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}），申请内容为：{申请内容}。"
            "经审查，{征求意见事由}本机关已于{征求意见日期}书面征求{征求对象}的意见。\n"
            "根据条例第三十三条第三款的规定，征求意见所需时间不计算在答复期限内。"
            "本机关将在收到意见或者征求意见期限届满后依照规定作出答复。\n"
            "特此告知。"
        ),
    ),
    # 第三十二条 last sentence: the content and the reasons, in writing, before disclosure.
    # The third party may challenge the disclosure (行政复议法第十一条第（十四）项), hence the
    # remedy clause, addressed to it [inferred, §8.3].
    LetterKind.THIRD_PARTY_OVERRIDE: Wording(
        "政府信息依申请公开告知书",
        _law(
            "{被征求意见方}：\n"
            "本机关于{征求意见日期}就政府信息公开申请（申请编号：{申请编号}）征求贵方意见，"
            "贵方的意见为：{第三方意见}。\n"
            "经审查，本机关认为不公开可能对公共利益造成重大影响。根据〈条例〉第三十二条的规定，"
            "本机关决定予以公开。现将有关事项书面告知如下：\n"
            "一、决定公开的政府信息内容：{申请内容}。\n"
            "二、决定公开的理由：{公开理由}。\n"
            "{救济途径}\n"
            "特此告知。"
        ),
    ),
    LetterKind.FEE_NOTICE: Wording(
        "政府信息公开信息处理费收费通知书",
        _law(
            "{申请人}：\n"
            "您提出的政府信息公开申请（申请编号：{申请编号}）的数量、频次明显超过合理范围。"
            "根据〈条例〉第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，"
            "需缴纳信息处理费{收费金额}元（{收费标准}）。请自收到本通知书之次日起20个工作日内（{缴费期限}前）"
            "缴纳；缴纳方式请与本机关联系（联系电话：{联系电话}）。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。\n"
            "特此通知。"
        ),
    ),
}

# ---------------------------------------------------------------- the decision letter
REPLY_TITLE = "政府信息公开申请答复书"
NOTICE_TITLE = "政府信息公开申请告知书"

_OPENING = (
    "{申请人}：\n"
    "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}），"
    "申请公开的内容为：{申请内容}。\n"
)
_CLOSING = "\n{救济途径}\n特此告知。"


def _reply(body: str, title: str = REPLY_TITLE) -> Wording:
    return Wording(title, _law(_OPENING + body + _CLOSING))


# 第三十六条第（三）项: each ground of table 三 （三） with its article (第十四/十五/十六条).
_DENIAL = "根据〈条例〉{article}及第三十六条第（三）项的规定，本机关决定不予公开。{理由}"

# The wording key is the outcome key, except where one row of table 三 covers two items
# of 第三十六条: "granted" is （二）予以公开 and "granted_published" （一）已主动公开;
# "unable_not_held" is （四）信息不存在 and "unable_not_held_elsewhere" （五）非本机关负责
# (chosen when the case names the competent agency). The notices of （六）1、2 and of a
# withdrawal have their own letter kinds (ABANDONMENT and DEFAULTS below).
REPLIES: dict[str, Wording] = {
    "granted_published": _reply(
        "经审查，您申请公开的政府信息本机关已经主动公开。根据〈条例〉第三十六条第（一）项的规定，"
        "现告知您获取该政府信息的方式和途径：{获取途径}。"
    ),
    Outcome.GRANTED: _reply(
        "经审查，您申请公开的政府信息属于可以公开的政府信息。根据〈条例〉第三十六条第（二）项的规定，"
        "本机关决定予以公开。{提供信息}"
    ),
    Outcome.PARTIALLY_GRANTED: _reply(
        "经审查，您申请公开的政府信息中含有不应当公开的内容，但能够作区分处理。"
        "根据〈条例〉第三十七条的规定，本机关对可以公开的部分予以公开，对不应当公开的部分不予公开。"
        "{提供信息}\n"
        "不予公开的内容及其理由、依据如下：\n{不予公开部分}"
    ),
    Outcome.DENIED_STATE_SECRET: _reply(
        "经审查，您申请公开的政府信息属于国家秘密。" + _DENIAL.replace("{article}", "第十四条")
    ),
    Outcome.DENIED_LAW_PROHIBITED: _reply(
        "经审查，您申请公开的政府信息属于{有关法律}禁止公开的政府信息。"
        + _DENIAL.replace("{article}", "第十四条")
    ),
    Outcome.DENIED_THREE_SECURITY_ONE_STABILITY: _reply(
        "经审查，您申请公开的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定。"
        + _DENIAL.replace("{article}", "第十四条")
    ),
    Outcome.DENIED_THIRD_PARTY_RIGHTS: _reply(
        "经审查，您申请公开的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害。"
        + _DENIAL.replace("{article}", "第十五条、第三十二条")
    ),
    Outcome.DENIED_INTERNAL_AFFAIRS: _reply(
        "经审查，您申请公开的政府信息属于人事管理、后勤管理、内部工作流程等方面的内部事务信息。"
        + _DENIAL.replace("{article}", "第十六条第一款")
    ),
    Outcome.DENIED_PROCESS_INFO: _reply(
        "经审查，您申请公开的政府信息属于本机关在履行行政管理职能过程中形成的讨论记录、过程稿、"
        "磋商信函、请示报告等过程性信息。" + _DENIAL.replace("{article}", "第十六条第二款")
    ),
    Outcome.DENIED_ENFORCEMENT_CASE_FILE: _reply(
        "经审查，您申请公开的政府信息属于行政执法案卷信息。"
        + _DENIAL.replace("{article}", "第十六条第二款")
    ),
    # 36(七): reported under （三）8 (probable mapping, §8.3 [unconfirmed]); the letter
    # names the law and the body to apply to.
    Outcome.DENIED_ADMINISTRATIVE_QUERY: _reply(
        "经审查，您申请获取的信息属于{有关法律}规定的查询事项，法律、行政法规对该信息的获取有特别规定。"
        "根据〈条例〉第三十六条第（七）项的规定，请您依照{有关法律}的规定向{负责机关}办理。{理由}"
    ),
    Outcome.UNABLE_NOT_HELD: _reply(
        "{检索情况}经检索，本机关未制作或者获取您申请公开的政府信息。"
        "根据〈条例〉第三十六条第（四）项的规定，现告知您该政府信息不存在。{理由}"
    ),
    "unable_not_held_elsewhere": _reply(
        "经审查，您申请公开的政府信息不属于本机关负责公开。{理由}"
        "根据〈条例〉第三十六条第（五）项的规定，现告知您：该政府信息由{负责机关}负责公开，"
        "联系方式：{负责机关联系方式}。您可以向该机关提出申请。"
    ),
    Outcome.UNABLE_NEEDS_CREATION: _reply(
        "经审查，本机关没有您所要求的现成信息，提供该信息需要对现有政府信息进行加工、分析。"
        "根据〈条例〉第三十八条的规定，本机关不予提供。{理由}{提供信息}"
    ),
    Outcome.UNABLE_UNCLEAR_AFTER_CORRECTION: _reply(
        "本机关于{补正告知日期}告知您补正申请，并收到了您补正后的申请。经审查，补正后的申请内容仍不明确，"
        "本机关无法确定您所需要的政府信息。根据〈条例〉第三十条的规定，本机关无法按照您的申请提供政府信息。"
        "{理由}您可以在明确所需政府信息的名称、文号或者便于查询的其他特征性描述后重新提出申请。"
    ),
    Outcome.NP_PETITION_COMPLAINT: _reply(
        "经审查，您以政府信息公开申请的形式提出的是信访、投诉、举报等诉求。"
        "根据〈条例〉第三十九条第一款的规定，本机关不作为政府信息公开申请处理。"
        "您可以通过{受理渠道}提出。{理由}",
        NOTICE_TITLE,
    ),
    Outcome.NP_REPEATED: _reply(
        "经审查，您曾就同一政府信息向本机关提出公开申请，本机关已作出答复（{前次答复}），"
        "您再次提出申请且未说明新的理由。根据〈条例〉第三十六条第（六）项的规定，本机关不予重复处理。{理由}",
        NOTICE_TITLE,
    ),
    Outcome.NP_PUBLICATION: _reply(
        "经审查，您要求提供的是公开出版物。根据〈条例〉第三十九条第二款的规定，本机关不予提供。"
        "{获取途径说明}{理由}",
        NOTICE_TITLE,
    ),
    Outcome.NP_MASSIVE_UNREASONABLE: _reply(
        "经审查，您申请公开政府信息的数量、频次明显超过合理范围，本机关已要求您说明理由，"
        "您未能说明合理的理由。根据〈条例〉第三十五条的规定，本机关不予处理。{理由}",
        NOTICE_TITLE,
    ),
    # [unconfirmed legal basis] Table 三 has the row （五）5 without an article (§8.3). The
    # request is not one to obtain existing information (第二条), hence the citation.
    Outcome.NP_CONFIRM_OR_REISSUE: _reply(
        "经审查，您的申请是要求本机关确认或者重新出具您已经获取的信息，不属于〈条例〉第二条所称"
        "获取政府信息的申请，本机关不作为政府信息公开申请处理。{理由}",
        NOTICE_TITLE,
    ),
    # （六）3 其他 chosen in a reply: no article fits every case; the officer's reasons carry
    # it (the draft shows ____ where they are missing).
    Outcome.OTHER_MISC: _reply(
        "经审查，本机关依照〈条例〉的规定对您的申请作如下处理：{理由}",
        NOTICE_TITLE,
    ),
}

# ---------------------------------------------------------------- notices that close a case
# 视为放弃申请 (（六）1 第三十条, （六）2 国办函〔2020〕109号), one wording per outcome: the
# regulation does not require a written notice here (§8.3, [partly confirmed]); the office
# sends one so the applicant knows the case ended. They carry the ordinary remedy clause
# (gongkai.foi.remedy.mode: the finding that the period lapsed can be disputed).
ABANDONMENT_TITLE = "视为放弃政府信息公开申请告知书"
ABANDONMENT: dict[str, Wording] = {
    Outcome.OTHER_OVERDUE_CORRECTION: _reply(
        "本机关于{补正告知日期}告知您补正申请，补正期限至{补正期限}。您无正当理由逾期未补正。"
        "根据〈条例〉第三十条的规定，视为您放弃申请，本机关不再处理该政府信息公开申请。",
        ABANDONMENT_TITLE,
    ),
    Outcome.OTHER_OVERDUE_FEE: _reply(
        "本机关于{收费通知日期}通知您缴纳信息处理费{收费金额}元，缴费期限至{缴费期限}。您逾期未缴纳。"
        "根据〈条例〉第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，"
        "视为您放弃申请，本机关不再处理该政府信息公开申请。",
        ABANDONMENT_TITLE,
    ),
}

# The applicant's withdrawal, counted under （六）3 其他 (gongkai.foi.actions.withdraw):
# nothing is decided, so no remedy clause [unconfirmed practice]. No article governs a
# withdrawal; the letter cites none.
DEFAULTS[LetterKind.WITHDRAWAL] = Wording(
    "政府信息公开申请终止办理告知书",
    _law(
        "{申请人}：\n"
        "本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}），"
        "申请公开的内容为：{申请内容}。\n"
        "您于{撤回日期}撤回了该政府信息公开申请，本机关据此终止办理。"
        "如您仍需获取该政府信息，可以依照〈条例〉的规定重新提出申请。\n"
        "特此告知。"
    ),
)

# 送达回证 (§8.3; 国办公开办函〔2016〕235号 on the methods and the time points). The form
# itself is [unconfirmed]: these are the elements §8.3 lists, one per line, ending with
# the addressee's signature.
DEFAULTS[LetterKind.DELIVERY_RECORD] = Wording(
    "送达回证",
    "受送达人：{受送达人}\n"
    "送达文书：{送达文书}（{送达文号}）\n"
    "送达地址：{送达地址}\n"
    "送达方式：{送达方式}\n"
    "送达日期：{送达日期}\n"
    "邮件号码：{邮件号码}\n"
    "依照国办公开办函〔2016〕235号，直接送达的以受送达人签收之日为送达日期，"
    "邮寄送达的以交邮之日为送达日期；邮寄送达应当通过邮政企业寄递。\n"
    "送达人：____\n"
    "受送达人签收：____（签名）　____年____月____日",
)
