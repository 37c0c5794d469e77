using System.Text.Json;
using JiraAuthServer.Core.Grants;
using Newtonsoft.Json;

namespace JiraAuthServer.Infrastructure.Storage.Fields;

/// <summary>
/// The grant's <see cref="StoredGrant.Revision"/>, a JSON number the old server ignores; left out while it is 0, so a
/// record of the old server that this one never changed is written back exactly as it was.
/// </summary>
internal sealed class RevisionField(string name, string property) : GrantField<long>(name, property, required: false)
{
    public override string SqlType => "bigint";

    protected override string Expected => "a whole number of at least 0";

    public override bool IsPresent(StoredGrant grant) => Get(grant) != 0;

    public override FieldRead Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> record, RecordReadState state, StoredGrant target)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return FieldRead.Null;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var revision) || revision < 0)
        {
            return FieldRead.Invalid;
        }

        Set(target, revision);
        return FieldRead.Value;
    }

    public override void Write(EntryBuffer buffer, StoredGrant grant, RecordLayout layout) => buffer.Number(Get(grant));

    public override void Write(JsonWriter writer, StoredGrant grant) => writer.WriteValue(Get(grant));

    public override object ToDatabase(StoredGrant grant) => Get(grant);

    public override void FromDatabase(StoredGrant target, object value) => Set(target, value is DBNull ? 0 : (long)value);
}
