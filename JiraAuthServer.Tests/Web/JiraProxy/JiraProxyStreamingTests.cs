using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using JiraAuthServer.Tests.Fakes;

namespace JiraAuthServer.Tests.Web.JiraProxy;

/// <summary>Attachments pass through as streams, each way, without the server holding a whole body.</summary>
public sealed class JiraProxyStreamingTests : JiraProxyTestBase
{
    private const long Size = 20 * 1024 * 1024;

    [Test]
    public async Task A_20_MB_upload_reaches_Jira_byte_for_byte()
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var body = new GeneratedStream(Size);
        var content = new StreamContent(body, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = Size;
        using var request = new HttpRequestMessage(HttpMethod.Post, Jira("rest/api/3/issue/X-1/attachments")) { Content = content };
        request.Headers.Add("X-Atlassian-Token", "no-check");

        var response = await Context.Bot.SendAsync(request);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var received = Context.Atlassian.JiraRequests.Single();
        Assert.That(received.BodyBytes, Is.EqualTo(Size));
        Assert.That(received.BodySha256, Is.EqualTo(GeneratedStream.Sha256(Size)));

        // The bot, the server and the fake Jira share this process: together they allocated less than the body once.
        Assert.That(allocated, Is.LessThan(Size / 2), "no side held the whole body");
    }

    [Test]
    public async Task A_20_MB_download_comes_back_byte_for_byte()
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await Context.Bot.GetAsync(Jira($"{FakeJiraRest.AttachmentContentPath}{Size}"), HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(Size));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/octet-stream"));
        Assert.That(total, Is.EqualTo(Size));
        Assert.That(Convert.ToHexStringLower(hash.GetHashAndReset()), Is.EqualTo(GeneratedStream.Sha256(Size)));
        Assert.That(allocated, Is.LessThan(Size / 2), "no side held the whole body");
    }

    /// <summary>The bytes of <see cref="FakeJiraRest.ContentByte"/>, made as they are read.</summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public static string Sha256(long length)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var stream = new GeneratedStream(length);
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = FakeJiraRest.ContentByte(position + i);
            }

            position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
