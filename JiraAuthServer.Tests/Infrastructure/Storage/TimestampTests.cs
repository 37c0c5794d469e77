using System.Globalization;
using System.Text;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Storage;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

/// <summary>The loader's and writer's own timestamp code says exactly what <see cref="IsoTime"/> says.</summary>
public sealed class TimestampTests
{
    [TestCase("2025-03-01T10:20:30.123456")]
    [TestCase("2025-03-01T10:20:30.123456+00:00")]
    [TestCase("2025-03-01T10:20:30+00:00")]
    [TestCase("2025-03-01T10:20:30")]
    [TestCase("2025-03-01T10:20:30.1")]
    [TestCase("2025-03-01T10:20:30.1234567")]
    [TestCase("2024-02-29T23:59:59.000001+00:00")]
    [TestCase("0001-01-01T00:00:00")]
    [TestCase("9999-12-31T23:59:59.9999999")]
    public void Reads_the_usual_spellings_as_IsoTime_does(string text)
    {
        Assert.That(IsoTime.TryParse(text, out var expected), Is.True);
        Assert.That(IsoTimeUtf8.TryParse(Encoding.UTF8.GetBytes(text), out var actual), Is.True);
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(actual.Offset, Is.EqualTo(expected.Offset));
    }

    [TestCase("2025-03-01T10:20:30.123456+02:00", TestName = "another offset")]
    [TestCase("2025-03-01T10:20:30Z", TestName = "Z")]
    [TestCase("2025-03-01 10:20:30", TestName = "space")]
    [TestCase("2025-02-30T10:20:30", TestName = "no such day")]
    [TestCase("2025-03-01T24:00:00", TestName = "hour 24")]
    [TestCase("2025-03-01T10:20:30.", TestName = "empty fraction")]
    [TestCase("2025-03-01T10:20:30.12345678", TestName = "eight digits")]
    [TestCase("yesterday", TestName = "words")]
    public void Leaves_every_other_spelling_to_IsoTime(string text)
    {
        Assert.That(IsoTimeUtf8.TryParse(Encoding.UTF8.GetBytes(text), out _), Is.False);
    }

    [TestCase("2025-03-01T10:20:30.1234567+00:00")]
    [TestCase("2025-03-01T10:20:30.1000000+00:00")]
    [TestCase("2025-03-01T10:20:30.0000001+00:00")]
    [TestCase("2025-03-01T10:20:30.0000010+00:00")]
    [TestCase("2025-03-01T10:20:30+00:00")]
    [TestCase("2025-03-01T12:20:30.5+02:00")]
    [TestCase("0001-01-01T00:00:00+00:00")]
    public void Writes_as_IsoTime_formats(string text)
    {
        var time = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
        var buffer = new EntryBuffer();

        buffer.Time(time);

        Assert.That(Encoding.UTF8.GetString(buffer.Written), Is.EqualTo("\"" + IsoTime.Format(time) + "\""));
    }
}
