#!/usr/bin/env bash
# Starts Debian's Glewlwyd (apt-get install glewlwyd) on 127.0.0.1:PORT with everything in DIR
# (a fresh folder: its sqlite database from the package's schema, its configuration, and a copy of
# the login web app), in the foreground. tests/support/glewlwyd.mjs runs it and then configures
# the server (plugin, clients, users, scopes) through the admin REST API.
#   tests/support/glewlwyd/start.sh DIR PORT
set -euo pipefail
dir=$1
port=$2
schema=/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3
webapp=/usr/share/glewlwyd/webapp
for need in /usr/bin/glewlwyd /usr/bin/sqlite3 "$schema" "$webapp"; do
  [ -e "$need" ] || { echo "start.sh: $need is missing (scripts/bootstrap.sh --browser installs glewlwyd)" >&2; exit 3; }
done
mkdir -p "$dir"
rm -f "$dir/glewlwyd.db"
sqlite3 "$dir/glewlwyd.db" <"$schema"

# The login app, with its config.json as a real file: Debian's is a symlink to a directory
# (/etc/glewlwyd/config-2.7.json/) that holds the file.
rm -rf "$dir/webapp"
cp -RL "$webapp" "$dir/webapp" # its relative symlinks (jquery, bootstrap) would not resolve from here
rm -rf "$dir/webapp/config.json"
app_config=$(readlink -f "$webapp/config.json")
[ -d "$app_config" ] && app_config="$app_config/config.json"
cp "$app_config" "$dir/webapp/config.json"

# No use_secure_connection line at all: Glewlwyd 2.7.5 exits when it reads `false`.
cat >"$dir/glewlwyd.conf" <<CONF
port=$port
bind_address="127.0.0.1"
external_url="http://127.0.0.1:$port"
login_url="login.html"
api_prefix="api"
static_files_path="$dir/webapp/"
allow_origin="*"
allow_methods="GET, POST, PUT, DELETE, OPTIONS"
allow_headers="Origin, X-Requested-With, Content-Type, Accept, Bearer, Authorization, DPoP"
expose_headers="Content-Encoding, Authorization, WWW-Authenticate, DPoP-Nonce"
log_mode="file"
log_level="${GLEWLWYD_LOG_LEVEL:-WARNING}"
log_file="$dir/glewlwyd.log"
cookie_secure=0
cookie_same_site="empty"
session_expiration=3600
session_key="GLEWLWYD2_SESSION_ID"
admin_session_authentication="cookie"
profile_session_authentication="cookie"
allow_multiple_user_per_session=true
login_api_enabled=true
add_x_frame_option_header_deny=true
max_post_size=16778240
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="/usr/lib/glewlwyd/user"
client_module_path="/usr/lib/glewlwyd/client"
user_auth_scheme_module_path="/usr/lib/glewlwyd/scheme"
plugin_module_path="/usr/lib/glewlwyd/plugin"
hash_algorithm="SHA512"
database = { type = "sqlite3"; path = "$dir/glewlwyd.db"; };
static_files_mime_types = (
  { extension = ".html"; mime_type = "text/html"; },
  { extension = ".css"; mime_type = "text/css"; },
  { extension = ".js"; mime_type = "application/javascript"; },
  { extension = ".json"; mime_type = "application/json"; },
  { extension = ".png"; mime_type = "image/png"; },
  { extension = ".ico"; mime_type = "image/x-icon"; },
  { extension = ".svg"; mime_type = "image/svg+xml"; },
  { extension = ".woff"; mime_type = "font/woff"; },
  { extension = ".woff2"; mime_type = "font/woff2"; },
  { extension = ".ttf"; mime_type = "font/ttf"; }
);
CONF
exec /usr/bin/glewlwyd --config-file "$dir/glewlwyd.conf"
