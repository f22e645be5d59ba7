/** @odoo-module **/

import { registry } from "@web/core/registry";

// A clerk working in Chinese types "12月10日" as the statistics date: it is 10 December of this
// year (student_loan/static/src/js/date_month_day.js), not 1 October 2012.
registry.category("web_tour.tours").add("student_loan_date_month_day_tour", {
    url: "/odoo/action-student_loan_report.student_loan_statistics_dashboard_action",
    steps: () => {
        const year = luxon.DateTime.local().year;
        return [
            {
                content: "Type the date as month and day",
                trigger: ".o_field_widget[name='as_of'] input",
                run: "edit 12月10日",
            },
            {
                content: "Leave the field",
                trigger: ".o_form_view .o_form_sheet, .o_form_view .o_form_renderer",
                run: "click",
            },
            {
                content: "The date is 10 December of this year",
                trigger: `.o_field_widget[name='as_of'] input:value('${year}年12月10日')`,
            },
            {
                content: "Open the pivot on that date",
                trigger: "button[name='action_open_pivot']",
                run: "click",
            },
            {
                content: "The pivot is open",
                trigger: ".o_pivot",
            },
        ];
    },
});
