#!/usr/bin/env bash
# Backups of the registry's PostgreSQL: a base backup (pg_basebackup) plus continuous WAL archiving, restored with
# scripts/restore.sh. A restore from a backup older than a checkpoint an anchor or witness already holds is refused by
# the API until an operator acknowledges the loss (README, "Backups and restores").
#
#   scripts/backup.sh archive DATA_DIR ARCHIVE_DIR  configures the cluster in DATA_DIR to archive every finished WAL
#                                                segment into ARCHIVE_DIR (postgresql.auto.conf; takes effect at its next start)
#   scripts/backup.sh base CONNINFO DEST         a base backup into DEST (plain files, its own WAL streamed in, so it
#                                                is consistent alone), checked with pg_verifybackup
#   scripts/backup.sh switch CONNINFO            closes the current WAL segment and waits until the archiver has it
#                                                (before a planned restore: the newest commits are then in the archive)
# CONNINFO: a libpq connection string, e.g. "host=127.0.0.1 port=25432 user=postgres".
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/pg.sh
pg_install

case "${1:-}" in
  archive)
    data="$(realpath "${2:?DATA_DIR}")"; archive="$(realpath -m "${3:?ARCHIVE_DIR}")"
    mkdir -p "$archive"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$archive"; fi
    # Never overwrite a segment already archived (a second cluster archiving into the same place fails loudly); copy,
    # then rename, so a restore never reads half a segment.
    as_pg tee -a "$data/postgresql.auto.conf" >/dev/null <<CONF
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $archive/%f && cp %p $archive/%f.tmp && mv $archive/%f.tmp $archive/%f'
CONF
    echo "archiving into $archive from the next start of $data"
    ;;
  base)
    conninfo="${2:?CONNINFO}"; dest="$(realpath -m "${3:?DEST}")"
    if [ -e "$dest" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then echo "$dest is not empty" >&2; exit 1; fi
    mkdir -p "$dest"
    "$PG_BIN/pg_basebackup" -d "$conninfo" -D "$dest" -Fp -X stream -c fast --label "assetledger $(date -u +%FT%TZ)"
    "$PG_BIN/pg_verifybackup" -q "$dest"
    echo "base backup in $dest ($(du -sh "$dest" | cut -f1))"
    ;;
  switch)
    conninfo="${2:?CONNINFO}"
    segment="$("$PG_BIN/psql" -d "$conninfo" -Atqc "SELECT pg_walfile_name(pg_switch_wal())")"
    for _ in $(seq 1 300); do
      done_="$("$PG_BIN/psql" -d "$conninfo" -Atqc "SELECT coalesce(last_archived_wal, '') >= '$segment' FROM pg_stat_archiver")"
      [ "$done_" = t ] && { echo "archived through $segment"; exit 0; }
      sleep 0.1
    done
    echo "WAL segment $segment was not archived within 30 s (see pg_stat_archiver)" >&2; exit 1
    ;;
  *) sed -n 2,14p "$0" >&2; exit 2 ;;
esac
