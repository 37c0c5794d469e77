using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Tests.Core;

/// <summary>
/// The id is digits only: what .NET's own number parser lets through besides (trailing NULs, leading zeros beyond
/// 19 characters) is refused too, since an accepted id is echoed into the log line and the answers.
/// </summary>
public sealed class TelegramUserIdTests
{
    [TestCase("1", 1L)]
    [TestCase("123456789", 123456789L)]
    [TestCase("9223372036854775807", long.MaxValue)]
    public void Positive_whole_numbers_are_accepted(string text, long expected)
    {
        Assert.That(TelegramUserId.TryParse(text, out var id), Is.True);
        Assert.That(id, Is.EqualTo(expected));
    }

    [TestCase("1\0", TestName = "trailing NUL, which long.TryParse accepts")]
    [TestCase("1\0\0\0", TestName = "several trailing NULs")]
    [TestCase("00000000000000000001", TestName = "twenty characters of leading zeros")]
    [TestCase("0")]
    [TestCase("9223372036854775808", TestName = "one above long.MaxValue")]
    [TestCase("١", TestName = "an Arabic-Indic digit")]
    [TestCase(" 1")]
    [TestCase("")]
    [TestCase(null)]
    public void Anything_else_is_refused(string? text)
    {
        Assert.That(TelegramUserId.TryParse(text, out _), Is.False);
    }

    [Test]
    public void The_trailing_NUL_case_is_one_the_framework_parser_alone_would_let_through()
    {
        Assert.That(long.TryParse("1\0", System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _), Is.True);
    }
}
