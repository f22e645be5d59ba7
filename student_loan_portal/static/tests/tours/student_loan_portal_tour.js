/** @odoo-module **/

import { registry } from "@web/core/registry";

// Values created in the Python test: the school 郑州大学 and the loan policy of the year.
const STUDENT_ID = "411623200606069514";
const COBORROWER_ID = "411623197505059523";

function wait(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Put a generated photo of a document (sharp, 1000×700) into the file input. */
async function choosePhoto(input, label) {
    const canvas = document.createElement("canvas");
    canvas.width = 1000;
    canvas.height = 700;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#eeeae0";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = "#333";
    ctx.lineWidth = 4;
    ctx.strokeRect(10, 10, 980, 680);
    ctx.fillStyle = "#222";
    ctx.font = "30px sans-serif";
    for (let y = 70; y < 680; y += 55) {
        ctx.fillText(`${label} 410000 2006 0606 NAME ZHAO XIAOFEI`, 40, y);
    }
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], `${label}.jpg`, { type: "image/jpeg" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

/** Write on the signature pad with pointer events, as a finger does. */
async function drawSignature(canvas) {
    const rect = canvas.getBoundingClientRect();
    const at = (x, y) => ({
        clientX: rect.left + x * rect.width,
        clientY: rect.top + y * rect.height,
        bubbles: true,
        pointerId: 1,
        pointerType: "touch",
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

function uploadSteps(typeCode) {
    return [
        {
            content: `choose the document: ${typeCode}`,
            trigger: `select[name=type_id]:has(option[data-code=${typeCode}])`,
            async run(helpers) {
                const value = helpers.anchor.querySelector(`option[data-code=${typeCode}]`).value;
                await helpers.select(value);
            },
        },
        {
            content: "take the photo",
            trigger: "input[name=file]",
            async run(helpers) {
                await choosePhoto(helpers.anchor, typeCode);
            },
        },
        {
            content: "upload",
            trigger: ".o_sl_upload",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "uploaded",
            trigger: ".o_sl_success:contains(Uploaded)",
        },
    ];
}

/** The code the Python test read from the SMS (passed in a cookie: the page never shows it). */
function codeFromCookie() {
    const match = document.cookie.match(/(?:^|;\s*)sl_tour_code=(\d+)/);
    return match ? match[1] : "";
}

function signSteps(container) {
    return [
        {
            content: "the sample of how to sign is on the page",
            trigger: ".o_sl_sign_sample img",
        },
        {
            content: "only a pad to draw on: no Auto, no Load",
            trigger: `${container} .o_sl_hand_signature:not(:has(.o_web_sign_auto_button)):not(:has(.o_web_sign_load_button))`,
        },
        {
            content: "sign with the finger",
            trigger: `${container} canvas.o_web_sign_signature`,
            async run(helpers) {
                await drawSignature(helpers.anchor);
            },
        },
        {
            content: "send the signature",
            trigger: `${container} .o_portal_sign_submit:enabled`,
            run: "click",
            expectUnloadPage: true,
        },
    ];
}

registry.category("web_tour.tours").add("student_loan_portal_register", {
    url: "/my/loans/register",
    steps: () => [
        // ---- registration, step 1: home centre by household registration, identity, account
        { content: "choose the city", trigger: "select.o_sl_city", run: "selectByLabel 周口市" },
        { content: "choose the county", trigger: "select.o_sl_county", run: "selectByLabel 商水县" },
        { trigger: "input[name=name]", run: "edit 赵小飞" },
        { trigger: "input[name=id_number]", run: `edit ${STUDENT_ID}` },
        { trigger: "input[name=mobile]", run: "edit 13800000077" },
        { trigger: "input[name=email]", run: "edit zhaoxf@example.com" },
        { trigger: "input[name=household_address]", run: "edit 河南省周口市商水县城关乡解放路8号" },
        { trigger: "input[name=consent]", run: "check" },
        { content: "send the code", trigger: ".o_sl_register", run: "click", expectUnloadPage: true },
        { content: "the code was sent to the mobile", trigger: ".o_sl_code_sent:contains(138****0077)" },
    ],
});

registry.category("web_tour.tours").add("student_loan_portal_apply", {
    url: "/my/loans/register/verify",
    steps: () => [
        // ---- registration, step 2: the SMS code and the account
        {
            content: "type the code from the SMS",
            trigger: "input[name=code]",
            run: `edit ${codeFromCookie()}`,
        },
        { trigger: "input[name=password]", run: "edit tour-password-1" },
        { trigger: "input[name=password_confirm]", run: "edit tour-password-1" },
        { content: "register", trigger: ".o_sl_register_confirm", run: "click", expectUnloadPage: true },

        // ---- the application form
        { content: "logged in, form open", trigger: ".o_sl_loan_form" },
        { trigger: "select[name=school_id]", run: "selectByLabel 郑州大学" },
        { trigger: "select[name=education_level]", run: "select undergraduate" },
        { trigger: "select[name=study_years]", run: "select 4" },
        { trigger: "select[name=enrolment_year]", run: "selectByIndex 1" },
        { trigger: "input[name=tuition]", run: "edit 5000" },
        { trigger: "input[name=accommodation]", run: "edit 1200" },
        { content: "the amount is computed", trigger: ".o_sl_loan:contains(6,200)" },
        { content: "and the cap shown", trigger: ".o_sl_cap:contains(20,000)" },
        { trigger: "input[name=eligibility_unit]", run: "edit 商水县城关乡人民政府" },
        { trigger: "input[name=home_address]", run: "edit 河南省周口市商水县城关乡解放路8号" },
        { trigger: "input[name=coborrower_name]", run: "edit 赵父" },
        { trigger: "select[name=coborrower_relation]", run: "select father" },
        { trigger: "input[name=coborrower_id_number]", run: `edit ${COBORROWER_ID}` },
        { trigger: "input[name=coborrower_mobile]", run: "edit 13700000077" },
        { trigger: "input[name=coborrower_address]", run: "edit 河南省周口市商水县城关乡解放路8号" },
        { trigger: "input[name=third_party_name]", run: "edit 钱老师" },
        { trigger: "input[name=third_party_phone]", run: "edit 13900000077" },
        { trigger: "input[name=third_party_relation]", run: "edit 高中班主任" },
        { content: "save", trigger: ".o_sl_save", run: "click", expectUnloadPage: true },
        { content: "saved", trigger: ".o_sl_success:contains(Saved)" },

        // ---- attachments: first loan 2+2
        { trigger: "a.o_sl_attachments", run: "click", expectUnloadPage: true },
        ...uploadSteps("student_id_card"),
        ...uploadSteps("coborrower_id_card"),
        ...uploadSteps("admission_notice"),
        ...uploadSteps("application_form"),
        { content: "complete", trigger: ".o_sl_complete" },
        { trigger: "a:contains(Back to the application)", run: "click", expectUnloadPage: true },

        // ---- signing: the student, then the link for the co-borrower
        { content: "prepare the contract", trigger: ".o_sl_prepare_contract", run: "click", expectUnloadPage: true },
        ...signSteps(".o_sl_student_sign"),
        { content: "student signed", trigger: ".o_sl_signer[data-role=student] .badge:contains(Signed)" },
        { content: "make the co-borrower's link", trigger: ".o_sl_make_cosign_link", run: "click", expectUnloadPage: true },
        { content: "the link to send", trigger: "input.o_sl_share_url[value*='/loan/cosign/']" },
    ],
});

// The co-borrower, on their own phone (another browser session), opens the link: a code to their mobile.
registry.category("web_tour.tours").add("student_loan_portal_cosign_code", {
    steps: () => [
        { content: "only the contract's terms", trigger: ".o_sl_cosign_page .o_sl_contract_terms" },
        { content: "no way to the student's file", trigger: ".o_sl_cosign_page:not(:has(a[href^='/my/loans']))" },
        { content: "the code goes to the co-borrower's mobile", trigger: ".o_sl_cosign_page:contains(137****0077)" },
        { content: "send the code", trigger: ".o_sl_send_code", run: "click", expectUnloadPage: true },
        { content: "sent", trigger: ".o_sl_code_sent" },
    ],
});

// Then types the code received and signs by hand.
registry.category("web_tour.tours").add("student_loan_portal_cosign", {
    steps: () => [
        { content: "type the code from the SMS", trigger: "input[name=code]", run: `edit ${codeFromCookie()}` },
        { content: "confirm", trigger: ".o_sl_verify_code", run: "click", expectUnloadPage: true },
        ...signSteps(".o_sl_cosign_pad"),
        { content: "signed; the link is used", trigger: ".o_sl_cosign_done" },
    ],
});

// The student submits the signed application.
registry.category("web_tour.tours").add("student_loan_portal_submit", {
    steps: () => [
        { content: "both signed", trigger: ".o_sl_signer[data-role=coborrower] .badge:contains(Signed)" },
        { content: "back to the application", trigger: "a:contains(Back to the application)", run: "click", expectUnloadPage: true },
        { content: "submit", trigger: ".o_sl_submit", run: "click", expectUnloadPage: true },
        { content: "submitted", trigger: ".o_sl_state[data-state=submitted]" },
    ],
});

registry.category("web_tour.tours").add("student_loan_portal_follow", {
    url: "/my/loans",
    steps: () => [
        { content: "the application is approved", trigger: ".o_sl_loan_item .o_sl_state[data-state=approved]" },
        { trigger: ".o_sl_loan_item", run: "click", expectUnloadPage: true },
        { content: "the steps are done up to approval", trigger: ".o_sl_step_done[data-step=approved]" },
        { content: "the receipt code is shown", trigger: ".o_sl_receipt_code strong" },
        { content: "the certificate can be downloaded", trigger: "a.o_sl_certificate" },
    ],
});
