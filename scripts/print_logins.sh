#!/usr/bin/env bash
# Printed by `make run` before the server starts.
port=${PORT:-8069}
cat <<TXT

  Student-loan platform: http://localhost:$port   (database: ${DB:-student_loan})

  Demo logins (password = login):
    handler_ss      Handler 经办人          商水县 (county under 周口市)
    supervisor_ss   Supervisor 负责人       商水县
    handler_gy      Handler 经办人          巩义市 (directly-managed county)
    supervisor_gy   Supervisor 负责人       巩义市
    city_zk         City viewer 地市查看    周口市
    province        Province administrator  河南省
    bank            Bank liaison 开行联络员  河南省
    xc_handler, xc_volunteer1..7    淅川县 intake desks (handler, volunteers)
    weihui_judge_1..3               卫辉市 competition judges
    student_wxm, student_yf         students in the portal: http://localhost:$port/my
    admin           Odoo administrator      (password admin)

TXT
