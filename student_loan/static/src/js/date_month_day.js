/** @odoo-module **/
/**
 * A date typed as a Chinese clerk types it, "12月10日" (or "12-10", "12/10", "12.10"), is the
 * 10 December of the current year. Odoo's parser would read those four digits against the
 * "yyyy年MM月dd日" format as year 2012, month 10 and show 2012年10月01日 without a word: here the
 * value is completed with the year, in the user's date format, before the picker reads it (capture
 * phase of the events after which it does: a click elsewhere, focus leaving, change, Enter/Tab/Escape). Anything else is left as typed, and an
 * impossible month or day still gets Odoo's "not a correct date" error.
 */
import { localization } from "@web/core/l10n/localization";

const { DateTime } = luxon;

const DATE_INPUTS =
    ".o_datetime_input, .o_field_date input, .o_field_datetime input, .o_field_daterange input";
const MONTH_DAY = /^\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*(?:日|号)?\s*$/;

/**
 * @param {string} value what was typed
 * @param {DateTime} [today]
 * @returns {string} the value with the current year, or the value unchanged
 */
export function completeMonthDay(value, today = DateTime.local()) {
    const match = MONTH_DAY.exec(value || "");
    if (!match) {
        return value;
    }
    const date = DateTime.fromObject({
        year: today.year,
        month: Number(match[1]),
        day: Number(match[2]),
    });
    return date.isValid ? date.toFormat(localization.dateFormat) : value;
}

function complete(ev) {
    // a click elsewhere closes the picker, which reads the input: complete the focused input first
    const input = ev.type === "pointerdown" ? document.activeElement : ev.target;
    if (!(input instanceof HTMLInputElement) || (input === ev.target && ev.type === "pointerdown")) {
        return;
    }
    if (!input.matches(DATE_INPUTS)) {
        return;
    }
    if (ev.type === "keydown" && !["Enter", "Tab", "Escape"].includes(ev.key)) {
        return;
    }
    const completed = completeMonthDay(input.value);
    if (completed !== input.value) {
        input.value = completed;
    }
}

// On window, in the capture phase, registered before any picker: these run before the picker's own.
for (const type of ["pointerdown", "focusout", "change", "keydown"]) {
    window.addEventListener(type, complete, true);
}
