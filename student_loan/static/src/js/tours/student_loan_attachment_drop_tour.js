/** @odoo-module **/

import { registry } from "@web/core/registry";
import { inputFiles } from "@web/../tests/utils";

// A handler drops two files at once on a draft application: each becomes a line, its type guessed from the
// file name, the legibility check shown on the line; after saving, the photo opens in the attachment viewer
// (data from test_attachment_drop.py). Every word on the way is Chinese.

async function cardPng() {
    const canvas = document.createElement("canvas");
    canvas.width = 856;
    canvas.height = 540;
    const context = canvas.getContext("2d");
    context.fillStyle = "#eeeeee";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = "#111111";
    context.font = "40px sans-serif";
    for (let y = 60; y < 520; y += 60) {
        context.fillText("中华人民共和国居民身份证 410000 2000 0101", 20, y);
    }
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
    return new File([blob], "学生身份证.png", { type: "image/png" });
}

function notice() {
    return new File(["%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"], "录取通知书.pdf", {
        type: "application/pdf",
    });
}

registry.category("web_tour.tours").add("student_loan_attachment_drop_tour", {
    steps: () => [
        {
            content: "The attachments page of the application",
            trigger: ".o_notebook_headers a:contains('附件')",
            run: "click",
        },
        {
            content: "Drop two files at once",
            trigger: ".o_sl_upload .o_field_many2many_binary",
            async run() {
                await inputFiles(".o_sl_upload .o_field_many2many_binary input.o_input_file", [
                    await cardPng(),
                    notice(),
                ]);
            },
        },
        {
            content: "The photo became a student ID-card line, its legibility checked",
            trigger:
                ".o_field_widget[name='attachment_ids'] .o_data_row:has(.o_data_cell:contains('学生身份证复印件')) .o_data_cell[name='legibility_note']:contains('清晰')",
        },
        {
            content: "The PDF became an admission-notice line",
            trigger: ".o_field_widget[name='attachment_ids'] .o_data_row .o_data_cell:contains('录取通知书')",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Open the photo in the attachment viewer",
            trigger: ".o_field_widget[name='attachment_ids'] .o_data_row .o_sl_attachment_preview:not([disabled]) img",
            run: "click",
        },
        {
            content: "The viewer shows it",
            trigger: ".o-FileViewer img",
        },
        {
            trigger: ".o-FileViewer .fa-times",
            run: "click",
        },
    ],
});
