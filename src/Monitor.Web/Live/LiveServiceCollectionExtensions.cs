namespace Monitor.Web.Live;

public static class LiveServiceCollectionExtensions
{
    /// <summary>
    /// The alerts hub: SignalR with the API's JSON, the subscriptions, the forwarder of alerts and observations (a hosted
    /// service: register it after the alert engine) and the periodic check of connections' credentials.
    /// </summary>
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services)
    {
        services.AddSignalR().AddJsonProtocol(options => MonitorServiceCollectionExtensions.ConfigureJson(options.PayloadSerializerOptions));
        services.AddSingleton<SubscriptionRegistry>();
        services.AddHostedService<HubForwarder>();
        services.AddHubCredentialCheck();
        return services;
    }

    public static IEndpointRouteBuilder MapLiveUpdates(this IEndpointRouteBuilder app)
    {
        app.MapHub<AlertsHub>(AlertsHub.Path, options => options.CloseOnAuthenticationExpiration = true);
        return app;
    }
}
