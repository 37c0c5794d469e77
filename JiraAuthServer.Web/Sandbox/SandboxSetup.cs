using System.Buffers.Text;
using System.Security.Cryptography;
using JiraAuthServer.Core.Options;
using JiraAuthServer.Infrastructure.Crypto;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;

namespace JiraAuthServer.Web.Sandbox;

public static class SandboxSetup
{
    /// <summary>
    /// In Development without an Atlassian app, points the server at the stand-in Atlassian it serves itself, with
    /// throwaway keys and a throwaway token file. Otherwise the sandbox's endpoints do not exist at all.
    /// </summary>
    public static SandboxMode AddSandboxWhenUnconfigured(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var mode = SandboxDecision.ShouldStart(builder.Environment, builder.Configuration) ? Configure(builder.Configuration) : SandboxMode.Off;
        builder.Services.AddSingleton(mode);
        if (mode.IsActive)
        {
            builder.Services.AddSingleton<SandboxAtlassian>();
            builder.Services.AddHostedService<SandboxConsole>();
        }
        else
        {
            builder.Services.AddMvcCore().ConfigureApplicationPartManager(parts => parts.FeatureProviders.Add(new WithoutSandboxControllers()));
        }

        return mode;
    }

    private static SandboxMode Configure(ConfigurationManager configuration)
    {
        var publicUrl = SandboxDecision.PublicUrl(configuration);
        var apiKey = configuration[SettingNames.InternalApiKey]?.Trim() is { Length: > 0 } given ? given : RandomText(24);
        var tokensFile = Path.Combine(Directory.CreateTempSubdirectory("jira-auth-sandbox-").FullName, "user_tokens.json");
        var atlassian = publicUrl + SandboxRoutes.Atlassian;
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SettingNames.ClientId] = SandboxAtlassian.ClientId,
            [SettingNames.ClientSecret] = RandomText(24),
            [SettingNames.RedirectUri] = publicUrl + "/auth/callback",
            [SettingNames.AuthBaseUrl] = atlassian,
            [SettingNames.ApiBaseUrl] = atlassian,
            [SettingNames.EncryptionKey] = FernetKey.Generate().Encode(),
            [SettingNames.InternalApiKey] = apiKey,
            [SettingNames.TokensFile] = tokensFile,
            [SettingNames.SiteUrl] = null,
        });
        return new SandboxMode(true, publicUrl, apiKey, tokensFile);
    }

    private static string RandomText(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    private sealed class WithoutSandboxControllers : IApplicationFeatureProvider<ControllerFeature>
    {
        public void PopulateFeature(IEnumerable<ApplicationPart> parts, ControllerFeature feature)
        {
            foreach (var controller in feature.Controllers.Where(type => type.Namespace == typeof(SandboxMode).Namespace).ToList())
            {
                feature.Controllers.Remove(controller);
            }
        }
    }
}
