/** @odoo-module **/

import { registry } from "@web/core/registry";

// The province administrator adds a review level from the UI alone: the city approves applications above
// 16,000 CNY (data and checks in test_tour.py).
registry.category("web_tour.tours").add("student_loan_review_tier_tour", {
    url: "/odoo/action-student_loan.tier_definition_action_student_loan?debug=1",
    steps: () => [
        {
            content: "Add a tier",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Its name",
            trigger: ".o_field_widget[name='name'] input",
            run: "edit 市级复核（16000元以上）",
        },
        {
            content: "The document: loan applications",
            trigger: ".o_field_widget[name='model_id'] input",
            run: "edit Loan Application",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Loan Application')",
            run: "click",
        },
        {
            content: "Step: approval",
            trigger: ".o_field_widget[name='review_role'] select",
            run: 'select "approve"',
        },
        {
            content: "Reviewed by a field of the application",
            trigger: ".o_field_widget[name='review_type'] select",
            run: 'select "field"',
        },
        {
            content: "The city's reviewer",
            trigger: ".o_field_widget[name='reviewer_field_id'] input",
            run: "edit City Reviewer",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('City Reviewer')",
            run: "click",
        },
        {
            content: "After the county supervisor",
            trigger: ".o_field_widget[name='sequence'] input",
            run: "edit 30",
        },
        {
            content: "Must follow the previous tiers",
            trigger: ".o_field_widget[name='approve_sequence'] input",
            run: "click",
        },
        {
            content: "Two days to decide",
            trigger: ".o_field_widget[name='deadline_days'] input",
            run: "edit 2",
        },
        {
            content: "Only above 16,000 CNY",
            trigger: ".o_domain_selector_debug_container textarea",
            run: "edit [('approved_amount', '>', 16000)] && press Tab",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
