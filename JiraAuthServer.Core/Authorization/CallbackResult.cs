using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Core.Authorization;

/// <summary>The outcome of <c>/auth/callback</c>: either the connected account, or why it failed.</summary>
public sealed record CallbackResult
{
    public long? TelegramUserId { get; init; }

    public JiraIdentity? Identity { get; init; }

    public JiraSite? Site { get; init; }

    public CallbackFailure? Failure { get; init; }

    public bool Succeeded => Failure is null;

    public static CallbackResult Success(long telegramUserId, JiraIdentity identity, JiraSite site) =>
        new() { TelegramUserId = telegramUserId, Identity = identity, Site = site };

    public static CallbackResult Failed(CallbackFailure failure, long? telegramUserId = null) =>
        new() { Failure = failure, TelegramUserId = telegramUserId };
}
