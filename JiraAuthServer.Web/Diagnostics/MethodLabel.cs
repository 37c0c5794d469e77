using System.Collections.Frozen;

namespace JiraAuthServer.Web.Diagnostics;

/// <summary>
/// The method label of the HTTP metrics: the standard methods by name, any other as <see cref="Other"/>. Every label
/// value is a set of series kept for the life of the process, so a client sending a new made-up method with each
/// request would otherwise grow the scrape and the memory without end.
/// </summary>
public static class MethodLabel
{
    /// <summary>OpenTelemetry's value for a method outside the known set, which ASP.NET Core's own meters use too.</summary>
    public const string Other = "_OTHER";

    private static readonly FrozenSet<string> Standard = FrozenSet.Create(
        StringComparer.Ordinal,
        HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete,
        HttpMethods.Options, HttpMethods.Trace, HttpMethods.Connect);

    public static string Of(string method) => Standard.Contains(method) ? method : Other;
}
