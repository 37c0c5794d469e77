using System.Runtime.CompilerServices;
using System.Text.Json;
using JiraAuthServer.Core.Grants;
using JiraAuthServer.Infrastructure.Storage.Fields;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// Reads one record (of the token file or a journal line) straight from its UTF-8 bytes into a
/// <see cref="StoredGrant"/>, field by field as <see cref="GrantFields"/> defines them, noting where its token values
/// are so a <see cref="RecordTemplate"/> can leave them out. A repeated field counts once, the last one, as in Python.
/// One reader per thread: it keeps the values most records share.
/// </summary>
internal sealed class GrantRecordReader
{
    private readonly RecordReadState state = new();

    public TokenPlace AccessPlace => state.AccessPlace;

    public TokenPlace RefreshPlace => state.RefreshPlace;

    // The methods marked AggressiveOptimization run once per record while 100,000 records load at start-up:
    // compiled optimized at once, they do not spend that start-up in unoptimized code waiting for tiering.
    /// <summary>
    /// Reads the record whose opening brace <paramref name="reader"/> is on, up to its closing brace.
    /// <paramref name="problem"/> says what is wrong with it, phrased to follow "it".
    /// </summary>
    /// <param name="reader">On the record's opening brace.</param>
    /// <param name="record">The text <paramref name="reader"/> reads; token places are offsets into it.</param>
    /// <param name="problem">Empty when the record was read.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public StoredGrant? TryRead(ref Utf8JsonReader reader, ReadOnlySpan<byte> record, out string problem)
    {
        state.StartRecord();
        var grant = GrantFields.NewTarget();
        var fields = GrantFields.All;
        var seen = 0L;
        var next = 0;
        Dictionary<string, string>? unknown = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Find(ref reader, fields, next, out var unknownName);
            reader.Read();
            if (field is null)
            {
                AddUnknown(ref unknown, unknownName!, ref reader, record);
                continue;
            }

            next = field.Index + 1;
            var read = field.Read(ref reader, record, state, grant);
            if (read == FieldRead.Invalid)
            {
                problem = field.Problem(ref reader);
                return null;
            }

            // Null counts as absent, as it did for the old server's readers.
            if (read == FieldRead.Null)
            {
                field.Clear(grant);
                seen &= ~(1L << field.Index);
            }
            else
            {
                seen |= 1L << field.Index;
            }
        }

        problem = reader.TokenType != JsonTokenType.EndObject ? $"has {TypeName(ref reader)} where a field name must come" : Missing(seen);
        if (problem.Length > 0)
        {
            return null;
        }

        return unknown is null ? grant : grant with { UnknownFields = unknown };
    }

    /// <summary>Newtonsoft's names for JSON types, which the messages of earlier versions used.</summary>
    public static string TypeName(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.ValueSpan.IndexOfAny(".eE"u8) >= 0 ? "Float" : "Integer",
        JsonTokenType.True or JsonTokenType.False => "Boolean",
        var other => other.ToString(),
    };

    /// <summary>Records are written in field order, so the field after the last one is tried first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static GrantField? Find(ref Utf8JsonReader reader, IReadOnlyList<GrantField> fields, int next, out string? unknownName)
    {
        unknownName = null;
        if (next < fields.Count && reader.ValueTextEquals(fields[next].Utf8Name))
        {
            return fields[next];
        }

        for (var index = 0; index < fields.Count; index++)
        {
            if (reader.ValueTextEquals(fields[index].Utf8Name))
            {
                return fields[index];
            }
        }

        unknownName = reader.GetString();
        return null;
    }

    private static string Missing(long seen)
    {
        foreach (var field in GrantFields.All)
        {
            if (field.Required && (seen & (1L << field.Index)) == 0)
            {
                return $"has no {field.Name}";
            }
        }

        return string.Empty;
    }

    /// <summary>Kept as compact JSON text, written the way the file writes it (non-ASCII escaped).</summary>
    private static void AddUnknown(ref Dictionary<string, string>? unknown, string name, ref Utf8JsonReader reader, ReadOnlySpan<byte> record)
    {
        var start = checked((int)reader.TokenStartIndex);
        reader.Skip();
        var raw = System.Text.Encoding.UTF8.GetString(record[start..checked((int)reader.BytesConsumed)]);
        using var text = TokenFileJson.CreateReader(new StringReader(raw));
        unknown ??= [];
        unknown[name] = TokenFileJson.ToRaw(JToken.ReadFrom(text));
    }
}
