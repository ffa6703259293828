using System.Net;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Observations;
using static Monitor.Integration.Tests.Fixtures.TestScenario;

namespace Monitor.Integration.Tests.Api;

/// <summary>
/// A store that understands a request and refuses it (InfluxDB's answer to a field type conflict) refuses the data, not
/// the moment: whatever request meets the refusal gets 422 problem details that say so, never a bare 500 and never the
/// store's address or database. Today writes reach InfluxDB only from the outbox's drain, so the refusal is injected
/// into the real store's answers to the request's own calls.
/// </summary>
public sealed class StoreRefusalTests : IDisposable
{
    private const string StoreDetails = "InfluxDB at http://10.9.8.7:8086 refused the write to 'secret_db'";

    private readonly MonitorAppFactory _app;
    private readonly RefusingStore.Switch _refuse = new();

    public StoreRefusalTests() => _app = new MonitorAppFactory { TestServices = services => RefusingStore.Wrap(services, _refuse) };

    [Fact]
    public async Task A_request_the_store_refuses_is_422_without_the_store_details()
    {
        using var reporter = _app.CreateClient(ReporterKey);
        _refuse.On = true;

        using var response = await reporter.GetAsync(MonitorApi.SeriesUrl(Mosul, FuelStationsOpen, SeedFrom, SeedTo));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.DoesNotContain("10.9.8.7", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret_db", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(_app.Logs.Entries, e => e.Exception?.Message.Contains(StoreDetails, StringComparison.Ordinal) == true);
    }

    public void Dispose() => _app.Dispose();

    /// <summary>The real store, whose answers are refusals while <see cref="Switch.On"/>.</summary>
    public class RefusingStore : DispatchProxy
    {
        public sealed class Switch
        {
            public volatile bool On;
        }

        private IObservationStore _inner = null!;
        private Switch _refuse = null!;

        public static void Wrap(IServiceCollection services, Switch refuse)
        {
            var original = services.Last(d => d.ServiceType == typeof(IObservationStore));
            services.Remove(original);
            services.AddSingleton(sp =>
            {
                var proxy = Create<IObservationStore, RefusingStore>();
                var refusing = (RefusingStore)(object)proxy;
                refusing._inner = (IObservationStore)original.ImplementationFactory!(sp);
                refusing._refuse = refuse;
                return proxy;
            });
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (_refuse.On && method!.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>))
            {
                var refusal = new ObservationStoreRejectedException($"{StoreDetails} (HTTP 400): field type conflict");
                return typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!
                    .MakeGenericMethod(method.ReturnType.GetGenericArguments()[0]).Invoke(null, [refusal]);
            }
            try
            {
                return method!.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
