using System.Globalization;
using System.Runtime.CompilerServices;

namespace Monitor.Components.Tests.Infrastructure;

/// <summary>
/// The UI's one culture is English (the app pins it per request); components rendered here outside a request would
/// otherwise format dates and numbers in the culture of the machine running the tests. Pinned once, for every thread.
/// </summary>
internal static class PinnedCulture
{
    [ModuleInitializer]
    internal static void Pin()
    {
        var english = CultureInfo.GetCultureInfo("en");
        CultureInfo.DefaultThreadCurrentCulture = english;
        CultureInfo.DefaultThreadCurrentUICulture = english;
        CultureInfo.CurrentCulture = english;
        CultureInfo.CurrentUICulture = english;
    }
}
