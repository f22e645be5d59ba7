from . import province_risk
