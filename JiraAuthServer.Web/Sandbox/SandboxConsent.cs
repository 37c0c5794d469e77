namespace JiraAuthServer.Web.Sandbox;

/// <summary>An authorization request waiting on the stand-in consent page.</summary>
public sealed record SandboxConsent(string RedirectUri, string State, string Scope);
