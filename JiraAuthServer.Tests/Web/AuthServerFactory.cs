using JiraAuthServer.Tests.Fakes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace JiraAuthServer.Tests.Web;

/// <summary>
/// The real server in process (Production environment), configured only through its environment-variable names and
/// talking to a <see cref="FakeAtlassianServer"/> over loopback, with its own temporary token file.
/// </summary>
public sealed class AuthServerFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-internal-api-key-7Hq2Lx9";
    public const string EncryptionKey = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
    public const string RedirectUri = "http://localhost/auth/callback";

    private readonly Dictionary<string, string?> settings;
    private readonly TimeProvider? clock;
    private readonly Action<IServiceCollection>? testServices;

    public AuthServerFactory(FakeAtlassianServer atlassian, string tokensFile, IDictionary<string, string?>? overrides = null, TimeProvider? clock = null, Action<IServiceCollection>? testServices = null)
    {
        atlassian.RedirectUri = RedirectUri;
        settings = atlassian.EnvironmentVariables().ToDictionary(pair => pair.Key, pair => (string?)pair.Value);
        settings["ENCRYPTION_KEY"] = EncryptionKey;
        settings["INTERNAL_API_KEY"] = ApiKey;
        settings["TOKENS_FILE"] = tokensFile;
        foreach (var (name, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[name] = value;
        }

        this.clock = clock;
        this.testServices = testServices;
    }

    public HttpClient CreateBotClient()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    public HttpClient CreateBrowserClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (name, value) in settings)
        {
            builder.UseSetting(name, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, PeerAddressStartupFilter>());
        if (clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }

        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }
    }
}
