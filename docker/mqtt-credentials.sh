#!/bin/sh
# Runs before Mosquitto starts (compose service "mqtt-credentials"), so the shipped broker asks for
# a password from its first start on. For each user below it makes a random password, kept in the
# mqtt-credentials volume as <user>.password, and adds the user to Mosquitto's password file.
# Later runs keep existing passwords and any users you added yourself (README, "Security").
#   teslahub         the daemon; compose hands it its password at start
#   fleet-telemetry  Tesla's fleet-telemetry server (the "telemetry" profile); put its password
#                    into docker/fleet-telemetry/config.json
set -eu
dir="${1:-/credentials}"
umask 077
[ -e "$dir/passwords" ] || : > "$dir/passwords"
for user in teslahub fleet-telemetry; do
  if [ ! -s "$dir/$user.password" ]; then
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$dir/$user.password"
  fi
  if ! grep -q "^$user:" "$dir/passwords"; then
    mosquitto_passwd -b "$dir/passwords" "$user" "$(cat "$dir/$user.password")"
  fi
done
# Mosquitto reads its password file as user mosquitto (1883); teslahub runs as node (1000).
chown 1883:1883 "$dir/passwords"
chmod 0600 "$dir/passwords"
chown 1000:1000 "$dir/teslahub.password"
chmod 0400 "$dir/teslahub.password" "$dir/fleet-telemetry.password"
chmod 0755 "$dir"
echo "mqtt-credentials: Mosquitto users ready: $(cut -d: -f1 "$dir/passwords" | tr '\n' ' ')"
