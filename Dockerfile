# Builds the Monitor web app. The SDK image gets Node.js for the ApexCharts npm package.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/Monitor.Web -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080 \
    Monitor__DataDirectory=/var/lib/monitor
VOLUME /var/lib/monitor
EXPOSE 8080
ENTRYPOINT ["dotnet", "Monitor.Web.dll"]
