namespace Monitor.Web.Observations.Kobo;

/// <summary>A Kobo submission already taken in, by its <c>_uuid</c>: a resend (Kobo retries) is answered from here.</summary>
public sealed class KoboReceiptRow
{
    public required string Uuid { get; set; }
    public required string Mapping { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public int Accepted { get; set; }
    public int Unchanged { get; set; }

    /// <summary>The batch it made; none when every reading was already recorded.</summary>
    public Guid? BatchId { get; set; }

    public long? Sequence { get; set; }
}
