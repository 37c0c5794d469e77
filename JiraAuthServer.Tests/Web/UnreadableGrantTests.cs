using System.Net;
using JiraAuthServer.Core.Crypto;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Crypto;
using JiraAuthServer.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json;

namespace JiraAuthServer.Tests.Web;

/// <summary>
/// A grant this instance's keys cannot open, as on an instance not yet given the new key during a roll-out: only
/// Atlassian declares a grant dead, so the record is left alone and the answer names the key problem.
/// </summary>
public sealed class UnreadableGrantTests : WebTestBase
{
    private const long UserId = 31;
    private FakeTimeProvider clock = null!;
    private KeyLosingCipher cipher = null!;

    protected override Task<WebTestContext> StartContextAsync()
    {
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        cipher = new KeyLosingCipher(FernetTokenCipher.FromEncryptionKey(AuthServerFactory.EncryptionKey));
        return WebTestContext.StartAsync(clock: clock, testServices: services => services.AddSingleton<ITokenCipher>(cipher));
    }

    [TestCase(false, TestName = "A valid token this server cannot decrypt")]
    [TestCase(true, TestName = "An expired token whose refresh token this server cannot decrypt")]
    public async Task The_answer_is_a_503_naming_the_key_and_the_grant_is_left_for_instances_that_can_read_it(bool expired)
    {
        using var log = new NLogCapture();
        Assert.That((await Context.AuthorizeAsync(UserId)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        clock.Advance(expired ? TimeSpan.FromHours(2) : TimeSpan.FromMinutes(10));
        var before = Context.StoredRecord(UserId)!.ToString(Formatting.None);
        cipher.KeyLost = true;

        var token = await Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        var status = await Context.Browser.GetAsync(new Uri($"/auth/status/{UserId}", UriKind.Relative));

        foreach (var response in new[] { token, status })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), response.RequestMessage!.RequestUri!.AbsolutePath);
            Assert.That((await WebTestContext.JsonOf(response)).ToString(Formatting.None), Is.EqualTo("""{"error":"This server cannot decrypt the stored grant: check ENCRYPTION_KEY"}"""));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        }

        Assert.That(Context.StoredRecord(UserId)!.ToString(Formatting.None), Is.EqualTo(before), "not marked, not written");
        Assert.That(Context.RefreshTokensSent(), Is.Empty, "nothing to send");
        Assert.That(log.Lines, Has.Some.StartsWith($"ERROR JiraAuthServer.Core.Tokens.GrantRefresher: Grant of user {UserId}").And.Contains("ENCRYPTION_KEY"));

        // The key is back (the instance got the new key ring): the same grant is served, nothing was lost.
        cipher.KeyLost = false;
        var served = await Context.Bot.GetAsync(new Uri($"/auth/token/{UserId}", UriKind.Relative));
        Assert.That(served.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>The server's cipher, which can be made to open nothing, as a key ring without the key in use would.</summary>
    private sealed class KeyLosingCipher(ITokenCipher inner) : ITokenCipher
    {
        public bool KeyLost { get; set; }

        public string Encrypt(string plaintext) => inner.Encrypt(plaintext);

        public string Decrypt(string token) => KeyLost ? throw new TokenDecryptionException() : inner.Decrypt(token);

        public string Decrypt(SealedText token) => KeyLost ? throw new TokenDecryptionException() : inner.Decrypt(token);

        public bool CanDecrypt(SealedText token) => !KeyLost && inner.CanDecrypt(token);
    }
}
