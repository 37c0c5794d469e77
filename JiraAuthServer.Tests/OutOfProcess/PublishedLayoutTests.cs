using System.Diagnostics;
using System.Net;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.OutOfProcess;

/// <summary>
/// The server as the README deploys it (<c>dotnet publish</c>), started by a service from the folder that holds its
/// token file rather than from the folder it was published to.
/// </summary>
public sealed class PublishedLayoutTests : ProcessTestBase
{
    private string publishFolder = null!;

    [OneTimeSetUp]
    public async Task PublishOnce()
    {
        publishFolder = Directory.CreateTempSubdirectory("jira-auth-published-").FullName;
        var project = Path.Combine(RepositoryFolder.Root, "JiraAuthServer.Web", "JiraAuthServer.Web.csproj");
        var publish = new ProcessStartInfo("dotnet", ["publish", project, "-c", RepositoryFolder.BuildConfiguration, "--no-build", "-o", publishFolder, "--nologo", "-v", "quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(publish)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"dotnet publish failed:\n{await output}\n{await error}");
    }

    [OneTimeTearDown]
    public void RemovePublished() => Directory.Delete(publishFolder, recursive: true);

    [Test]
    public async Task Pages_have_their_styles_when_the_server_runs_from_its_data_folder()
    {
        await using var server = await ServerProcess.StartAsync(Context.Environment(), Context.Folder, serverDll: Path.Combine(publishFolder, "JiraAuthServer.Web.dll"));
        using var browser = server.CreateClient();

        using var stylesheet = await browser.GetAsync(new Uri("/css/site.css", UriKind.Relative));
        using var icon = await browser.GetAsync(new Uri("/favicon.svg", UriKind.Relative));

        Assert.That(stylesheet.StatusCode, Is.EqualTo(HttpStatusCode.OK), server.Output);
        Assert.That(stylesheet.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/css"));
        Assert.That(icon.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(server.Output, Does.Not.Contain("WebRootPath was not found"));
    }
}
