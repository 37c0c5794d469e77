using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Infrastructure.Storage.Fields;

/// <summary>
/// Every field of a stored grant, in the order the token file writes them (the old server's fields first). The file
/// reader and writer, the journal, the Newtonsoft reference writer and the PostgreSQL mapping all go through this list:
/// a new <see cref="StoredGrant"/> property is one line here (and a column migration for PostgreSQL).
/// </summary>
internal static class GrantFields
{
    public static readonly TokenField AccessToken = new("access_token", nameof(StoredGrant.SealedAccessToken), isAccessToken: true);
    public static readonly TokenField RefreshToken = new("refresh_token", nameof(StoredGrant.SealedRefreshToken), isAccessToken: false);
    public static readonly RequiredTimeField ExpiresAt = new("expires_at", nameof(StoredGrant.ExpiresAt));
    public static readonly RevisionField Revision = new("revision", nameof(StoredGrant.Revision));

    public static readonly IReadOnlyList<GrantField> All = Numbered(
    [
        AccessToken,
        RefreshToken,
        ExpiresAt,
        new TextField("token_type", nameof(StoredGrant.TokenType), shared: true),
        new TextField("scope", nameof(StoredGrant.Scope), shared: true),
        new TimeField("created_at", nameof(StoredGrant.CreatedAt)),
        new TimeField("updated_at", nameof(StoredGrant.UpdatedAt)),
        new TextField("jira_account_id", nameof(StoredGrant.JiraAccountId), shared: false),
        new TextField("jira_email", nameof(StoredGrant.JiraEmail), shared: false),
        new TextField("jira_cloud_id", nameof(StoredGrant.JiraCloudId), shared: true),
        new TextField("jira_site_url", nameof(StoredGrant.JiraSiteUrl), shared: true),
        new TextField("jira_site_name", nameof(StoredGrant.JiraSiteName), shared: true),
        new TimeField("reauthorization_required_at", nameof(StoredGrant.ReauthorizationRequiredAt)),
        new SitesField("jira_sites", nameof(StoredGrant.JiraSites)),
        new TimeField("consented_at", nameof(StoredGrant.ConsentedAt)),
        new TimeField("reauthorization_notice_sent_at", nameof(StoredGrant.ReauthorizationNoticeSentAt)),
        Revision,
    ]);

    private static readonly Dictionary<string, GrantField> ByName = All.ToDictionary(field => field.Name, StringComparer.Ordinal);

    /// <summary>The field of that name in the file; null for a field this version does not know.</summary>
    public static GrantField? Named(string name) => ByName.GetValueOrDefault(name);

    /// <summary>A grant to fill in field by field; the required fields are set over these placeholders.</summary>
    public static StoredGrant NewTarget() => new(SealedText.Empty, SealedText.Empty, default);

    private static GrantField[] Numbered(GrantField[] fields)
    {
        for (var index = 0; index < fields.Length; index++)
        {
            fields[index].Index = index;
        }

        return fields;
    }
}
