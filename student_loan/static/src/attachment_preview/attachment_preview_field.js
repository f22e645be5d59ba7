import { Component } from "@odoo/owl";
import { FileModel } from "@web/core/file_viewer/file_model";
import { useFileViewer } from "@web/core/file_viewer/file_viewer_hook";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/** The file of an attachment line, served from its binary field (not from an ir.attachment id). */
class AttachmentLineFile extends FileModel {
    get urlRoute() {
        const kind = this.isImage ? "image" : "content";
        return `/web/${kind}/${this.resModel}/${this.id}/${this.fieldName}`;
    }
}

/**
 * The thumbnail of an attachment line (a photo, or the PDF icon) that opens Odoo's attachment viewer
 * (image zoom, PDF pages). Put on the line's mimetype field; the file is in the field named by the
 * ``file_field`` option (default ``file``), its name in ``filename_field`` (default ``file_name``).
 */
export class AttachmentPreviewField extends Component {
    static template = "student_loan.AttachmentPreviewField";
    static props = {
        ...standardFieldProps,
        fileField: { type: String, optional: true },
        filenameField: { type: String, optional: true },
    };
    static defaultProps = { fileField: "file", filenameField: "file_name" };

    setup() {
        this.fileViewer = useFileViewer();
    }

    get mimetype() {
        return this.props.record.data[this.props.name] || "";
    }
    get isImage() {
        return this.mimetype.startsWith("image/");
    }
    get isSaved() {
        return Boolean(this.props.record.resId) && !this.props.record.dirty;
    }
    get thumbnailUrl() {
        const record = this.props.record;
        if (this.isSaved) {
            const unique = encodeURIComponent(record.data.write_date ? String(record.data.write_date) : "");
            return `/web/image/${record.resModel}/${record.resId}/${this.props.fileField}/96x96?unique=${unique}`;
        }
        const data = record.data[this.props.fileField];
        return data && data.length > 64 ? `data:${this.mimetype};base64,${data}` : "";
    }
    get title() {
        return this.isSaved ? _t("Preview") : _t("Save to preview");
    }

    onClick() {
        if (!this.isSaved) {
            return;
        }
        const record = this.props.record;
        const file = Object.assign(new AttachmentLineFile(), {
            id: record.resId,
            resModel: record.resModel,
            fieldName: this.props.fileField,
            name: record.data[this.props.filenameField] || record.resModel,
            mimetype: this.mimetype,
        });
        this.fileViewer.open(file);
    }
}

registry.category("fields").add("sl_attachment_preview", {
    component: AttachmentPreviewField,
    displayName: _t("Attachment Preview"),
    supportedTypes: ["char"],
    fieldDependencies: [{ name: "write_date", type: "datetime" }],
    extractProps: ({ options }) => ({
        fileField: options.file_field,
        filenameField: options.filename_field,
    }),
});
