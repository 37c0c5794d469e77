using System.Runtime.CompilerServices;
using System.Text.Json;
using JiraAuthServer.Core.Grants;
using Newtonsoft.Json;

namespace JiraAuthServer.Infrastructure.Storage.Fields;

/// <summary>
/// A text. <paramref name="shared"/>: most grants have the same value (a site, a scope list), so a reader keeps the
/// last one and reuses it for the next record with the same bytes. A property that is not nullable keeps its default
/// when the record has null or nothing.
/// </summary>
internal sealed class TextField(string name, string property, bool shared) : GrantField<string?>(name, property, required: false)
{
    public override string SqlType => "text";

    public override bool IsPresent(StoredGrant grant) => Get(grant) is not null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override FieldRead Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> record, RecordReadState state, StoredGrant target)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return FieldRead.Null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return FieldRead.Invalid;
        }

        if (!shared || reader.ValueIsEscaped)
        {
            Set(target, reader.GetString());
            return FieldRead.Value;
        }

        ref var last = ref state.LastShared(this);
        if (last is not SharedText known || !reader.ValueSpan.SequenceEqual(known.Utf8))
        {
            last = known = new SharedText(reader.ValueSpan.ToArray(), reader.GetString()!);
        }

        Set(target, known.Text);
        return FieldRead.Value;
    }

    public override void Write(EntryBuffer buffer, StoredGrant grant, RecordLayout layout) => buffer.String(Get(grant)!);

    public override void Write(JsonWriter writer, StoredGrant grant) => writer.WriteValue(Get(grant));

    public override object ToDatabase(StoredGrant grant) => (object?)Get(grant) ?? DBNull.Value;

    public override void FromDatabase(StoredGrant target, object value)
    {
        if (value is string text)
        {
            Set(target, text);
        }
    }

    private sealed record SharedText(byte[] Utf8, string Text);
}
