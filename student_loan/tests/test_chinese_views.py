"""Every word a user sees is Chinese: the project's back-office views, read as a Chinese user.

Each view of the ``student_loan*`` addons is loaded with ``get_views`` in ``zh_CN`` (after loading
the Chinese terms of every installed addon, as ``--load-language=zh_CN`` does), and its visible text
(labels, buttons, placeholders, help, text nodes, field labels and selection values) may not hold an
English sentence of three or more words.
"""

import re

from lxml import etree

from odoo.tests import TransactionCase, tagged

ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,'’]+[A-Za-z]{2,}){2,}")
VISIBLE_ATTRIBUTES = ("string", "placeholder", "help", "confirm", "title", "aria-label", "sum")
HIDDEN_TAGS = {"field_attributes", "script", "style"}


def _visible_texts(arch):
    root = etree.fromstring(arch)
    for node in root.iter():
        if not isinstance(node.tag, str) or node.tag in HIDDEN_TAGS:
            continue
        if node.get("invisible") in ("1", "True"):
            continue
        for attribute in VISIBLE_ATTRIBUTES:
            if node.get(attribute):
                yield node.get(attribute)
        for text in (node.text, node.tail):
            if text and text.strip() and not text.strip().startswith(("{", "(")):
                yield text.strip()


@tagged("post_install", "-at_install")
class TestChineseViews(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        installed = cls.env["ir.module.module"].search([("state", "=", "installed")])
        installed._update_translations(["zh_CN"])
        cls.env.invalidate_all()

    def test_no_english_sentence_in_the_views(self):
        env = self.env(context={"lang": "zh_CN"})
        views = env["ir.ui.view"].search(
            [("type", "in", ("list", "form", "kanban", "search", "pivot", "graph")), ("inherit_id", "=", False)]
        )
        views = views.filtered(lambda view: (view.xml_id or "").startswith("student_loan"))
        self.assertTrue(views)
        found = set()
        for view in views:
            result = env[view.model].get_views([(view.id, view.type)])
            texts = list(_visible_texts(result["views"][view.type]["arch"]))
            for model_name, info in result["models"].items():
                for field in info["fields"].values():
                    texts.append(field.get("string") or "")
                    texts += [label for _value, label in field.get("selection") or []]
                found.update(
                    f"{view.xml_id} ({model_name}): {text!r}" for text in texts if ENGLISH_SENTENCE.search(text)
                )
        self.assertFalse(found, "English in the views read in Chinese:\n" + "\n".join(sorted(found)))
