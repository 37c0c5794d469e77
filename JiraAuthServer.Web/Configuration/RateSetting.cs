using System.Globalization;

namespace JiraAuthServer.Web.Configuration;

/// <summary>A rate in settings: a plain decimal number per second (<c>0.5</c>, <c>2</c>).</summary>
public static class RateSetting
{
    public const double Max = 100;

    public static bool TryParse(string? text, out double perSecond) =>
        double.TryParse(text?.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out perSecond)
        && perSecond > 0
        && perSecond <= Max;
}
