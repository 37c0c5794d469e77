namespace JiraAuthServer.Web.Sandbox;

/// <summary>
/// Tells the developer, once the server listens, that this is the sandbox and how to use it (the API key included:
/// it is a throwaway); removes the throwaway token file when the server stops.
/// </summary>
public sealed class SandboxConsole(SandboxMode sandbox, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => Console.Out.Write(Describe(sandbox)));
        lifetime.ApplicationStopped.Register(RemoveTokensFolder);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static string Describe(SandboxMode sandbox)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        var url = sandbox.PublicUrl;
        var user = SandboxHomeController.ExampleUserId;
        var line = new string('=', 78);
        return $"""

            {line}
             SANDBOX: no Atlassian app is configured, so this server plays Atlassian itself.
             Nothing here is real: keys and tokens are thrown away when it stops.

             Stand-in Atlassian:  {sandbox.AtlassianUrl}
             INTERNAL_API_KEY:    {sandbox.ApiKey}
             Token file:          {sandbox.TokensFile}

             1. Open {url}/sandbox and press "Connect", or ask for a link as the bot does:
                curl -H "Authorization: Bearer {sandbox.ApiKey}" "{url}/auth/start?telegram_user_id={user}"
             2. Open the auth_url in a browser and press Accept.
             3. Get the token as the bot does:
                curl -H "Authorization: Bearer {sandbox.ApiKey}" {url}/auth/token/{user}

             Swagger UI: {url}/swagger
             To use a real Atlassian app, set JIRA_CLIENT_ID, JIRA_CLIENT_SECRET and JIRA_REDIRECT_URI (e.g. in .env).
            {line}

            """;
    }

    private void RemoveTokensFolder()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(sandbox.TokensFile)!, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
