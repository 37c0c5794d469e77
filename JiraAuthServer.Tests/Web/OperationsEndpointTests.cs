using System.Net;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Web;

public sealed class OperationsEndpointTests : WebTestBase
{

    [Test]
    public async Task Health_is_200_while_the_store_works()
    {
        var response = await Context.Browser.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await WebTestContext.JsonOf(response)).Value<string>("status"), Is.EqualTo("healthy"));
    }

    [Test]
    public async Task Metrics_with_the_key_count_requests_authorizations_refreshes_and_grants()
    {
        Context.Atlassian.AccessTokenLifetime = TimeSpan.FromMinutes(1);
        await Context.AuthorizeAsync(1);
        await Context.AuthorizeAsync(2);
        await Context.Browser.GetAsync(new Uri("/auth/callback?state=forged&code=x", UriKind.Relative));
        await Context.Bot.GetAsync(new Uri("/auth/token/1", UriKind.Relative));

        var response = await Context.Bot.GetAsync(new Uri("/metrics", UriKind.Relative));

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        Assert.That(text, Does.Contain("jira_auth_grants_stored 2"));
        Assert.That(text, Does.Match(@"http_requests_received_total\{[^}]*code=""2xx""[^}]*\} \d"));
        Assert.That(text, Does.Match(@"jira_auth_authorizations_completed_total(\{[^}]*\})? ([2-9]|[1-9]\d+)\b"), "counters are process-wide: other tests add to them");
        Assert.That(text, Does.Match(@"jira_auth_authorizations_failed_total\{[^}]*reason=""InvalidState""[^}]*\} [1-9]"));
        Assert.That(text, Does.Match(@"jira_auth_refreshes_total\{[^}]*outcome=""Refreshed""[^}]*\} [1-9]"));
    }

    [Test]
    public async Task Made_up_HTTP_methods_share_one_metrics_label_so_the_series_stay_bounded()
    {
        await SendMadeUpMethodAsync("MADEUP0");
        await ScrapeAsync();
        var before = HttpSeries(await ScrapeAsync());

        for (var method = 1; method <= 200; method++)
        {
            await SendMadeUpMethodAsync($"MADEUP{method}");
        }

        var after = await ScrapeAsync();
        Assert.That(after, Does.Not.Contain("MADEUP"));
        Assert.That(after, Does.Match(@"http_requests_received_total\{[^}]*method=""_OTHER""[^}]*\} ([2-9]\d\d|[1-9]\d{3,})\b"), "still counted, under one label");
        Assert.That(HttpSeries(after), Is.EqualTo(before));
        Assert.That(after, Does.Contain(@"method=""GET"""), "the standard methods keep their names");
    }

    [Test]
    public async Task Swagger_documents_every_endpoint_with_the_bearer_scheme()
    {
        var ui = await Context.Browser.GetAsync(new Uri("/swagger/index.html", UriKind.Relative));
        var json = await Context.Browser.GetAsync(new Uri("/swagger/v1/swagger.json", UriKind.Relative));

        var document = JObject.Parse(await json.Content.ReadAsStringAsync());
        Assert.That(ui.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var paths = ((JObject)document["paths"]!).Properties().Select(p => p.Name).ToList();
        Assert.That(paths, Is.SupersetOf(new[]
        {
            "/auth/start", "/auth/callback", "/auth/status/{telegram_user_id}", "/auth/token/{telegram_user_id}",
            "/auth/revoke/{telegram_user_id}", "/health",
        }));
        Assert.That(document.SelectToken("components.securitySchemes.Bearer.scheme")?.ToString(), Is.EqualTo("bearer"));
        Assert.That(document.SelectToken("paths['/auth/token/{telegram_user_id}'].get.security"), Is.Not.Null);
        Assert.That(document.SelectToken("paths['/auth/status/{telegram_user_id}'].get.security"), Is.Null);
        Assert.That(document.SelectToken("paths['/auth/revoke/{telegram_user_id}'].delete"), Is.Not.Null);
        Assert.That(document.SelectToken("paths['/auth/token/{telegram_user_id}'].get.responses['503']"), Is.Not.Null);
        Assert.That(document.SelectToken("components.schemas.TokenResponse.properties.access_token"), Is.Not.Null, "snake_case names as on the wire");
    }

    [Test]
    public async Task Unknown_paths_and_methods_answer_json_errors()
    {
        var missing = await Context.Browser.GetAsync(new Uri("/nope", UriKind.Relative));
        var wrongMethod = await Context.Bot.PostAsync(new Uri("/auth/token/1", UriKind.Relative), null);

        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await WebTestContext.JsonOf(missing)).Value<string>("error"), Is.Not.Empty);
        Assert.That(wrongMethod.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }

    [Test]
    public async Task Http_metrics_keep_the_series_names_help_labels_and_buckets_of_prometheus_net()
    {
        const string Token = @"code=""2xx"",method=""GET"",controller=""Token"",action=""Token"",endpoint=""auth/token/{telegram_user_id}""";
        const string Unmatched = @"code=""4xx"",method=""GET"",controller="""",action="""",endpoint=""""";
        await Context.AuthorizeAsync(1);
        await Context.Bot.GetAsync(new Uri("/auth/token/1", UriKind.Relative));
        await Context.Browser.GetAsync(new Uri("/no/such/page", UriKind.Relative));
        var before = await ScrapeAsync();

        await Context.Bot.GetAsync(new Uri("/auth/token/1", UriKind.Relative));
        await Context.Browser.GetAsync(new Uri("/no/such/page", UriKind.Relative));
        var after = await ScrapeAsync();

        Assert.That(after, Does.Contain("# HELP http_requests_received_total Provides the count of HTTP requests that have been processed by the ASP.NET Core pipeline.\n# TYPE http_requests_received_total counter\n"));
        Assert.That(after, Does.Contain("# HELP http_request_duration_seconds The duration of HTTP requests processed by an ASP.NET Core application.\n# TYPE http_request_duration_seconds histogram\n"));
        Assert.That(Value(after, "http_requests_received_total{" + Token + "}"), Is.GreaterThanOrEqualTo(Value(before, "http_requests_received_total{" + Token + "}") + 1));
        Assert.That(Value(after, "http_requests_received_total{" + Unmatched + "}"), Is.GreaterThanOrEqualTo(Value(before, "http_requests_received_total{" + Unmatched + "}") + 1));
        Assert.That(Value(after, "http_request_duration_seconds_count{" + Token + "}"), Is.GreaterThanOrEqualTo(2));
        var buckets = after.Split('\n').Where(line => line.StartsWith("http_request_duration_seconds_bucket{" + Token + ",le=", StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf("le=\"", StringComparison.Ordinal) + 4)..line.IndexOf("\"}", StringComparison.Ordinal)]).ToList();
        Assert.That(buckets, Is.EqualTo(Enumerable.Range(0, 16).Select(i => (0.001 * Math.Pow(2, i)).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("+Inf")));
    }

    private async Task SendMadeUpMethodAsync(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri("/health", UriKind.Relative));
        using var response = await Context.Browser.SendAsync(request);
    }

    private async Task<string> ScrapeAsync()
    {
        var response = await Context.Bot.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    private static double Value(string scrape, string series) =>
        scrape.Split('\n').Where(line => line.StartsWith(series + " ", StringComparison.Ordinal))
            .Select(line => double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0).Single();

    /// <summary>The HTTP request series in a scrape, one per line (each histogram bucket is one).</summary>
    private static int HttpSeries(string scrape) =>
        scrape.Split('\n').Count(line => line.StartsWith("http_request", StringComparison.Ordinal));
}
