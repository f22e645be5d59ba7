from . import (
    test_campaign,
    test_campaign_approval,
    test_controllers,
    test_dispatch,
    test_dispatch_killed,
    test_gateways,
    test_receipts,
    test_review_automation,
)
