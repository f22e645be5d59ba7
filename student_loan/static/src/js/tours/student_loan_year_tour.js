/** @odoo-module **/

import { registry } from "@web/core/registry";

// The chatter shows a tracked year as "2026", not "2,026" (data from test_i18n.py).
registry.category("web_tour.tours").add("student_loan_tracked_year_tour", {
    steps: () => [
        {
            content: "The enrolment year change is in the chatter, without a thousands separator",
            trigger: ".o-mail-Message-trackingNew:contains('2026'):not(:contains('2,026'))",
        },
        {
            content: "The old value too",
            trigger: ".o-mail-Message-trackingOld:contains('2025'):not(:contains('2,025'))",
        },
    ],
});
