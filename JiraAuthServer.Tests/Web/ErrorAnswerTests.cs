using System.Net;
using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Storage;
using JiraAuthServer.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace JiraAuthServer.Tests.Web;

/// <summary>What a client sees when something breaks inside: JSON with an <c>error</c> field, never a stack trace.</summary>
public sealed class ErrorAnswerTests : WebTestBase
{
    private const string InternalDetail = "internal-detail-Hk3 at /srv/secret/path";

    [Test]
    public async Task An_unexpected_failure_in_Production_is_a_500_json_without_a_stack_trace_or_the_exception()
    {
        var repository = new Mock<ITokenRepository>();
        repository.Setup(r => r.GetAsync(It.IsAny<long>(), It.IsAny<CancellationToken>())).Throws(new InvalidOperationException(InternalDetail));
        using var broken = WithRepository(repository.Object);
        using var client = broken.CreateClient();
        using var log = new NLogCapture();

        var response = await client.GetAsync(new Uri("/auth/status/1", UriKind.Relative));

        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(body, Is.EqualTo("""{"error":"Internal server error"}"""));
        Assert.That(log.Text, Does.Contain("Unhandled exception on /auth/status/1"), "the operator still learns what happened");
    }

    [Test]
    public async Task A_store_that_cannot_write_is_a_503_with_retry_after()
    {
        var repository = new Mock<ITokenRepository>();
        repository.Setup(r => r.DeleteAsync(It.IsAny<long>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TokenStoreWriteException($"Token file could not be written: {InternalDetail}"));
        using var broken = WithRepository(repository.Object);
        using var bot = broken.CreateClient();
        bot.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AuthServerFactory.ApiKey);

        var response = await bot.DeleteAsync(new Uri("/auth/revoke/1", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"error":"Token store is unavailable"}"""));
    }

    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> WithRepository(ITokenRepository repository) =>
        Context.Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(repository);
            // The real server of this context holds the token file; this one keeps its states elsewhere.
            services.AddSingleton<IAuthStateStore>(provider =>
                JsonFileAuthStateStore.Open(Path.Combine(Context.Folder, "other.states"), TimeProvider.System));
        }));
}
