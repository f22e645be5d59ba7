from . import province_history, province_risk
