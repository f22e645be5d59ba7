/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { _t } from "@web/core/l10n/translation";

/**
 * Registration: province → city → county pickers filling the hidden centre_id.
 * The server checks the centre again (it must be a county-level centre).
 */
publicWidget.registry.StudentLoanRegister = publicWidget.Widget.extend({
    selector: ".o_sl_register_form",
    events: {
        "change .o_sl_province": "_onProvince",
        "change .o_sl_city": "_onCity",
        "change .o_sl_county": "_onCounty",
    },

    start() {
        this.tree = JSON.parse(this.el.dataset.centreTree || "[]");
        this.centreInput = this.el.querySelector("input[name=centre_id]");
        this.province = this.el.querySelector(".o_sl_province");
        this.city = this.el.querySelector(".o_sl_city");
        this.county = this.el.querySelector(".o_sl_county");
        const selected = this._path(parseInt(this.centreInput.value || 0));
        this._fill(this.province, this.tree, selected[0]);
        if (this.tree.length === 1 && !selected[0]) {
            this.province.value = String(this.tree[0].id);
        }
        this._onProvince(null, selected[1]);
        if (selected[2]) {
            this.county.value = String(selected[2]);
            this._onCounty();
        }
        return this._super(...arguments);
    },

    _path(centreId) {
        for (const province of this.tree) {
            if (province.id === centreId) {
                return [province.id];
            }
            for (const city of province.children || []) {
                if (city.id === centreId) {
                    return [province.id, city.id];
                }
                for (const county of city.children || []) {
                    if (county.id === centreId) {
                        return [province.id, city.id, county.id];
                    }
                }
            }
        }
        return [];
    },

    _fill(select, nodes, selectedId) {
        select.replaceChildren();
        const placeholder = document.createElement("option");
        placeholder.value = "";
        placeholder.textContent = _t("Choose…");
        select.appendChild(placeholder);
        for (const node of nodes) {
            const option = document.createElement("option");
            option.value = String(node.id);
            option.textContent = node.name;
            option.selected = node.id === selectedId;
            select.appendChild(option);
        }
    },

    _find(nodes, id) {
        return nodes.find((node) => String(node.id) === String(id));
    },

    _onProvince(ev, selectedCity) {
        const province = this._find(this.tree, this.province.value);
        this._fill(this.city, province ? province.children || [] : [], selectedCity);
        this._onCity();
    },

    _onCity() {
        const province = this._find(this.tree, this.province.value);
        const city = province && this._find(province.children || [], this.city.value);
        const counties = (city && city.children) || [];
        this._fill(this.county, counties);
        this.county.closest(".o_sl_county_group").classList.toggle("d-none", Boolean(city) && !counties.length);
        // a directly-managed county or the province-administered division has no county below it
        this.centreInput.value = city && !counties.length ? String(city.id) : "";
    },

    _onCounty() {
        this.centreInput.value = this.county.value || "";
    },
});

/**
 * Application form: live preview of the amount (the server computes and checks it again).
 */
publicWidget.registry.StudentLoanForm = publicWidget.Widget.extend({
    selector: ".o_sl_loan_form",
    events: {
        "input input[name=tuition], input[name=accommodation]": "_update",
        "change select[name=education_level]": "_update",
    },

    start() {
        this.caps = JSON.parse(this.el.dataset.caps || "{}");
        this.minAmount = parseFloat(this.el.dataset.minAmount || "0");
        this._update();
        return this._super(...arguments);
    },

    _number(name) {
        const value = parseInt(this.el.querySelector(`[name=${name}]`).value || "0", 10);
        return Number.isFinite(value) && value > 0 ? value : 0;
    },

    _format(value) {
        return "¥ " + String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    },

    _update() {
        const need = this._number("tuition") + this._number("accommodation");
        const level = this.el.querySelector("[name=education_level]").value;
        const cap = this.caps[level];
        const loan = cap === undefined ? need : Math.min(need, cap);
        this.el.querySelector(".o_sl_need").textContent = this._format(need);
        this.el.querySelector(".o_sl_cap").textContent = cap === undefined ? "-" : this._format(cap);
        this.el.querySelector(".o_sl_loan").textContent = this._format(loan);
        this.el.querySelector(".o_sl_below_min").classList.toggle("d-none", !need || loan >= this.minAmount);
    },
});

/**
 * Upload: refuse a too large file before sending it (the server checks everything again).
 */
publicWidget.registry.StudentLoanUpload = publicWidget.Widget.extend({
    selector: ".o_sl_upload_form",
    events: {
        "change input[type=file]": "_onFile",
        submit: "_onSubmit",
    },

    _tooLarge() {
        const file = this.el.querySelector("input[type=file]").files[0];
        return Boolean(file) && file.size > parseInt(this.el.dataset.maxBytes || "0", 10);
    },

    _onFile() {
        this.el.querySelector(".o_sl_file_too_large").classList.toggle("d-none", !this._tooLarge());
    },

    _onSubmit(ev) {
        if (this._tooLarge()) {
            ev.preventDefault();
            this._onFile();
        }
    },
});
