#!/usr/bin/env bash
# Rebuilds the initial migrations of both database providers from the current model, then the compiled models
# (scripts/regen-compiled-models.sh), which must follow every model change.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
project=src/Directory.Model/Directory.Model.csproj
rm -rf src/Directory.Model/Persistence/Migrations
dotnet ef migrations add InitialCreate --project "$project" --context SqliteScimBridgeDbContext \
  --output-dir Persistence/Migrations/Sqlite
dotnet ef migrations add InitialCreate --project "$project" --context PostgresScimBridgeDbContext \
  --output-dir Persistence/Migrations/Postgres
rm -f src/Directory.Model/design.db*
scripts/regen-compiled-models.sh
