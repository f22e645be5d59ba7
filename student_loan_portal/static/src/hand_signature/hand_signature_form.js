import { Component, useState } from "@odoo/owl";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { redirect } from "@web/core/utils/urls";
import { HandSignaturePad } from "@student_loan/hand_signature/hand_signature_pad";

/**
 * The portal's signature form: the signer's name and a pad that only draws by hand.
 * Sends the strokes (the server draws the signature from them and refuses anything else).
 */
export class HandSignatureForm extends Component {
    static template = "student_loan_portal.HandSignatureForm";
    static components = { HandSignaturePad };
    static props = ["*"];

    setup() {
        this.signature = {};
        this.state = useState({ empty: true, error: false, busy: false });
    }

    onChange() {
        this.state.empty = !this.signature.isEmpty || this.signature.isEmpty();
    }

    async onSubmit() {
        this.state.busy = true;
        const data = await rpc(this.props.callUrl, {
            name: this.props.defaultName,
            signature: this.signature.getData(),
        });
        if (data.force_refresh) {
            redirect(data.redirect_url || window.location.href);
            return new Promise(() => {});
        }
        this.state.busy = false;
        this.state.error = data.error || false;
    }
}

registry.category("public_components").add("student_loan_portal.hand_signature_form", HandSignatureForm);
