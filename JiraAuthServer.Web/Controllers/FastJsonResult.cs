using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using JiraAuthServer.Web.Models;
using Microsoft.AspNetCore.Mvc;

namespace JiraAuthServer.Web.Controllers;

/// <summary>
/// The two answers the bot asks for on every Jira call (a token, a status), written straight to the response as UTF-8
/// JSON: the same fields, order and nulls as the Newtonsoft formatter produces from the models' attributes, without
/// its content negotiation, per-call serializer set-up and buffering copy.
/// </summary>
public sealed class FastJsonResult : IActionResult
{
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly Action<Utf8JsonWriter> write;

    private FastJsonResult(Action<Utf8JsonWriter> write) => this.write = write;

    public static FastJsonResult Of(TokenResponse token) => new(writer => Write(writer, token));

    public static FastJsonResult Of(StatusResponse status) => new(writer => Write(writer, status));

    public Task ExecuteResultAsync(ActionContext context)
    {
        // Written to this thread's buffer first so the answer carries a Content-Length and goes out in one write, not
        // chunked; the copy into the response happens before the thread can take another request, so one buffer and
        // one writer per thread serve every answer without allocating either again.
        var buffer = ThreadBuffer.Take();
        write(buffer.Writer);
        buffer.Writer.Flush();

        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = buffer.Body.WrittenCount;
        response.BodyWriter.Write(buffer.Body.WrittenSpan);
        return response.BodyWriter.FlushAsync(context.HttpContext.RequestAborted).AsTask();
    }

    internal static void Write(Utf8JsonWriter writer, TokenResponse token)
    {
        writer.WriteStartObject();
        writer.WriteString("access_token"u8, token.AccessToken);
        WriteStringOrNull(writer, "jira_account_id"u8, token.JiraAccountId);
        WriteStringOrNull(writer, "jira_email"u8, token.JiraEmail);
        WriteStringOrNull(writer, "jira_cloud_id"u8, token.JiraCloudId);
        writer.WriteString("expires_at"u8, token.ExpiresAt);
        WriteStringOrNull(writer, "jira_site_url"u8, token.JiraSiteUrl);
        WriteStringOrNull(writer, "jira_site_name"u8, token.JiraSiteName);
        WriteStringOrNull(writer, "reauthorization_due_at"u8, token.ReauthorizationDueAt);
        writer.WriteEndObject();
    }

    internal static void Write(Utf8JsonWriter writer, StatusResponse status)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("authenticated"u8, status.Authenticated);
        WriteStringIfSet(writer, "expires_at"u8, status.ExpiresAt);
        WriteStringIfSet(writer, "scope"u8, status.Scope);
        WriteStringIfSet(writer, "message"u8, status.Message);
        if (status.ReauthorizationRequired is { } reauthorizationRequired)
        {
            writer.WriteBoolean("reauthorization_required"u8, reauthorizationRequired);
        }

        WriteStringIfSet(writer, "reauthorization_due_at"u8, status.ReauthorizationDueAt);

        writer.WriteEndObject();
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteStringIfSet(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private sealed class ThreadBuffer
    {
        [ThreadStatic]
        private static ThreadBuffer? current;

        private ThreadBuffer()
        {
            Writer = new Utf8JsonWriter(Body, WriterOptions);
        }

        /// <summary>Large enough that the writer never grows it for a token answer (it asks for three bytes a character).</summary>
        public ArrayBufferWriter<byte> Body { get; } = new(16 * 1024);

        public Utf8JsonWriter Writer { get; }

        public static ThreadBuffer Take()
        {
            var buffer = current ??= new ThreadBuffer();
            buffer.Body.ResetWrittenCount();
            buffer.Writer.Reset();
            return buffer;
        }
    }
}
