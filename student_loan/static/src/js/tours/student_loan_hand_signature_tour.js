/** @odoo-module **/

import { registry } from "@web/core/registry";

function wait(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Write on the pad with pointer events, as a pen on a tablet at the desk does. */
async function drawSignature(canvas) {
    const rect = canvas.getBoundingClientRect();
    const at = (x, y) => ({
        clientX: rect.left + x * rect.width,
        clientY: rect.top + y * rect.height,
        bubbles: true,
        pointerId: 1,
        pointerType: "pen",
        isPrimary: true,
        buttons: 1,
        pressure: 0.5,
    });
    canvas.dispatchEvent(new PointerEvent("pointerdown", at(0.1, 0.5)));
    for (let i = 1; i <= 24; i++) {
        await wait(20);
        canvas.dispatchEvent(new PointerEvent("pointermove", at(0.1 + i * 0.033, 0.5 + 0.3 * Math.sin(i / 2))));
    }
    document.dispatchEvent(new PointerEvent("pointerup", at(0.9, 0.5)));
    await wait(50);
}

// A handler records the student's signature at the desk: the pad only draws (no Auto, no Load).
registry.category("web_tour.tours").add("student_loan_hand_signature_tour", {
    steps: () => [
        { content: "the signatures", trigger: ".o_notebook .nav-link:contains(Signatures)", run: "click" },
        { content: "open the pad", trigger: ".o_field_widget[name=signature] .o_signature", run: "click" },
        {
            content: "only a pad to draw on",
            trigger: ".modal .o_sl_hand_signature:not(:has(.o_web_sign_auto_button)):not(:has(.o_web_sign_load_button))",
        },
        {
            content: "write the name",
            trigger: ".modal canvas.o_web_sign_signature",
            async run(helpers) {
                await drawSignature(helpers.anchor);
            },
        },
        { content: "adopt", trigger: ".modal .o_sl_hand_signature_confirm:enabled", run: "click" },
        { content: "save", trigger: ".o_form_button_save", run: "click" },
        { content: "saved: the server's drawing is shown", trigger: ".o_field_widget[name=signature] img[src*='/web/image']" },
    ],
});
