using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.WebEncoders;

namespace JiraAuthServer.Web.Localization;

/// <summary>
/// The pages follow the browser's <c>Accept-Language</c> (English unless a supported language is preferred). Only
/// the UI language changes: number and date formatting stay invariant, so the JSON API is the same for everyone.
/// </summary>
public static class PageLocalization
{
    public static readonly string[] Languages = ["en", "ru"];

    public static IServiceCollection AddPageLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        // Cyrillic and other letters stay readable in the page source; markup characters are still encoded.
        services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(CultureInfo.InvariantCulture, new CultureInfo(Languages[0]));
            options.SupportedCultures = [CultureInfo.InvariantCulture];
            options.SupportedUICultures = [.. Languages.Select(language => new CultureInfo(language))];
            options.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return services;
    }

    /// <summary>
    /// Negotiated for every request except the bot's JSON API and the probes, whose answers are the same in every
    /// language: they are most of the traffic, and skipping the negotiation keeps it off their path.
    /// </summary>
    public static void UsePageLocalization(this WebApplication app) =>
        app.UseWhen(context => !IsLanguageNeutral(context.Request.Path), pages => pages.UseRequestLocalization());

    private static bool IsLanguageNeutral(PathString path) =>
        path.StartsWithSegments("/auth/token") || path.StartsWithSegments("/auth/status") || path.StartsWithSegments("/auth/revoke")
        || path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health");
}
