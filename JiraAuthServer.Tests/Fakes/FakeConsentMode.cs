namespace JiraAuthServer.Tests.Fakes;

/// <summary>What the fake's <c>/authorize</c> does with a valid request.</summary>
public enum FakeConsentMode
{
    /// <summary>Shows a consent page with an Accept and a Decline link, as a browser test needs.</summary>
    ShowPage,

    /// <summary>Redirects straight back with a code, so an HTTP test can follow the redirect.</summary>
    AutoApprove,

    /// <summary>Redirects straight back with <c>error=access_denied</c>.</summary>
    AutoDecline,
}
