/** @odoo-module **/

import { registry } from "@web/core/registry";

// The province administrator opens the statistics dashboard (data from test_tour.py), reads the
// province table, then opens the pivot with the same filter.
registry.category("web_tour.tours").add("student_loan_report_dashboard_tour", {
    url: "/odoo/loan-statistics",
    steps: () => [
        {
            content: "The dashboard opens on the province table",
            trigger: ".o_student_loan_r1_units td:contains('周口市')",
        },
        {
            content: "The city's line carries its contracts and amount",
            trigger: ".o_student_loan_r1_units tr:contains('周口市') td:contains('14,500.00')",
        },
        {
            content: "The province total",
            trigger: ".o_student_loan_r1_units tfoot td:contains('21,500.00')",
        },
        {
            content: "Open the pivot with the same filter",
            trigger: "button[name='action_open_pivot']",
            run: "click",
        },
        {
            content: "The pivot groups the contracts by statistics unit",
            trigger: ".o_pivot .o_pivot_header_cell_closed:contains('周口市')",
        },
    ],
});
