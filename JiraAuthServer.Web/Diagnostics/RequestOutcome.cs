using System.Collections.Frozen;
using JiraAuthServer.Core.Tokens;

namespace JiraAuthServer.Web.Diagnostics;

/// <summary>
/// What a request came to, for its line in the log (see <see cref="RequestOutcomeLogging"/>): set by the endpoint,
/// "-" when it sets none. One shared instance per token lookup outcome, so recording one allocates nothing; an endpoint
/// with more to say (a Jira call) records a subclass that works its text out when the line is written.
/// </summary>
public class RequestOutcome
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

    private readonly string text;

    protected RequestOutcome(string text) => this.text = text;

    public virtual string Text => text;

    public static void Record(HttpContext context, TokenLookupStatus status) => context.Features.Set(Lookups[status]);

    public static void Record(HttpContext context, RequestOutcome outcome) => context.Features.Set(outcome);

    public static string Of(HttpContext context) => context.Features.Get<RequestOutcome>()?.Text ?? None;
}
