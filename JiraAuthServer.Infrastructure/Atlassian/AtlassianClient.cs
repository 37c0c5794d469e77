using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using JiraAuthServer.Core.Atlassian;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Core.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Infrastructure.Atlassian;

/// <summary>
/// Atlassian's token, accessible-resources and Jira myself endpoints over a typed <see cref="HttpClient"/>. Every call
/// has its own timeout and a cap on the answer's size; failures are classified, and no token, code or secret is ever
/// put into a message or a log line.
/// </summary>
public sealed partial class AtlassianClient : IAtlassianClient
{
    internal const int MaxResponseBytes = 1024 * 1024;

    private const string CodeExchange = "token endpoint (authorization_code)";
    private const string Refresh = "token endpoint (refresh_token)";
    private const string AccessibleResources = "accessible-resources";
    private const string Myself = "myself";

    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    private readonly HttpClient http;
    private readonly AtlassianOptions options;
    private readonly ILogger<AtlassianClient> logger;
    private readonly TimeProvider time;
    private readonly Uri tokenUri;
    private readonly Uri accessibleResourcesUri;
    private readonly string apiBaseUrl;

    public AtlassianClient(HttpClient http, IOptions<AtlassianOptions> options, ILogger<AtlassianClient> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.http = http;
        this.options = options.Value;
        this.logger = logger;
        this.time = time;
        tokenUri = new Uri($"{this.options.AuthBaseUrl.TrimEnd('/')}/oauth/token", UriKind.Absolute);
        apiBaseUrl = this.options.ApiBaseUrl.TrimEnd('/');
        accessibleResourcesUri = new Uri($"{apiBaseUrl}/oauth/token/accessible-resources", UriKind.Absolute);
    }

    public Task<AtlassianTokenResponse> ExchangeCodeAsync(string code, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        return RequestTokensAsync(CodeExchange, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = options.ClientId,
            ["client_secret"] = options.ClientSecret,
            ["code"] = code,
            ["redirect_uri"] = options.RedirectUri,
        }, cancellationToken);
    }

    public Task<AtlassianTokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        return RequestTokensAsync(Refresh, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = options.ClientId,
            ["client_secret"] = options.ClientSecret,
            ["refresh_token"] = refreshToken,
        }, cancellationToken);
    }

    public Task<IReadOnlyList<JiraSite>> GetAccessibleResourcesAsync(string accessToken, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        return SendAsync(AccessibleResources, () => BearerGet(accessibleResourcesUri, accessToken), AtlassianResponseReader.ReadSites, cancellationToken);
    }

    public Task<JiraIdentity> GetMyselfAsync(string accessToken, string cloudId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentException.ThrowIfNullOrEmpty(cloudId);
        var uri = new Uri($"{apiBaseUrl}/ex/jira/{Uri.EscapeDataString(cloudId)}/rest/api/3/myself", UriKind.Absolute);
        return SendAsync(Myself, () => BearerGet(uri, accessToken), AtlassianResponseReader.ReadIdentity, cancellationToken);
    }

    private Task<AtlassianTokenResponse> RequestTokensAsync(string endpoint, Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        return SendAsync(endpoint, CreateRequest, AtlassianResponseReader.ReadTokens, cancellationToken);

        HttpRequestMessage CreateRequest() => new(HttpMethod.Post, tokenUri)
        {
            Content = new StringContent(JsonConvert.SerializeObject(fields), Encoding.UTF8, "application/json"),
        };
    }

    private static HttpRequestMessage BearerGet(Uri uri, string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return request;
    }

    private async Task<T> SendAsync<T>(string endpoint, Func<HttpRequestMessage> createRequest, Func<JToken, string, int, T> read, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var (status, json) = await SendWithinLimitsAsync(endpoint, createRequest, cancellationToken);
            var result = read(json, endpoint, status);
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogSucceeded(endpoint, status, elapsedMs);
            return result;
        }
        catch (AtlassianException exception)
        {
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogFailed(endpoint, exception.Kind, exception.StatusCode, exception.ErrorCode, elapsedMs);
            throw;
        }
    }

    private async Task<(int Status, JToken Json)> SendWithinLimitsAsync(string endpoint, Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
    {
        // Linked rather than shared, so the caller's own cancellation stays distinguishable from the timeout.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var request = createRequest();
            request.Headers.Accept.Add(Json);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var body = await BoundedContent.ReadAsync(response.Content, MaxResponseBytes, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw AtlassianFailures.FromStatus(endpoint, response.StatusCode, response.Headers, body, time.GetUtcNow());
            }

            if (body is null)
            {
                throw new AtlassianException(AtlassianFailureKind.Transient, $"Atlassian {endpoint} answered {status} with more than {MaxResponseBytes} bytes", status);
            }

            var json = AtlassianJson.TryParse(body)
                ?? throw new AtlassianException(AtlassianFailureKind.Transient, $"Atlassian {endpoint} answered {status} with a body that is not JSON", status);
            return (status, json);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AtlassianException(AtlassianFailureKind.Transient, $"Atlassian {endpoint} did not answer within {options.RequestTimeout.TotalSeconds:0.###} s", innerException: exception);
        }
        catch (HttpRequestException exception)
        {
            throw new AtlassianException(AtlassianFailureKind.Transient, $"Atlassian {endpoint} could not be reached", exception.StatusCode is { } code ? (int)code : null, innerException: exception);
        }
        catch (IOException exception)
        {
            throw new AtlassianException(AtlassianFailureKind.Transient, $"Atlassian {endpoint}'s answer broke off", innerException: exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Atlassian {Endpoint} answered {StatusCode} in {ElapsedMs:0} ms")]
    private partial void LogSucceeded(string endpoint, int statusCode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Atlassian {Endpoint} failed: {Kind} (status {StatusCode}, error {ErrorCode}) after {ElapsedMs:0} ms")]
    private partial void LogFailed(string endpoint, AtlassianFailureKind kind, int? statusCode, string? errorCode, double elapsedMs);
}
