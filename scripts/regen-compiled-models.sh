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
# --nativeaot also generates the property getters, setters and change-tracking snapshots as code. Without it EF Core
# builds and JIT-compiles about a thousand expression trees in every process (the sync command's change round spent
# a large part of its CPU on them).
for provider in Sqlite Postgres; do
  dotnet ef dbcontext optimize --project "$project" --context "${provider}ScimBridgeDbContext" \
    --nativeaot --output-dir "Persistence/CompiledModels/$provider" --namespace "ScimBridge.Model.Persistence.CompiledModels.$provider"
  # The generator names a snapshot lambda's entry parameter after the entity's first property; for entities with a
  # property called Source that parameter hides the property's local of the same name. Rename the parameter.
  for file in "$folder/$provider"/*EntityType.cs; do
    if grep -q "IInternalEntry source)" "$file"; then
      sed -i -e 's/(IInternalEntry source)/(IInternalEntry sourceEntry)/g' \
             -e 's/\bsource\.GetCurrentValue/sourceEntry.GetCurrentValue/g' \
             -e 's/\bsource\.Entity\b/sourceEntry.Entity/g' "$file"
    fi
  done
done
rm -f src/Directory.Model/design.db*
