using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Core.Users;

/// <summary>A <see cref="GrantStatus"/> as <c>/auth/users</c> spells it, in its answers and its <c>status</c> filter.</summary>
public static class GrantStatusNames
{
    public const string Connected = "connected";
    public const string ReauthorizationRequired = "reauthorization_required";

    public static string Name(GrantStatus status) => status == GrantStatus.ReauthorizationRequired ? ReauthorizationRequired : Connected;

    public static bool TryParse(string text, out GrantStatus status)
    {
        status = text == ReauthorizationRequired ? GrantStatus.ReauthorizationRequired : GrantStatus.Connected;
        return text is Connected or ReauthorizationRequired;
    }
}
