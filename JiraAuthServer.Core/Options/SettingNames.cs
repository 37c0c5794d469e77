namespace JiraAuthServer.Core.Options;

/// <summary>The environment variables the server reads; the first six are the old Python server's names.</summary>
public static class SettingNames
{
    public const string ClientId = "JIRA_CLIENT_ID";
    public const string ClientSecret = "JIRA_CLIENT_SECRET";
    public const string RedirectUri = "JIRA_REDIRECT_URI";
    public const string AuthBaseUrl = "JIRA_BASE_URL";
    public const string EncryptionKey = "ENCRYPTION_KEY";
    public const string InternalApiKey = "INTERNAL_API_KEY";
    public const string ApiBaseUrl = "ATLASSIAN_API_URL";
    public const string TokensFile = "TOKENS_FILE";
    public const string JournalCompaction = "JOURNAL_COMPACTION_MB";
    public const string Scopes = "JIRA_SCOPES";
    public const string SiteUrl = "JIRA_SITE_URL";
    public const string AtlassianTimeout = "ATLASSIAN_TIMEOUT";
    public const string JiraProxyTimeout = "JIRA_PROXY_TIMEOUT";
    public const string RefreshMargin = "TOKEN_REFRESH_MARGIN";
    public const string AuthStateTtl = "AUTH_STATE_TTL";
    public const string AuthStartRequiresApiKey = "AUTH_START_REQUIRES_API_KEY";
    public const string TelegramBotUsername = "TELEGRAM_BOT_USERNAME";
    public const string RateLimitWindow = "RATE_LIMIT_WINDOW";
    public const string RateLimitKeyFailures = "RATE_LIMIT_KEY_FAILURES";
    public const string RateLimitCallback = "RATE_LIMIT_CALLBACK";
    public const string RateLimitStatus = "RATE_LIMIT_STATUS";
    public const string CorsOrigins = "CORS_ORIGINS";
    public const string ForwardedHeaders = "FORWARDED_HEADERS";
    public const string RequireHttps = "REQUIRE_HTTPS";
    public const string HttpsPort = "HTTPS_PORT";
    public const string KeepAliveAfter = "KEEPALIVE_AFTER";
    public const string KeepAliveRate = "KEEPALIVE_RATE";
    public const string KeepAliveInterval = "KEEPALIVE_INTERVAL";
    public const string ReauthNoticeBefore = "REAUTH_NOTICE_BEFORE";
    public const string BotWebhookUrl = "BOT_WEBHOOK_URL";
    public const string WebhookSecret = "WEBHOOK_SECRET";
    public const string TokenStore = "TOKEN_STORE";
    public const string DatabaseUrl = "DATABASE_URL";
    public const string LogLevel = "LOG_LEVEL";
    public const string LogFormat = "LOG_FORMAT";
}
