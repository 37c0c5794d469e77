using System.Globalization;

namespace JiraAuthServer.Web.Security;

/// <summary>The <c>Retry-After</c> header of every 429 and 503: whole seconds, rounded up, at least one.</summary>
public static class RetryAfter
{
    /// <summary>A store that refused (disk full, database down) changed nothing; trying again shortly is right.</summary>
    public static readonly TimeSpan StoreUnavailable = TimeSpan.FromSeconds(5);

    public static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    public static void Set(HttpResponse response, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = Seconds(wait).ToString(CultureInfo.InvariantCulture);
    }
}
