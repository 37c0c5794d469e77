using System.Globalization;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Tests.Core;

/// <summary><see cref="IsoTime.Format"/> writes by hand exactly what its custom format string gives.</summary>
public sealed class IsoTimeTests
{
    [TestCase("0001-01-01T00:00:00.0000000+00:00")]
    [TestCase("9999-12-31T23:59:59.9999999+00:00")]
    [TestCase("2026-12-02T06:33:09.8965220+00:00")]
    [TestCase("2026-12-02T06:33:09.0000001+00:00", TestName = "below a microsecond: no fraction")]
    [TestCase("2026-12-02T06:33:09.1000000+00:00", TestName = "one digit")]
    [TestCase("2026-12-02T06:33:09.0000010+00:00", TestName = "leading zeros kept")]
    [TestCase("2026-12-02T08:33:09.123456+02:00", TestName = "another offset becomes UTC")]
    [TestCase("2024-02-29T23:59:59.999999-05:00", TestName = "across midnight and a leap day")]
    public void Matches_the_format_string(string text)
    {
        var time = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
        Assert.That(IsoTime.Format(time), Is.EqualTo(ByFormatString(time)));
    }

    [Test]
    public void Matches_the_format_string_for_random_times()
    {
        var random = new Random(20261202);
        for (var i = 0; i < 100_000; i++)
        {
            var ticks = random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay);
            if (i % 3 == 0)
            {
                ticks -= ticks % (i % 2 == 0 ? TimeSpan.TicksPerSecond : TimeSpan.TicksPerMillisecond);
            }

            var time = new DateTimeOffset(ticks, TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60)));
            Assert.That(IsoTime.Format(time), Is.EqualTo(ByFormatString(time)), $"ticks {ticks}, offset {time.Offset}");
        }
    }

    private static string ByFormatString(DateTimeOffset time) =>
        time.ToUniversalTime().ToString(IsoTime.Pattern, CultureInfo.InvariantCulture);
}
