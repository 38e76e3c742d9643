#!/bin/sh
# Creates and migrates Temporal's two databases (history and visibility) on PostgreSQL, and the
# contact store's database, with the schema tool of the pinned admin-tools image. Compose starts
# it once PostgreSQL answers its health check. Safe to re-run: `create` fails harmlessly on an
# existing database, and `update-schema` applies only what is new.
set -eu
tool() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" --pw "$POSTGRES_PWD" "$@"; }
schemas=/etc/temporal/schema/postgresql/v12

for db in temporal temporal_visibility; do
  tool --db "$db" create 2>/dev/null || echo "database $db exists"
  tool --db "$db" setup-schema -v 0.0 2>/dev/null || echo "database $db has a schema version already"
done
tool --db temporal update-schema -d "$schemas/temporal/versioned"
tool --db temporal_visibility update-schema -d "$schemas/visibility/versioned"
tool --db "$RECONTACT_DB" create 2>/dev/null || echo "database $RECONTACT_DB exists"
echo 'schemas ready'
