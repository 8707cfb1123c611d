# syntax=docker/dockerfile:1
# StreamForge API image: ASP.NET app + the built SPA (served from /app/web).
# Build context: the repository root (docker compose build api, or
#   docker build -f deploy/docker/api.Dockerfile .)
# Ignore rules: api.Dockerfile.dockerignore (BuildKit reads <Dockerfile>.dockerignore).

# --- the SPA -------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY package.json package-lock.json ./
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY web/ web/
RUN npm run build -w web

# --- the API -------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props ./
COPY server/StreamForge.Core/StreamForge.Core.csproj server/StreamForge.Core/
COPY server/StreamForge.Api/StreamForge.Api.csproj server/StreamForge.Api/
COPY worker/StreamForge.Media/StreamForge.Media.csproj worker/StreamForge.Media/
RUN dotnet restore server/StreamForge.Api/StreamForge.Api.csproj
COPY server/ server/
# The pure media library (caption conversion, manifest/MPD/HLS writers); the API never runs ffmpeg.
COPY worker/StreamForge.Media/ worker/StreamForge.Media/
RUN dotnet publish server/StreamForge.Api/StreamForge.Api.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# --- runtime -------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
COPY --from=web /src/web/dist ./web
ENV ASPNETCORE_URLS=http://+:8080 \
    Web__DistPath=/app/web \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "StreamForge.Api.dll"]
