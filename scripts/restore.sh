#!/usr/bin/env bash
# Restores a base backup made by scripts/backup.sh into a new data directory, replaying archived WAL when given:
#
#   scripts/restore.sh BACKUP DATA_DIR [--wal ARCHIVE_DIR] [--until 'TIMESTAMP']
#
# Without --wal the database is as it was when the base backup ended. With --wal it replays every archived segment
# (to the newest commit archived), or up to --until (point-in-time recovery), then promotes itself. DATA_DIR must not
# exist; it is made for the postgres user. Start it afterwards with pg_ctl (or scripts/lib/pg.sh's pg_start DATA_DIR PORT).
# If the restored database lacks a checkpoint an anchor already holds, the API refuses writes (503 ledger.rolled_back)
# until `assetledger ledger acknowledge-loss` (README, "Backups and restores").
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
pg_install

backup="$(realpath "${1:?BACKUP}")"; data="$(realpath -m "${2:?DATA_DIR}")"; shift 2
wal=""; until_=""
while [ $# -gt 0 ]; do
  case "$1" in
    --wal) wal="$(realpath "$2")"; shift 2 ;;
    --until) until_="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -e "$data" ] && { echo "$data exists: restore into a new directory" >&2; exit 1; }

[ -f "$backup/backup_label" ] || { echo "$backup is not a base backup (no backup_label)" >&2; exit 1; }
mkdir -p "$data"
cp -a "$backup/." "$data/"
rm -f "$data/backup_manifest"
# A restored server must not archive into the original's archive (it would fork its timeline there), nor keep its standby settings.
rm -f "$data/standby.signal" "$data/postgresql.auto.conf.bak"
{
  echo "archive_mode = off"
  if [ -n "$wal" ]; then
    echo "restore_command = 'cp $wal/%f %p'"
    echo "recovery_target_action = 'promote'"
    [ -n "$until_" ] && echo "recovery_target_time = '$until_'"
  fi
} >> "$data/postgresql.auto.conf"
[ -n "$wal" ] && touch "$data/recovery.signal"
if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$data"; fi
chmod 700 "$data"
echo "restored into $data${wal:+ (replaying WAL from $wal${until_:+ until $until_})}"
