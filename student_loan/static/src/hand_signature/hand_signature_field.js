import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { registry } from "@web/core/registry";
import { SignatureField, signatureField } from "@web/views/fields/signature/signature_field";
import { HandSignaturePad } from "./hand_signature_pad";

export class HandSignatureDialog extends Component {
    static template = "student_loan.HandSignatureDialog";
    static components = { Dialog, HandSignaturePad };
    static props = { name: { type: String, optional: true }, upload: Function, close: Function };

    setup() {
        this.signature = {};
        this.state = useState({ empty: true });
    }

    onChange() {
        this.state.empty = !this.signature.isEmpty || this.signature.isEmpty();
    }

    async onConfirm() {
        await this.props.upload(this.signature.getData(), this.signature.getImage());
        this.props.close();
    }
}

/** The back office's signature field: drawn by hand only (no "Auto", no "Load"). */
export class HandSignatureField extends SignatureField {
    onClickSignature() {
        if (this.props.readonly) {
            return;
        }
        const { fullName, record } = this.props;
        let name = "";
        if (fullName) {
            const value = record.data[fullName];
            name = record.fields[fullName].type === "many2one" ? (value && value[1]) || "" : value || "";
        }
        this.dialogService.add(HandSignatureDialog, {
            name,
            upload: (data, image) =>
                this.props.record.update({
                    // the image is a preview: the server draws the signature again from the strokes
                    [this.props.name]: image.split(",")[1],
                    [`${this.props.name}_strokes`]: JSON.stringify(data),
                }),
        });
    }
}

registry.category("fields").add("sl_hand_signature", { ...signatureField, component: HandSignatureField });
