import os

pytest_plugins = ["server_support"]  # database fixtures (SQLite and PostgreSQL) of the server's tests

# Text output is laid out for COLUMNS (100 when it is not set): one width for every test, whatever
# the terminal, and whatever GNU readline exports once something imports it (COLUMNS=80, at the
# C level, which worker processes and subprocesses inherit). A test that needs another width says so.
os.environ["COLUMNS"] = "100"
