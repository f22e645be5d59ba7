def post_init_hook(env):
    """Chinese first: when Chinese is installed, visitors who have not chosen a language (the public
    user) see the portal, the registration and the login page in Chinese."""
    if env["res.lang"].search_count([("code", "=", "zh_CN"), ("active", "=", True)]):
        env.ref("base.public_user").sudo().partner_id.lang = "zh_CN"
