pytest_plugins = ["server_support"]  # database fixtures (SQLite and PostgreSQL) of the server's tests
