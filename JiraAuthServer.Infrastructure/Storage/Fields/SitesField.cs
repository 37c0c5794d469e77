using System.Text.Json;
using JiraAuthServer.Core.Grants;
using Newtonsoft.Json;

namespace JiraAuthServer.Infrastructure.Storage.Fields;

/// <summary>The list of sites the user could reach (<see cref="JiraSiteListJson"/>); a jsonb column in PostgreSQL.</summary>
internal sealed class SitesField(string name, string property) : GrantField<IReadOnlyList<JiraSite>?>(name, property, required: false)
{
    public override string SqlType => "jsonb";

    public override bool IsPresent(StoredGrant grant) => Get(grant) is not null;

    /// <remarks>Most users of one installation reach the same sites: the same text as the last record's gives the same list.</remarks>
    public override FieldRead Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> record, RecordReadState state, StoredGrant target)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return FieldRead.Null;
        }

        var start = checked((int)reader.TokenStartIndex);
        if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
        {
            reader.Skip();
        }

        var value = record[start..checked((int)reader.BytesConsumed)];
        ref var last = ref state.LastShared(this);
        if (last is SharedSites known && value.SequenceEqual(known.Utf8))
        {
            Set(target, known.Sites);
            return FieldRead.Value;
        }

        if (!JiraSiteListJson.TryRead(System.Text.Encoding.UTF8.GetString(value), out var sites) || sites is null)
        {
            return FieldRead.Invalid;
        }

        last = new SharedSites(value.ToArray(), sites);
        Set(target, sites);
        return FieldRead.Value;
    }

    public override void Write(EntryBuffer buffer, StoredGrant grant, RecordLayout layout)
    {
        var sites = Get(grant)!;
        var compact = layout == RecordLayout.Compact;
        buffer.Ascii("["u8);
        for (var i = 0; i < sites.Count; i++)
        {
            var site = sites[i];
            buffer.Ascii(compact ? (i == 0 ? "{\"id\": "u8 : ", {\"id\": "u8) : (i == 0 ? "\n      {\n        \"id\": "u8 : ",\n      {\n        \"id\": "u8));
            buffer.String(site.CloudId);
            buffer.Ascii(compact ? ", \"url\": "u8 : ",\n        \"url\": "u8);
            buffer.String(site.Url);
            buffer.Ascii(compact ? ", \"name\": "u8 : ",\n        \"name\": "u8);
            buffer.String(site.Name);
            buffer.Ascii(compact ? ", \"scopes\": ["u8 : ",\n        \"scopes\": ["u8);
            for (var j = 0; j < site.Scopes.Count; j++)
            {
                buffer.Ascii(compact ? (j == 0 ? ""u8 : ", "u8) : (j == 0 ? "\n          "u8 : ",\n          "u8));
                buffer.String(site.Scopes[j]);
            }

            buffer.Ascii(compact || site.Scopes.Count == 0 ? "]"u8 : "\n        ]"u8);
            buffer.Ascii(compact ? "}"u8 : "\n      }"u8);
        }

        buffer.Ascii(compact || sites.Count == 0 ? "]"u8 : "\n    ]"u8);
    }

    public override void Write(JsonWriter writer, StoredGrant grant) => JiraSiteListJson.Write(writer, Get(grant)!);

    public override object ToDatabase(StoredGrant grant) => Get(grant) is { } sites ? JiraSiteListJson.ToText(sites) : DBNull.Value;

    public override void FromDatabase(StoredGrant target, object value)
    {
        if (value is string text && JiraSiteListJson.TryRead(text, out var sites))
        {
            Set(target, sites);
        }
    }

    public override string Problem(ref Utf8JsonReader reader) => $"has field '{Name}' that is not a list of sites ({JiraSiteListJson.Shape})";

    private sealed record SharedSites(byte[] Utf8, IReadOnlyList<JiraSite> Sites);
}
