using System.Collections.Frozen;
using JiraAuthServer.Core.Tokens;

namespace JiraAuthServer.Web.Diagnostics;

/// <summary>
/// What a request came to, for its line in the log (see <see cref="RequestOutcomeLogging"/>): set by the endpoint,
/// "-" when it sets none. One shared instance per outcome, so recording one allocates nothing.
/// </summary>
public sealed class RequestOutcome
{
    public const string None = "-";

    private static readonly FrozenDictionary<TokenLookupStatus, RequestOutcome> Lookups = Enum.GetValues<TokenLookupStatus>()
        .ToFrozenDictionary(status => status, status => new RequestOutcome(status switch
        {
            TokenLookupStatus.Served => "served",
            TokenLookupStatus.NotFound => "not_connected",
            TokenLookupStatus.ReauthorizationRequired => "reauthorization_required",
            TokenLookupStatus.AtlassianUnavailable => "atlassian_unavailable",
            TokenLookupStatus.StoreUnavailable => "store_unavailable",
            TokenLookupStatus.Unreadable => "grant_unreadable",
            _ => status.ToString(),
        }));

    private RequestOutcome(string text) => Text = text;

    public string Text { get; }

    public static void Record(HttpContext context, TokenLookupStatus status) => context.Features.Set(Lookups[status]);

    public static string Of(HttpContext context) => context.Features.Get<RequestOutcome>()?.Text ?? None;
}
