/** @odoo-module **/
/**
 * A year in the chatter's tracking lines (enrolment year, academic year) reads "2026", not "2,026":
 * a tracked integer between 1900 and 2199 is shown without a thousands separator.
 */
import { Message } from "@mail/core/common/message";
import { patch } from "@web/core/utils/patch";

patch(Message.prototype, {
    formatTracking(trackingType, trackingValue) {
        const value = trackingValue?.value;
        if (trackingType === "integer" && Number.isInteger(value) && value >= 1900 && value < 2200) {
            return String(value);
        }
        return super.formatTracking(...arguments);
    },
});
