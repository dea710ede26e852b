#!/usr/bin/env bash
# Rebuilds the compiled EF Core models of both database providers (src/Directory.Model/Persistence/CompiledModels) from
# the current model. The service and the admin commands load these instead of building the model at every start; run
# this after changing entities or their configuration (scripts/regen-migrations.sh runs it too). The test
# CompiledModelTests fails while they are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
project=src/Directory.Model/Directory.Model.csproj
folder=src/Directory.Model/Persistence/CompiledModels
rm -rf "$folder"
for provider in Sqlite Postgres; do
  dotnet ef dbcontext optimize --project "$project" --context "${provider}ScimBridgeDbContext" \
    --output-dir "Persistence/CompiledModels/$provider" --namespace "ScimBridge.Model.Persistence.CompiledModels.$provider"
done
rm -f src/Directory.Model/design.db*
