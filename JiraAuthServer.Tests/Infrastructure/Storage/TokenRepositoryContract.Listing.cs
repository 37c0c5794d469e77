using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Storage;
using JiraAuthServer.Core.Users;
using JiraAuthServer.Tests.Support;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>
/// The operators' listing (<see cref="ITokenRepository.ListPageAsync"/> through <see cref="ConnectedUsers"/>): in
/// Telegram id order, numerically, page by page with a cursor that survives changes between pages.
/// </summary>
public abstract partial class TokenRepositoryContract
{
    [Test]
    public async Task Paging_through_every_user_goes_in_numeric_order_and_lists_each_once()
    {
        var repository = await OpenAsync();
        long[] ids = [1_000_000_000_000, 5, 42, 9, 10, 100, 7_000_000_000, 1];
        foreach (var id in ids)
        {
            await repository.SaveAsync(id, Listed(dead: id is 9 or 100), None);
        }

        var reopened = await ReopenAsync(repository);
        var pages = await AllPagesAsync(reopened, limit: 3, status: null);

        Assert.That(pages.SelectMany(page => page.Users.Select(user => user.Key)), Is.EqualTo(ids.Order()));
        Assert.That(pages.Select(page => page.Users.Count), Is.EqualTo(new[] { 3, 3, 2 }));
        Assert.That(pages[^1].Next, Is.Null);
        Assert.That(pages.SkipLast(1).Select(page => page.Next), Is.All.Not.Null);
        var (_, grant) = pages[0].Users[0];
        Assert.That(grant.JiraEmail, Is.EqualTo("ann@example.com"), "the grant comes whole");
    }

    [Test]
    public async Task The_status_filter_lists_only_users_of_that_status()
    {
        var repository = await OpenAsync();
        for (long id = 1; id <= 7; id++)
        {
            await repository.SaveAsync(id, Listed(dead: id % 3 == 0), None);
        }

        var connected = await AllPagesAsync(repository, limit: 2, GrantStatus.Connected);
        var dead = await AllPagesAsync(repository, limit: 1, GrantStatus.ReauthorizationRequired);

        Assert.That(connected.SelectMany(page => page.Users.Select(user => user.Key)), Is.EqualTo(new long[] { 1, 2, 4, 5, 7 }));
        Assert.That(dead.SelectMany(page => page.Users.Select(user => user.Key)), Is.EqualTo(new long[] { 3, 6 }));
        Assert.That(dead.SelectMany(page => page.Users).Select(user => user.Value.Status), Is.All.EqualTo(GrantStatus.ReauthorizationRequired));
    }

    [Test]
    public async Task A_cursor_still_works_after_its_user_was_deleted()
    {
        var repository = await OpenAsync();
        for (long id = 1; id <= 4; id++)
        {
            await repository.SaveAsync(id, Listed(), None);
        }

        var users = new ConnectedUsers(repository);
        var first = await users.ListAsync(new UserListQuery(2, 0, null), None);
        await repository.DeleteAsync(2, None);
        var second = await users.ListAsync(Next(first, 2), None);

        Assert.That(first.Users.Select(user => user.Key), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(second.Users.Select(user => user.Key), Is.EqualTo(new long[] { 3, 4 }));
        Assert.That(second.Next, Is.Null, "exactly a full last page has no next");
    }

    [Test]
    public async Task Users_added_or_changed_between_pages_move_no_one_else()
    {
        var repository = await OpenAsync();
        foreach (var id in new long[] { 10, 20, 30, 40, 50 })
        {
            await repository.SaveAsync(id, Listed(), None);
        }

        var users = new ConnectedUsers(repository);
        var first = await users.ListAsync(new UserListQuery(2, 0, GrantStatus.Connected), None);
        await repository.SaveAsync(15, Listed(), None);
        await repository.SaveAsync(35, Listed(), None);
        var thirty = (await repository.GetAsync(30, None))!;
        await repository.ReplaceAsync(30, thirty, thirty with { ReauthorizationRequiredAt = thirty.ExpiresAt }, None);
        var second = await users.ListAsync(Next(first, 2, GrantStatus.Connected), None);
        var third = await users.ListAsync(Next(second, 2, GrantStatus.Connected), None);
        var dead = await users.ListAsync(new UserListQuery(10, 0, GrantStatus.ReauthorizationRequired), None);

        Assert.That(first.Users.Select(user => user.Key), Is.EqualTo(new long[] { 10, 20 }));
        Assert.That(second.Users.Select(user => user.Key), Is.EqualTo(new long[] { 35, 40 }), "15 is behind the cursor; 30 now needs re-authorization");
        Assert.That(third.Users.Select(user => user.Key), Is.EqualTo(new long[] { 50 }));
        Assert.That(third.Next, Is.Null);
        Assert.That(dead.Users.Select(user => user.Key), Is.EqualTo(new long[] { 30 }));
    }

    private static UserListQuery Next(UserListPage page, int limit, GrantStatus? status = null)
    {
        Assert.That(page.Next, Is.Not.Null);
        Assert.That(UserListCursor.TryDecode(page.Next!, out var after), Is.True);
        return new UserListQuery(limit, after, status);
    }

    private static async Task<List<UserListPage>> AllPagesAsync(ITokenRepository repository, int limit, GrantStatus? status)
    {
        var users = new ConnectedUsers(repository);
        var pages = new List<UserListPage> { await users.ListAsync(new UserListQuery(limit, 0, status), None) };
        while (pages[^1].Next is not null && pages.Count < 100)
        {
            pages.Add(await users.ListAsync(Next(pages[^1], limit, status), None));
        }

        return pages;
    }

    private StoredGrant Listed(bool dead = false)
    {
        var grant = new GrantBuilder(Cipher).Build();
        return dead ? grant with { ReauthorizationRequiredAt = grant.ExpiresAt } : grant;
    }
}
