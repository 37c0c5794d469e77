using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace JiraAuthServer.Tests.Fakes;

/// <summary><c>POST /oauth/token</c>: JSON or form bodies, client credentials, code and refresh grants.</summary>
internal static class FakeTokenEndpoint
{
    public static async Task HandleAsync(HttpContext context, FakeAtlassianServer server, FakeTokenStore store)
    {
        var fields = await ReadFieldsAsync(context.Request);
        server.RecordTokenRequest(new FakeTokenRequest(context.Request.ContentType, context.Request.Headers.Accept.ToString(), fields ?? new Dictionary<string, string>()));
        var failure = server.TakeTokenFailure();
        var outcome = failure is null ? Decide(server, store, fields) : null;

        // The request is processed first and the answer held back after, as when Atlassian is slow to reply:
        // a client that times out may have rotated its refresh token without knowing.
        if (!await FakeHttp.DelayAsync(context, server.TokenResponseDelay))
        {
            return;
        }

        if (failure is not null)
        {
            await FakeHttp.WriteFailureAsync(context, failure);
        }
        else if (outcome!.Tokens is { } tokens)
        {
            await WriteTokensAsync(context, tokens, server.TokenResponsePaddingBytes);
        }
        else
        {
            await FakeHttp.WriteErrorAsync(context, outcome.Status, outcome.Error!, outcome.Description!);
        }
    }

    private static FakeTokenOutcome Decide(FakeAtlassianServer server, FakeTokenStore store, IReadOnlyDictionary<string, string>? fields)
    {
        if (fields is null)
        {
            return FakeTokenOutcome.Refused(400, "invalid_request", "The request body is neither JSON nor a form");
        }

        if (fields.GetValueOrDefault("client_id") != server.ClientId || fields.GetValueOrDefault("client_secret") != server.ClientSecret)
        {
            return FakeTokenOutcome.Refused(401, "access_denied", "Unauthorized");
        }

        return fields.GetValueOrDefault("grant_type") switch
        {
            "authorization_code" => store.Exchange(fields.GetValueOrDefault("code"), fields.GetValueOrDefault("redirect_uri")),
            "refresh_token" => store.Refresh(fields.GetValueOrDefault("refresh_token")),
            _ => FakeTokenOutcome.Refused(400, "unsupported_grant_type", "Unsupported grant type"),
        };
    }

    private static async Task<IReadOnlyDictionary<string, string>?> ReadFieldsAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            return form.ToDictionary(field => field.Key, field => field.Value.ToString(), StringComparer.Ordinal);
        }

        if (!request.HasJsonContentType())
        {
            return null;
        }

        try
        {
            var json = await JsonNode.ParseAsync(request.Body);
            return json is JsonObject fields
                ? fields.Where(field => field.Value?.GetValueKind() == JsonValueKind.String).ToDictionary(field => field.Key, field => field.Value!.GetValue<string>(), StringComparer.Ordinal)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task WriteTokensAsync(HttpContext context, FakeIssuedTokens tokens, int paddingBytes)
    {
        var body = new JsonObject
        {
            ["access_token"] = tokens.AccessToken,
            ["expires_in"] = (long)Math.Ceiling(tokens.ExpiresIn.TotalSeconds),
            ["scope"] = tokens.Scope,
            ["token_type"] = "Bearer",
        };
        if (tokens.RefreshToken is not null)
        {
            body["refresh_token"] = tokens.RefreshToken;
        }

        if (paddingBytes <= 0)
        {
            await FakeHttp.WriteJsonAsync(context, 200, body);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await WritePaddedAsync(context, body, paddingBytes);
    }

    // Streamed without a Content-Length, so only a client that caps what it reads is protected.
    private static async Task WritePaddedAsync(HttpContext context, JsonObject body, int paddingBytes)
    {
        var json = body.ToJsonString();
        var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
        try
        {
            await context.Response.WriteAsync(json[..^1] + ",\"padding\":\"", context.RequestAborted);
            for (var left = paddingBytes; left > 0; left -= chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, Math.Min(left, chunk.Length)), context.RequestAborted);
            }

            await context.Response.WriteAsync("\"}", context.RequestAborted);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            // The client stopped reading: that is what the padding is for.
        }
    }
}
