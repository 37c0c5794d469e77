using JiraAuthServer.Core.Tokens;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Core;

/// <summary>A status answer does not carry the token: a stored token this process has opened is not decrypted again.</summary>
public sealed class StatusLookupTests : RefreshTestFixture
{
    [Test]
    public async Task A_token_opened_once_is_not_decrypted_again_for_the_status()
    {
        await Store(new GrantBuilder(Context.Cipher).WithAccessToken("access-a"));

        var first = await Status();
        var second = await Status();

        Assert.That(first.Status, Is.EqualTo(TokenLookupStatus.Served));
        Assert.That(second.Status, Is.EqualTo(TokenLookupStatus.Served));
        Assert.That(second.Grant!.JiraAccountId, Is.EqualTo(first.Grant!.JiraAccountId));
        Assert.That(Context.Cipher.Decryptions, Is.EqualTo(1));
    }

    [Test]
    public async Task The_token_endpoint_decrypts_every_time_and_its_opening_counts_for_the_status()
    {
        await Store(new GrantBuilder(Context.Cipher).WithAccessToken("access-a"));

        var token = await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);
        var again = await Context.Service.GetTokenAsync(RefreshTestContext.UserId, CancellationToken.None);
        await Status();

        Assert.That(token.AccessToken, Is.EqualTo("access-a"));
        Assert.That(again.AccessToken, Is.EqualTo("access-a"));
        Assert.That(Context.Cipher.Decryptions, Is.EqualTo(2));
    }

    [Test]
    public async Task A_new_stored_token_is_opened_again()
    {
        await Store(new GrantBuilder(Context.Cipher).WithAccessToken("access-a"));
        await Status();

        await Store(new GrantBuilder(Context.Cipher).WithAccessToken("access-b"));
        var lookup = await Status();

        Assert.That(lookup.Status, Is.EqualTo(TokenLookupStatus.Served));
        Assert.That(Context.Cipher.Decryptions, Is.EqualTo(2));
    }

    [Test]
    public async Task A_token_that_does_not_open_stays_unreadable_on_every_call()
    {
        await Store(new GrantBuilder(new PrefixTestCipher("other-key")).WithAccessToken("access-a"));

        var first = await Status();
        var second = await Status();

        Assert.That(first.Status, Is.EqualTo(TokenLookupStatus.Unreadable));
        Assert.That(second.Status, Is.EqualTo(TokenLookupStatus.Unreadable));
        Assert.That(Context.Cipher.Decryptions, Is.EqualTo(2));
    }

    [Test]
    public async Task A_revoked_user_is_forgotten()
    {
        var grant = new GrantBuilder(Context.Cipher).WithAccessToken("access-a").Build();
        await Context.Repository.SaveAsync(RefreshTestContext.UserId, grant, CancellationToken.None);
        await Status();

        Assert.That(await Context.Service.RevokeAsync(RefreshTestContext.UserId, CancellationToken.None), Is.True);
        Assert.That((await Status()).Status, Is.EqualTo(TokenLookupStatus.NotFound));
        await Context.Repository.SaveAsync(RefreshTestContext.UserId, grant, CancellationToken.None);
        await Status();

        Assert.That(Context.Cipher.Decryptions, Is.EqualTo(2));
    }

    private Task<TokenLookup> Status() => Context.Service.GetStatusAsync(RefreshTestContext.UserId, CancellationToken.None);

    private Task Store(GrantBuilder builder) => Context.Repository.SaveAsync(RefreshTestContext.UserId, builder.Build(), CancellationToken.None);
}
