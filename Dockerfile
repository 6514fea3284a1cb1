# Crm in a container: build with the .NET 10 SDK, run on the ASP.NET Core runtime as a non-root user.
#   docker build -t crm .
#   docker run -p 5080:8080 -e ConnectionStrings__Crm="Host=...;Database=crm;Username=...;Password=..." -v crm-data:/data crm
# ConnectionStrings__Crm is required here: the image has no PostgreSQL binaries, so the local
# development cluster (docs/adr/0002-local-postgresql.md) cannot start. docker-compose.yml wires one up.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The build settings first (TreatWarningsAsErrors, pinned versions, analyzer rules in .editorconfig),
# so the image is built exactly like ./crm.sh builds.
COPY Crm.sln Directory.Build.props Directory.Packages.props .editorconfig ./
COPY .config/ .config/
COPY src/ src/
# Only the web app and what it references; the tests and the benchmark are not part of the image.
RUN dotnet restore src/Crm.Web/Crm.Web.csproj
RUN dotnet publish src/Crm.Web/Crm.Web.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# Crm__DataDirectory holds the logs (logs/) and the data-protection keys (keys/) that keep sign-in
# cookies valid across restarts: mount a volume there. ASPNETCORE_HTTP_PORTS (8080 in the base
# image) is emptied so ASPNETCORE_URLS does not log an "overriding HTTP_PORTS" warning at start.
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_HTTP_PORTS="" \
    Crm__DataDirectory=/data \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
# The image's built-in non-root user "app" ($APP_UID) must own /data; a fresh named volume copies
# this ownership on first mount.
RUN mkdir -p /data && chown "$APP_UID" /data
COPY --from=build /app ./
USER $APP_UID
VOLUME /data
EXPOSE 8080
# No HEALTHCHECK: the aspnet image has neither curl nor wget. Probe GET /health from outside
# (an orchestrator, a load balancer); it answers 200 when the app and its database respond, else 503.
# Once PDFs are printed with Chromium (docs/adr/0003), this stage needs a Chromium: the default
# .NET 10 images are Ubuntu 24.04, whose "chromium" package is a snap stub that cannot run here.
ENTRYPOINT ["dotnet", "Crm.Web.dll"]
