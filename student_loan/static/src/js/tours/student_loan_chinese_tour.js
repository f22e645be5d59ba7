/** @odoo-module **/

import { registry } from "@web/core/registry";

// Each role, working in Chinese, sees no English sentence (three or more English words) on its
// landing page and on an application's form (data from test_chinese_tour.py).
export const ENGLISH_SENTENCE = /[A-Za-z]{2,}(?:[ ,'’]+[A-Za-z]{2,}){2,}/g;

export function assertChinese() {
    const found = [...new Set(document.body.innerText.match(ENGLISH_SENTENCE) || [])];
    if (found.length) {
        throw new Error(`English on the page: ${found.join(" | ")}`);
    }
}

registry.category("web_tour.tours").add("student_loan_chinese_landing_tour", {
    steps: () => [
        {
            content: "The role lands on its work: the loan app's to-do list, not Discuss",
            trigger: ".o_action_manager .o_list_view .o_list_table",
        },
        {
            content: "The loan app's menu is shown",
            trigger: ".o_main_navbar .o_menu_brand",
        },
        {
            content: "No English sentence on the page",
            trigger: "body",
            run: assertChinese,
        },
    ],
});

registry.category("web_tour.tours").add("student_loan_chinese_form_tour", {
    steps: () => [
        {
            content: "The application's form and its chatter are loaded",
            trigger: ".o_form_view .o_form_sheet .o_field_widget[name='student_id']",
        },
        {
            trigger: ".o-mail-Chatter .o-mail-Message",
        },
        {
            content: "No English sentence on the page",
            trigger: "body",
            run: assertChinese,
        },
    ],
});
