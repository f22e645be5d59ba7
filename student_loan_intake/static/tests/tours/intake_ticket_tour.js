/** @odoo-module **/
/* A family's ticket through the five stations, driven from the caller desks (kanban cards). */

import { registry } from "@web/core/registry";

function desk(name) {
    return `.o_kanban_record:has(span:contains("${name}"))`;
}

function callNext(name) {
    return [
        {
            content: `${name}: call the next family`,
            trigger: `${desk(name)} button[name="action_call_next"]`,
            run: "click",
        },
        {
            content: `${name}: TOUR001 is called`,
            trigger: `${desk(name)} .o_intake_current_ticket:contains("A001")`,
        },
    ];
}

function finish(name) {
    return [
        {
            content: `${name}: finish, the family moves on`,
            trigger: `${desk(name)} button[name="action_finish"]`,
            run: "click",
        },
        {
            content: `${name}: nobody at the desk`,
            trigger: `${desk(name)}:not(:has(button[name="action_finish"]))`,
        },
    ];
}

registry.category("web_tour.tours").add("student_loan_intake_ticket_tour", {
    url: "/odoo/action-student_loan_intake.student_loan_intake_desk_action",
    steps: () => [
        {
            content: "The caller desks are shown",
            trigger: `${desk("Tour Intake")}`,
        },
        ...callNext("Tour Intake"),
        {
            content: "Recall the family once",
            trigger: `${desk("Tour Intake")} button[name="action_recall"]`,
            run: "click",
        },
        {
            content: "Still serving A001",
            trigger: `${desk("Tour Intake")} .o_intake_current_ticket:contains("A001")`,
        },
        ...finish("Tour Intake"),
        ...callNext("Tour Registration"),
        ...finish("Tour Registration"),
        ...callNext("Tour Check"),
        ...finish("Tour Check"),
        ...callNext("Tour Printing"),
        ...finish("Tour Printing"),
        ...callNext("Tour Signing"),
        ...finish("Tour Signing"),
    ],
});
