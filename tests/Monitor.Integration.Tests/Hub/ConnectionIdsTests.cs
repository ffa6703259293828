using Monitor.Web.Live;

namespace Monitor.Integration.Tests.Hub;

public sealed class ConnectionIdsTests
{
    [Fact]
    public void Recipients_answer_membership_as_a_collection_so_SignalRs_check_of_each_connection_is_a_hash_lookup()
    {
        // SignalR tests each open connection with Enumerable.Contains on the list it is given.
        IReadOnlyList<string> ids = new ConnectionIds(["a1", "b2", "c3"]);

        var collection = Assert.IsAssignableFrom<ICollection<string>>(ids);
        Assert.True(collection.IsReadOnly);
        // Enumerable.Contains, as SignalR calls it: it hands over to the collection's own (hashed, ordinal) Contains.
        bool[] found = [ids.Contains("b2"), ids.Contains("B2"), ids.Contains("d4")];
        Assert.Equal([true, false, false], found);
        Assert.Equal(["a1", "b2", "c3"], ids);
        Assert.Equal("c3", ids[2]);
    }
}
