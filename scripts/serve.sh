#!/usr/bin/env bash
# `make serve REPLICAS=N`: N Streamlit processes of Parcours on ports PORT, PORT+1, ... (127.0.0.1 only) and
# nginx in front of them on ADDRESS:PROXY_PORT with sticky sessions (deploy/nginx.conf.template).
# Every process maps the same on-disk snapshot (dashboard/snapshot.py) and sees a load made anywhere at its next
# rerun. Ctrl+C (or any process ending) stops them all.
set -euo pipefail

REPLICAS=${REPLICAS:-2}
PORT=${PORT:-8501}
PROXY_PORT=${PROXY_PORT:-8500}
ADDRESS=${ADDRESS:-127.0.0.1}
PYTHON=${PYTHON:-.venv/bin/python}
NGINX=${NGINX:-/usr/sbin/nginx}
root=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -x "$NGINX" ]; then
  echo "nginx is missing ($NGINX): install it with 'make system-deps' (Debian's nginx package)." >&2
  exit 1
fi
if ! [[ "$REPLICAS" =~ ^[1-9][0-9]*$ ]]; then
  echo "REPLICAS must be a whole number of processes, at least 1 (read: '$REPLICAS')." >&2
  exit 2
fi

# Shared by every process: a session's cookies stay valid whichever process checks them.
if [ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]; then
  STREAMLIT_SERVER_COOKIE_SECRET=$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')
  export STREAMLIT_SERVER_COOKIE_SECRET
fi
export PARCOURS_BEHIND_PROXY=${PARCOURS_BEHIND_PROXY:-on}

run=$(mktemp -d "${TMPDIR:-/tmp}/parcours-serve.XXXXXX")
chmod 755 "$run"  # nginx's workers (nobody, when started as root) write their temporary files under it
children=()
stop() {
  for pid in "${children[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$run"
}
trap stop EXIT
trap 'exit 130' INT TERM

servers=""
for ((i = 0; i < REPLICAS; i++)); do
  port=$((PORT + i))
  # dashboard/preload.py: Streamlit's command line, with the pages' imports done before the port opens.
  "$PYTHON" "$root/dashboard/preload.py" run "$root/dashboard/app.py" --server.headless true --server.port "$port" \
    --server.address 127.0.0.1 --browser.gatherUsageStats false >"$run/app-$port.log" 2>&1 &
  children+=($!)
  servers+="server 127.0.0.1:$port max_fails=0; "
done

# Streamlit's static files (served by nginx: deploy/nginx.conf.template), from the interpreter that runs the app.
static=$("$PYTHON" -c 'import os, streamlit; print(os.path.join(os.path.dirname(streamlit.__file__), "static", "static"))')
sed -e "s|@@RUN@@|$run|g" -e "s|@@STATIC@@|$static|g" -e "s|@@SERVERS@@|$servers|" -e "s|@@LISTEN@@|$ADDRESS:$PROXY_PORT|" \
  "$root/deploy/nginx.conf.template" >"$run/nginx.conf"
"$NGINX" -e "$run/error.log" -p "$run" -c "$run/nginx.conf" &
children+=($!)

echo "Parcours: $REPLICAS processes on ports $PORT-$((PORT + REPLICAS - 1)), nginx on http://$ADDRESS:$PROXY_PORT"
echo "Logs in $run (removed on exit). Ctrl+C stops everything."
set +e
wait -n
status=$?
echo "A process of 'make serve' ended (status $status): stopping the others." >&2
exit "$status"
