using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Users;

namespace JiraAuthServer.Tests.Core;

/// <summary>The query of <c>/auth/users</c>: defaults, bounds, the cursor and the status names.</summary>
public sealed class UserListQueryTests
{
    [Test]
    public void Nothing_given_is_the_first_page_of_100_of_every_status()
    {
        Assert.That(UserListQuery.Parse(null, null, null, out var error), Is.EqualTo(new UserListQuery(100, 0, null)));
        Assert.That(error, Is.Null);
    }

    [TestCase("1", 1)]
    [TestCase("1000", 1000)]
    [TestCase("0250", 250)]
    public void A_limit_from_1_to_1000_is_taken(string limit, int expected) =>
        Assert.That(UserListQuery.Parse(limit, null, null, out _)!.Limit, Is.EqualTo(expected));

    [TestCase("0")]
    [TestCase("1001")]
    [TestCase("-5")]
    [TestCase("ten")]
    [TestCase("")]
    [TestCase(" 10")]
    [TestCase("99999999999")]
    public void Any_other_limit_is_refused(string limit)
    {
        Assert.That(UserListQuery.Parse(limit, null, null, out var error), Is.Null);
        Assert.That(error, Is.EqualTo("limit must be a whole number from 1 to 1000"));
    }

    [TestCase(1L)]
    [TestCase(123456789L)]
    [TestCase(long.MaxValue)]
    public void A_cursor_gives_back_the_user_it_was_made_from(long userId)
    {
        var cursor = UserListCursor.Encode(userId);

        Assert.That(cursor, Does.Match("^[A-Za-z0-9_-]+$"), "URL-safe as it is");
        Assert.That(UserListQuery.Parse(null, cursor, null, out _)!.AfterUserId, Is.EqualTo(userId));
    }

    [TestCase("")]
    [TestCase("not a cursor!")]
    [TestCase("MTIz=")]
    [TestCase("YWJj")]
    [TestCase("MA")]
    [TestCase("LTE")]
    [TestCase("OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk")]
    public void A_malformed_cursor_is_refused(string after)
    {
        // "MTIz=" is 123 padded, "YWJj" is "abc", "MA" is "0", "LTE" is "-1", the last is 22 nines.
        Assert.That(UserListQuery.Parse(null, after, null, out var error), Is.Null);
        Assert.That(error, Is.EqualTo("after must be the 'next' cursor of a previous page"));
    }

    [TestCase("connected", GrantStatus.Connected)]
    [TestCase("reauthorization_required", GrantStatus.ReauthorizationRequired)]
    public void A_known_status_filters(string status, GrantStatus expected) =>
        Assert.That(UserListQuery.Parse(null, null, status, out _)!.Status, Is.EqualTo(expected));

    [TestCase("Connected")]
    [TestCase("dead")]
    [TestCase("")]
    public void An_unknown_status_is_refused(string status)
    {
        Assert.That(UserListQuery.Parse(null, null, status, out var error), Is.Null);
        Assert.That(error, Is.EqualTo("status must be connected or reauthorization_required"));
    }
}
