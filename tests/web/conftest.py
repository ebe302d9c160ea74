from web_support import dashboard  # noqa: F401  (the module-scoped dashboard fixture)
