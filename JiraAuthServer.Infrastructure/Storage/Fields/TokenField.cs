using System.Runtime.CompilerServices;
using System.Text.Json;
using JiraAuthServer.Core.Grants;
using Newtonsoft.Json;

namespace JiraAuthServer.Infrastructure.Storage.Fields;

/// <summary>A Fernet token, held as <see cref="SealedText"/>; required (an empty text is a value: no refresh token).</summary>
internal sealed class TokenField(string name, string property, bool isAccessToken) : GrantField<SealedText>(name, property, required: true)
{
    public override string SqlType => "text";

    public override bool IsPresent(StoredGrant grant) => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override FieldRead Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> record, RecordReadState state, StoredGrant target)
    {
        var place = TokenPlace.None;
        var read = reader.TokenType switch
        {
            JsonTokenType.Null => FieldRead.Null,
            JsonTokenType.String => FieldRead.Value,
            _ => FieldRead.Invalid,
        };
        if (read == FieldRead.Value && reader.ValueIsEscaped)
        {
            Set(target, SealedText.From(reader.GetString()));
        }
        else if (read == FieldRead.Value)
        {
            var value = SealedText.FromUtf8(reader.ValueSpan);
            Set(target, value);
            place = value.IsBase64 ? new TokenPlace(checked((int)reader.TokenStartIndex + 1), reader.ValueSpan.Length) : TokenPlace.None;
        }

        if (isAccessToken)
        {
            state.AccessPlace = place;
        }
        else
        {
            state.RefreshPlace = place;
        }

        return read;
    }

    public override void Write(EntryBuffer buffer, StoredGrant grant, RecordLayout layout) => buffer.Token(Get(grant));

    public override void Write(JsonWriter writer, StoredGrant grant) => writer.WriteValue(Get(grant).ToString());

    public override object ToDatabase(StoredGrant grant) => Get(grant).ToString();

    public override void FromDatabase(StoredGrant target, object value) => Set(target, SealedText.From((string)value));
}
