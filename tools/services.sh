#!/usr/bin/env bash
# The services the test suite talks to: a PostgreSQL server and a Chromium (`make services`, which
# `make test` runs first). What is already there is used as it is; on Debian or Ubuntu, as root, what
# is missing is installed with apt-get and started, saying so. Anywhere else this stops at once, with
# one line naming what to run.
#
#   ACCORD_TEST_POSTGRES_URL  the server and role the tests use (they create their own databases);
#                             default postgresql+psycopg://postgres@127.0.0.1:5432/postgres
#   ACCORD_TEST_CHROMIUM      the Chromium the browser tests drive; default: `chromium` on the PATH
#   PYTHON                    a Python with psycopg (make passes the project's .venv)
set -euo pipefail

url="${ACCORD_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}"
python="${PYTHON:-python3}"
default_url=$([ -z "${ACCORD_TEST_POSTGRES_URL:-}" ] && echo yes || echo no)
is_root=$([ "$(id -u)" = 0 ] && echo yes || echo no)
has_apt=$(command -v apt-get >/dev/null 2>&1 && echo yes || echo no)

say() { echo "services: $*"; }
stop() {
    echo "services: $1; run \`sudo make services\` (Debian or Ubuntu), or $2" >&2
    exit 1
}

can_connect() {  # prints nothing when the tests' role can connect; the reason otherwise
    "$python" - "$url" <<'PY'
import sys
try:
    import psycopg
    psycopg.connect(sys.argv[1].replace("+psycopg", "", 1), connect_timeout=5).close()
except Exception as error:  # any reason: it is printed, and the caller decides
    print(" ".join(str(error).split())[:200] or type(error).__name__)
PY
}

apt_updated=no
apt_install() {
    say "installing $* with apt-get"
    if [ "$apt_updated" = no ]; then apt-get update -qq; apt_updated=yes; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

may_install=$([ "$is_root" = yes ] && [ "$has_apt" = yes ] && echo yes || echo no)

# --- PostgreSQL ------------------------------------------------------------------------------------
problem=$(can_connect)
if [ -n "$problem" ]; then
    if [ "$may_install" = no ] || [ "$default_url" = no ]; then
        stop "cannot reach PostgreSQL at $url ($problem)" \
            "start a server and set ACCORD_TEST_POSTGRES_URL to a role that may create databases"
    fi
    installed=no
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
        apt_install postgresql
        installed=yes
    fi
    if ! pg_isready -q -h 127.0.0.1 -p 5432; then
        version=$(ls /etc/postgresql | sort -V | tail -n 1)
        say "starting PostgreSQL $version (cluster main)"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start
        for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
    problem=$(can_connect)
    if [ -n "$problem" ] && [ "$installed" = yes ]; then
        # A fresh Debian cluster asks a password over TCP; the tests' role has none.
        hba=$(ls /etc/postgresql/*/main/pg_hba.conf | sort -V | tail -n 1)
        say "letting user postgres connect from 127.0.0.1 without a password (a line at the top of $hba)"
        sed -i '1i host all postgres 127.0.0.1/32 trust  # added by Accord'"'"'s make services, for its tests' "$hba"
        pg_ctlcluster --skip-systemctl-redirect "$(basename "$(dirname "$(dirname "$hba")")")" main reload
        problem=$(can_connect)
    fi
    if [ -n "$problem" ]; then
        stop "cannot reach PostgreSQL at $url ($problem)" \
            "set ACCORD_TEST_POSTGRES_URL to a role that may create databases"
    fi
fi

# --- Chromium --------------------------------------------------------------------------------------
chromium="${ACCORD_TEST_CHROMIUM:-$(command -v chromium || true)}"
if [ -z "$chromium" ] || ! "$chromium" --version >/dev/null 2>&1; then
    if [ "$may_install" = no ] || [ -n "${ACCORD_TEST_CHROMIUM:-}" ]; then
        stop "no working Chromium${ACCORD_TEST_CHROMIUM:+ at $ACCORD_TEST_CHROMIUM}" \
            "install one and set ACCORD_TEST_CHROMIUM to its path"
    fi
    apt_install chromium
    chromium=$(command -v chromium || true)
    if [ -z "$chromium" ] || ! "$chromium" --version >/dev/null 2>&1; then
        stop "apt-get's chromium does not run here (on Ubuntu it is a snap)" \
            "install a Chromium and set ACCORD_TEST_CHROMIUM to its path"
    fi
fi

say "PostgreSQL at ${url#*@} and $("$chromium" --version 2>/dev/null | head -n 1) ($chromium) are ready"
