using Monitor.Web.Observations.Forms;

namespace Monitor.Web.Observations;

public static class ObservationFormsServiceCollectionExtensions
{
    /// <summary>The forms' submissions, one per circuit (each browser tab keeps its own queue).</summary>
    public static IServiceCollection AddObservationForms(this IServiceCollection services) => services.AddScoped<FormSubmissions>();
}
