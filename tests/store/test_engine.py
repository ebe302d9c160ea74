from accord.store.engine import data_dir, default_database_url, normalise_url


def test_the_environment_variable_wins():
    env = {"ACCORD_DATABASE_URL": "postgresql+psycopg://h/db", "XDG_DATA_HOME": "/x"}
    assert default_database_url(env) == "postgresql+psycopg://h/db"


def test_the_default_is_a_sqlite_file_in_the_user_data_folder():
    assert default_database_url({"XDG_DATA_HOME": "/data"}) == "sqlite:////data/accord/accord.sqlite"
    assert data_dir({"HOME": "/home/ada"}).as_posix().endswith("accord")


def test_postgres_urls_use_psycopg_3():
    assert normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("sqlite:///a.db") == "sqlite:///a.db"
