namespace JiraAuthServer.Infrastructure.Storage.Fields;

/// <summary>How a record's JSON is laid out.</summary>
internal enum RecordLayout
{
    /// <summary>As <c>json.dump(indent=2)</c> writes it inside the token file.</summary>
    Indented,

    /// <summary>On one line (<c>", "</c> and <c>": "</c> between items, as <c>json.dumps</c>), for the journal.</summary>
    Compact,
}
