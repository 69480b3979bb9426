#!/usr/bin/env bash
# Installs the all-in-one OpenStack (Zed) of the test bed from Debian's own packages, without starting anything:
# keystone, glance, placement, nova api/conductor/scheduler (+ python3-nova for fake-driver computes),
# neutron-server, MariaDB and RabbitMQ. nova-compute itself is left out: it pulls qemu and libvirt.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
sudo=$( [ "$(id -u)" = 0 ] || echo sudo )

packages=(mariadb-server rabbitmq-server python3-pymysql keystone glance-api placement-api nova-api nova-conductor
  nova-scheduler python3-nova neutron-server python3-openstackclient python3-osc-placement uwsgi-plugin-python3 uwsgi-core)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0

# The maintainer scripts would configure databases and register endpoints: the test bed does that itself.
selections=""
for pkg in keystone glance glance-common glance-api placement placement-common placement-api nova nova-common \
  nova-api neutron neutron-common neutron-server; do
  selections+="$pkg $pkg/dbconfig-install boolean false"$'\n'
  selections+="$pkg $pkg/configure_db boolean false"$'\n'
  selections+="$pkg $pkg/register-endpoint boolean false"$'\n'
done
echo -n "$selections" | $sudo debconf-set-selections
echo "--- OpenStack test bed packages: ${missing[*]}" >&2
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
