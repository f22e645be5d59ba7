from . import province_stats
