/* global SignaturePad */
import { Component, onWillStart, onWillUnmount, useEffect, useRef } from "@odoo/owl";
import { loadJS } from "@web/core/assets";

/**
 * A signature pad that only draws: no "Auto" (a name typed in a font), no imported image.
 * The server draws the signature again from the strokes (with their timing) that it receives,
 * so only a hand-drawn signature can be stored.
 *
 * props.signature receives ``getData()`` ({mode, width, height, strokes}), ``isEmpty()`` and
 * ``clear()``; ``onChange`` is called after each stroke.
 */
export class HandSignaturePad extends Component {
    static template = "student_loan.HandSignaturePad";
    static props = {
        signature: Object,
        ratio: { type: Number, optional: true },
        onChange: { type: Function, optional: true },
    };
    static defaultProps = { ratio: 2.5, onChange: () => {} };

    setup() {
        this.canvasRef = useRef("canvas");
        onWillStart(() => loadJS("/web/static/lib/signature_pad/signature_pad.umd.js"));
        useEffect(
            (canvas) => {
                if (!canvas) {
                    return;
                }
                this.pad = new SignaturePad(canvas, {
                    penColor: "black",
                    backgroundColor: "rgba(255,255,255,0)",
                    minWidth: 2,
                    maxWidth: 2,
                });
                this.pad.addEventListener("endStroke", () => this.props.onChange());
                this.resize();
                Object.assign(this.props.signature, {
                    getData: () => this.getData(),
                    getImage: () => this.pad.toDataURL(),
                    isEmpty: () => this.pad.isEmpty(),
                    clear: () => this.clear(),
                    resize: () => this.resize(),
                });
            },
            () => [this.canvasRef.el]
        );
        onWillUnmount(() => this.pad && this.pad.off());
    }

    resize() {
        const canvas = this.canvasRef.el;
        const width = canvas.clientWidth || 300;
        Object.assign(canvas, { width, height: Math.round(width / this.props.ratio) });
        this.clear();
    }

    clear() {
        this.pad.clear();
        this.props.onChange();
    }

    getData() {
        const canvas = this.canvasRef.el;
        return {
            mode: "draw",
            width: canvas.width,
            height: canvas.height,
            strokes: this.pad.toData().map((stroke) => ({
                points: stroke.points.map((p) => ({ x: p.x, y: p.y, time: p.time })),
            })),
        };
    }
}
