/** @odoo-module **/

import { registry } from "@web/core/registry";

// A handler creates an application for a registered student and submits it (data from test_tour.py).
registry.category("web_tour.tours").add("student_loan_application_tour", {
    url: "/odoo/action-student_loan.student_loan_application_action",
    steps: () => [
        {
            content: "Create an application",
            trigger: ".o_control_panel .o-kanban-button-new, .o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Choose the student",
            trigger: ".o_field_widget[name='student_id'] input",
            run: "edit 巡游学生",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('巡游学生')",
            run: "click",
        },
        {
            content: "The student's co-borrower is filled in",
            trigger: ".o_field_widget[name='coborrower_id'] input:value('巡游家长')",
        },
        {
            content: "Tuition",
            trigger: ".o_field_widget[name='tuition'] input",
            run: "edit 5000",
        },
        {
            content: "Accommodation",
            trigger: ".o_field_widget[name='accommodation'] input",
            run: "edit 1200",
        },
        {
            content: "Eligibility review unit",
            trigger: ".o_field_widget[name='eligibility_unit'] input",
            run: "edit 商水县城关乡人民政府",
        },
        {
            content: "The amount is the actual need",
            trigger: ".o_field_widget[name='approved_amount'] input:value('6,200.00')",
        },
        {
            content: "Submit",
            trigger: ".o_form_view button[name='action_submit']",
            run: "click",
        },
        {
            content: "The application is submitted",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Submitted')",
        },
        {
            content: "The form names the next step: print the contract",
            trigger: ".o_sl_next_step:contains('Next: Print the contract')",
        },
        {
            content: "The document check is shown",
            trigger: ".o_notebook_headers a:contains('Document Check')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='check_line_ids'] .o_data_row",
        },
    ],
});
