namespace JiraAuthServer.Web.Configuration;

/// <summary>The check of one setting (or of a few read together): adds one line per problem, never a secret's value.</summary>
internal sealed record SettingCheck(IReadOnlyList<string> Names, Action<IConfiguration, List<string>> Run);
