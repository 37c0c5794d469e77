using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Core.Grants;
using Microsoft.AspNetCore.Mvc;

namespace JiraAuthServer.Web.Sandbox;

/// <summary>The developer's start page in the sandbox: what runs, the API key, and a one-click authorization.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class SandboxHomeController(SandboxMode sandbox, AuthorizationService authorization) : Controller
{
    public const long ExampleUserId = 123456789;

    [HttpGet("/")]
    [HttpGet(SandboxRoutes.Home)]
    public IActionResult Home() => View("~/Sandbox/Views/Home.cshtml", sandbox);

    /// <summary>What the bot does with <c>/auth/start</c>, without the key: straight to the stand-in consent page.</summary>
    [HttpGet(SandboxRoutes.Home + "/start")]
    public async Task<IActionResult> Start([FromQuery(Name = "telegram_user_id")] string? telegramUserId, CancellationToken cancellationToken)
    {
        if (!TelegramUserId.TryParse(telegramUserId ?? ExampleUserId.ToString(System.Globalization.CultureInfo.InvariantCulture), out var id))
        {
            return BadRequest(new { error = TelegramUserId.FormatError });
        }

        var link = await authorization.StartAsync(id, cancellationToken);
        return Redirect(link.AuthUrl);
    }
}
