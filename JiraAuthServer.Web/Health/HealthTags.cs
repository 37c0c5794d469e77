namespace JiraAuthServer.Web.Health;

/// <summary>Which checks each health endpoint runs.</summary>
public static class HealthTags
{
    /// <summary><c>/health</c> (the probes of earlier versions): the token store only.</summary>
    public const string Store = "store";

    /// <summary><c>/health/ready</c>: the token store, and not stopping.</summary>
    public const string Ready = "ready";
}
