# ScimBridge in a container, following the official .NET image pattern: build with the SDK image, run on the runtime-deps
# image as its non-root user. Settings: mount appsettings.json at /config/appsettings.json (the working
# directory is the content root) or pass ScimBridge__* environment variables; the SQLite file lives in the /data volume.
#   docker build -t scimbridge .
#   docker run -d -p 8080:8080 -v scimbridge-data:/data -v ./mappings:/config/mappings:ro scimbridge
#   docker exec CONTAINER /app/ScimBridge.Scim tokens create --org acme
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig appsettings.sample.json ./
COPY src/ src/
RUN dotnet publish src/Scim.Endpoint -c Release -o /app

# The published folder is self-contained (its own runtime, compiled ahead of time): the runtime-deps image suffices.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
COPY --from=build /app /app
WORKDIR /config
ENV Urls=http://+:8080 \
    ScimBridge__Database__ConnectionString="Data Source=/data/scimbridge.db" \
    ScimBridge__Mappings__Path=/config/mappings
RUN mkdir -p /data /config/mappings && chown "$APP_UID" /data
VOLUME /data
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["/app/ScimBridge.Scim"]
