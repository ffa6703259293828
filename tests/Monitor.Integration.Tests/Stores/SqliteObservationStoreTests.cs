using Monitor.Integration.Tests.Fixtures;
using Monitor.Web.Observations;
using Monitor.Web.Observations.Embedded;

namespace Monitor.Integration.Tests.Stores;

public sealed class SqliteObservationStoreTests(TemporaryDirectory directory) : ObservationStoreContract, IClassFixture<TemporaryDirectory>
{
    protected override Task<IObservationStore> CreateStoreAsync() =>
        Task.FromResult<IObservationStore>(new SqliteObservationStore(directory.File($"observations-{Guid.NewGuid():N}.db")));
}
