using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;

namespace JiraAuthServer.Infrastructure.Postgres;

/// <summary>
/// <c>DATABASE_URL</c>: an Npgsql connection string (<c>Host=db;Username=jira;Password=...;Database=jira_auth</c>) or a
/// <c>postgres://user:password@host:port/database?sslmode=require</c> URL. The text may hold a password, so no problem
/// description ever repeats any of it beyond a parameter name.
/// </summary>
public static class DatabaseUrl
{
    public const string ApplicationName = "jira-auth-server";

    private const int DefaultPort = 5432;

    private static readonly string[] UrlSchemes = ["postgres", "postgresql"];

    private static readonly Dictionary<string, SslMode> SslModes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["disable"] = SslMode.Disable,
        ["allow"] = SslMode.Allow,
        ["prefer"] = SslMode.Prefer,
        ["require"] = SslMode.Require,
        ["verify-ca"] = SslMode.VerifyCA,
        ["verify-full"] = SslMode.VerifyFull,
    };

    /// <param name="text">The setting's value.</param>
    /// <param name="settings">The connection settings, when this returns true.</param>
    /// <param name="problem">What is wrong, phrased to follow "DATABASE_URL", when this returns false.</param>
    public static bool TryParse(string? text, [NotNullWhen(true)] out NpgsqlConnectionStringBuilder? settings, out string problem)
    {
        settings = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            problem = "is not set";
            return false;
        }

        var parsed = IsUrl(text) ? FromUrl(text, out problem) : FromKeywords(text, out problem);
        if (parsed is null)
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(parsed.Host))
        {
            problem = "names no host";
            return false;
        }

        parsed.ApplicationName ??= ApplicationName;
        settings = parsed;
        return true;
    }

    /// <summary>Where the database is, for messages and logs: host, port, database and user; never the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder settings)
    {
        var database = settings.Database ?? settings.Username ?? "(default)";
        return string.Create(CultureInfo.InvariantCulture, $"PostgreSQL at {settings.Host}:{settings.Port}, database {database}, user {settings.Username ?? "(default)"}");
    }

    private static bool IsUrl(string text) => UrlSchemes.Any(scheme => text.StartsWith(scheme + "://", StringComparison.OrdinalIgnoreCase));

    private static NpgsqlConnectionStringBuilder? FromKeywords(string text, out string problem)
    {
        problem = string.Empty;
        try
        {
            return new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // Only the keyword at fault is named: a parser message might quote a value.
            var detail = exception is ArgumentException { ParamName: { Length: > 0 } keyword } ? $" (unknown keyword or bad value: '{keyword}')" : string.Empty;
            problem = $"is neither a postgres:// URL nor a valid connection string such as Host=db;Username=jira;Password=...;Database=jira_auth{detail}";
            return null;
        }
    }

    private static NpgsqlConnectionStringBuilder? FromUrl(string text, out string problem)
    {
        problem = string.Empty;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            problem = "is not a valid postgres://user:password@host:port/database URL (percent-encode special characters in the user name and password)";
            return null;
        }

        var settings = new NpgsqlConnectionStringBuilder
        {
            Host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : Uri.UnescapeDataString(uri.Host),
            Port = uri.Port > 0 ? uri.Port : DefaultPort,
        };
        if (uri.UserInfo.Length > 0)
        {
            var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            settings.Username = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[..separator]);
            if (separator >= 0)
            {
                settings.Password = Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            settings.Database = database;
        }

        foreach (var (name, values) in QueryHelpers.ParseQuery(uri.Query))
        {
            if (!TryApply(settings, name, values.ToString(), out problem))
            {
                return null;
            }
        }

        return settings;
    }

    private static bool TryApply(NpgsqlConnectionStringBuilder settings, string name, string value, out string problem)
    {
        problem = string.Empty;
        switch (name)
        {
            case "sslmode" when SslModes.TryGetValue(value, out var mode):
                settings.SslMode = mode;
                return true;
            case "sslmode":
                problem = $"has an sslmode that is not one of {string.Join(", ", SslModes.Keys)}";
                return false;
            case "connect_timeout" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds):
                settings.Timeout = seconds;
                return true;
            case "connect_timeout":
                problem = "has a connect_timeout that is not a whole number of seconds";
                return false;
            case "user":
                settings.Username = value;
                return true;
            case "password":
                settings.Password = value;
                return true;
            case "application_name":
                settings.ApplicationName = value;
                return true;
            case "sslrootcert":
                settings.RootCertificate = value;
                return true;
            case "target_session_attrs":
                settings.TargetSessionAttributes = value;
                return true;
            case "options":
                settings.Options = value;
                return true;
            default:
                problem = $"has the parameter '{name}', which is not supported (use user, password, sslmode, connect_timeout, application_name, sslrootcert, target_session_attrs or options, or write a Host=...;Username=... connection string)";
                return false;
        }
    }
}
