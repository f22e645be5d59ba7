/** @odoo-module **/

import { registry } from "@web/core/registry";
import { assertChinese } from "@student_loan/js/tours/student_loan_chinese_tour";

// The screens a centre user opens besides the loan app, on the demo database: Discuss (the channel
// every user is in, with its welcome message) and the event app (the ceremonies). Odoo's own English
// demo (sample channels and messages, conferences and festivals) must not show.
registry.category("web_tour.tours").add("student_loan_demo_discuss_tour", {
    steps: () => [
        {
            content: "Discuss is loaded with the channel of all users",
            trigger: ".o-mail-DiscussSidebar .o-mail-DiscussSidebarChannel:contains('全体工作人员')",
            run: "click",
        },
        {
            // the welcome message is an e-mail: its body is in a shadow root (checked by the Python test)
            content: "Its welcome message is shown",
            trigger: ".o-mail-Thread .o-mail-Message .o-mail-Message-body",
        },
        {
            content: "No English sentence on the page",
            trigger: "body",
            run: assertChinese,
        },
        {
            content: "The chat with OdooBot",
            trigger: ".o-mail-DiscussSidebarChannel:contains('OdooBot')",
            run: "click",
        },
        {
            trigger: ".o-mail-Thread .o-mail-Message:contains('OdooBot')",
        },
        {
            content: "No English sentence in OdooBot's chat",
            trigger: "body",
            run: assertChinese,
        },
    ],
});

registry.category("web_tour.tours").add("student_loan_demo_events_tour", {
    steps: () => [
        {
            content: "The events are listed: the award ceremony of the competition",
            trigger: ".o_action_manager .o_kanban_view .o_kanban_record:contains('颁奖典礼')",
        },
        {
            content: "No English sentence on the page",
            trigger: "body",
            run: assertChinese,
        },
    ],
});
