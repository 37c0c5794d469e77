using System.Runtime.CompilerServices;
using System.Text.Json;
using JiraAuthServer.Core.Grants;
using Newtonsoft.Json;

namespace JiraAuthServer.Infrastructure.Storage.Fields;

/// <summary>A timestamp every record has (the access token's expiry).</summary>
internal sealed class RequiredTimeField(string name, string property) : GrantField<DateTimeOffset>(name, property, required: true)
{
    public override string SqlType => "timestamptz";

    public override bool IsPresent(StoredGrant grant) => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override FieldRead Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> record, RecordReadState state, StoredGrant target)
    {
        var read = TimeValue.Read(ref reader, out var time);
        if (read == FieldRead.Value)
        {
            Set(target, time);
        }

        return read;
    }

    public override void Write(EntryBuffer buffer, StoredGrant grant, RecordLayout layout) => buffer.Time(Get(grant));

    public override void Write(JsonWriter writer, StoredGrant grant) => writer.WriteValue(IsoTime.Format(Get(grant)));

    public override object ToDatabase(StoredGrant grant) => TimeValue.ToDatabase(Get(grant));

    public override void FromDatabase(StoredGrant target, object value) => Set(target, (DateTimeOffset)value);

    public override string Problem(ref Utf8JsonReader reader) => TimeValue.Problem(Name, ref reader) ?? base.Problem(ref reader);
}
