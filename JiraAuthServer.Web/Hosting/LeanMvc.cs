using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace JiraAuthServer.Web.Hosting;

/// <summary>
/// MVC without the parts no action here uses, which every request would otherwise pay for: no action binds a form
/// (the sandbox reads its one form itself), so the form value providers go, and no view uses TempData, so its
/// filter (a cookie read and an OnStarting callback per request) goes too.
/// </summary>
internal static class LeanMvc
{
    public static void Configure(MvcOptions options)
    {
        options.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
        options.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
        options.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
    }

    /// <summary>After the views' own set-up, which adds the TempData filter.</summary>
    public static void PostConfigure(MvcOptions options)
    {
        for (var i = options.Filters.Count - 1; i >= 0; i--)
        {
            if (options.Filters[i] is SaveTempDataAttribute)
            {
                options.Filters.RemoveAt(i);
            }
        }
    }
}
