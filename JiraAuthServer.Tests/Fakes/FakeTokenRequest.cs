namespace JiraAuthServer.Tests.Fakes;

/// <summary>A request the fake's token endpoint received, as it read it.</summary>
public sealed record FakeTokenRequest(string? ContentType, string? Accept, IReadOnlyDictionary<string, string> Fields)
{
    public string? GrantType => Fields.GetValueOrDefault("grant_type");
}
