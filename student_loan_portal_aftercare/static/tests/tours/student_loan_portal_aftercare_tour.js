/** @odoo-module **/

import { registry } from "@web/core/registry";

// The integrity quiz of student_loan_aftercare (data/survey_integrity_quiz_data.xml): question → right answer.
const ANSWERS = [
    ["在校期间的贷款利息由谁支付", "财政全额贴息"],
    ["每年的结息日是哪一天", "12月20日"],
    ["逾期未还款会有什么后果", "计收罚息并影响个人征信记录"],
];

registry.category("web_tour.tours").add("student_loan_portal_aftercare", {
    url: "/my",
    steps: () => [
        // ---- graduation confirmation: the quiz comes first
        {
            content: "open the graduation confirmation from the home card",
            trigger: "a.o_sl_home_graduation:contains(毕业确认)",
            run: "click",
            expectUnloadPage: true,
        },
        { content: "the quiz comes first", trigger: ".o_sl_quiz_first:contains(诚信教育测试)" },
        { content: "no form yet", trigger: ".o_sl_graduation_page:not(:has(.o_sl_graduation_form))" },
        { content: "take the quiz", trigger: "a.o_sl_take_quiz", run: "click", expectUnloadPage: true },
        { content: "start the certification", trigger: "button[value=start]:not(.disabled)", run: "click" },
        ...ANSWERS.map(([question, answer]) => ({
            content: `answer: ${question}`,
            trigger: `div.js_question-wrapper:contains(${question}) label:contains(${answer})`,
            run: "click",
        })),
        { content: "hand in the quiz", trigger: "button[value=finish]:not(.disabled)", run: "click" },
        { content: "passed", trigger: ".o_survey_finished" },
        {
            content: "back to the graduation confirmation",
            trigger: "body",
            run() {
                window.location.href = "/my/graduation";
            },
            expectUnloadPage: true,
        },
        { content: "the quiz is passed", trigger: ".o_sl_quiz_passed" },
        // ---- the new details, then apply
        { trigger: "input[name=mobile]", run: "edit 13900001111" },
        { trigger: "input[name=home_address]", run: "edit 河南省郑州市金水区花园路1号" },
        { trigger: "input[name=employer]", run: "edit 郑州某科技公司" },
        { trigger: "input[name=employer_address]", run: "edit 郑州市高新区长椿路11号" },
        { trigger: "input[name=third_party_name]", run: "edit 王老师" },
        { trigger: "input[name=third_party_phone]", run: "edit 13900002222" },
        { content: "apply", trigger: "button.o_sl_apply_graduation", run: "click", expectUnloadPage: true },
        { content: "sent to the aid centre", trigger: ".o_sl_success:contains(经办人)" },
        { content: "the state is shown", trigger: ".o_sl_aftercare_state[data-state=submitted]" },

        // ---- prepayment on the bank's cycle
        {
            content: "to the prepayment page",
            trigger: "body",
            run() {
                window.location.href = "/my/prepayment";
            },
            expectUnloadPage: true,
        },
        { content: "the window is open", trigger: ".o_sl_cycle_open:contains(20)" },
        { content: "a partial prepayment", trigger: "input#mode_part", run: "click" },
        { trigger: "input[name=amount]", run: "edit 800" },
        { content: "apply", trigger: "button.o_sl_apply_prepayment", run: "click", expectUnloadPage: true },
        { content: "sent", trigger: ".o_sl_success" },
        { content: "the amount the bank deducts", trigger: ".o_sl_prepayment_amount:contains(800.00)" },
        { content: "the state", trigger: ".o_sl_aftercare_state[data-state=submitted]:contains(资助中心)" },
    ],
});
