using System.Globalization;

namespace JiraAuthServer.Web.Configuration;

/// <summary>Durations in settings: whole seconds (<c>300</c>), a unit suffix (<c>5m</c>, <c>30d</c>) or <c>hh:mm:ss</c>.</summary>
public static class DurationSetting
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var unit = char.ToLowerInvariant(text[^1]);
        var scale = unit switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            _ => TimeSpan.Zero,
        };
        var number = scale == TimeSpan.Zero ? text : text[..^1];
        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            duration = (scale == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : scale) * amount;
            return true;
        }

        return scale == TimeSpan.Zero && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }

    /// <summary>The shortest way to write <paramref name="duration"/> in a setting: <c>30d</c>, <c>2m</c>, <c>90s</c>.</summary>
    public static string Format(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerDay == 0 && duration > TimeSpan.Zero ? $"{duration.TotalDays:0}d"
        : duration.Ticks % TimeSpan.TicksPerHour == 0 && duration > TimeSpan.Zero ? $"{duration.TotalHours:0}h"
        : duration.Ticks % TimeSpan.TicksPerMinute == 0 && duration > TimeSpan.Zero ? $"{duration.TotalMinutes:0}m"
        : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}s");

    public static TimeSpan Read(IConfiguration configuration, string name, TimeSpan fallback) =>
        TryParse(configuration[name], out var value) ? value : fallback;
}
