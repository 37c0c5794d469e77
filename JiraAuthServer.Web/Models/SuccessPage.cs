namespace JiraAuthServer.Web.Models;

/// <summary>What the success page tells the user: which Jira account and site got connected.</summary>
public sealed record SuccessPage(string AccountName, string? AccountEmail, string? SiteUrl, string? SiteName, string? TelegramLink);
