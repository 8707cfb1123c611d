# syntax=docker/dockerfile:1
# StreamForge worker image: the transcoding worker + ffmpeg/ffprobe.
# Build context: the repository root (docker compose build worker, or
#   docker build -f deploy/docker/worker.Dockerfile .)
# Ignore rules: worker.Dockerfile.dockerignore.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props ./
COPY server/StreamForge.Core/StreamForge.Core.csproj server/StreamForge.Core/
COPY worker/StreamForge.Media/StreamForge.Media.csproj worker/StreamForge.Media/
COPY worker/StreamForge.Worker/StreamForge.Worker.csproj worker/StreamForge.Worker/
RUN dotnet restore worker/StreamForge.Worker/StreamForge.Worker.csproj
COPY server/StreamForge.Core/ server/StreamForge.Core/
COPY worker/ worker/
RUN dotnet publish worker/StreamForge.Worker/StreamForge.Worker.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# aspnet, not runtime: StreamForge.Core references the ASP.NET Core shared framework.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
ENV DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
USER $APP_UID
ENTRYPOINT ["dotnet", "StreamForge.Worker.dll"]
