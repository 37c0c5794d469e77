using System.Text.Json;
using JiraAuthServer.Core.Grants;
using Newtonsoft.Json;

namespace JiraAuthServer.Infrastructure.Storage.Fields;

/// <summary>
/// One field of a stored grant, as every store keeps it: its name in the token file and the journal (also the
/// PostgreSQL column), how it is read and written in each, and the <see cref="StoredGrant"/> property it holds.
/// <see cref="GrantFields.All"/> lists them; nothing else names a record's fields.
/// </summary>
internal abstract class GrantField
{
    protected GrantField(string name, string property, bool required)
    {
        Name = name;
        Utf8Name = System.Text.Encoding.UTF8.GetBytes(name);
        Property = property;
        Required = required;
    }

    /// <summary>The name in the file, the journal and the database (old server's names).</summary>
    public string Name { get; }

    public byte[] Utf8Name { get; }

    /// <summary>The <see cref="StoredGrant"/> property the field holds.</summary>
    public string Property { get; }

    /// <summary>A record without it is damaged.</summary>
    public bool Required { get; }

    /// <summary>Its place in <see cref="GrantFields.All"/>, which is also the order it is written in.</summary>
    public int Index { get; set; }

    /// <summary>The PostgreSQL type of its column.</summary>
    public abstract string SqlType { get; }

    /// <summary>What a value must be, for the message about a record that has something else.</summary>
    protected virtual string Expected => "a string";

    /// <summary>False when the grant has no value for it: the field is then left out, as the old server did.</summary>
    public abstract bool IsPresent(StoredGrant grant);

    /// <summary>Reads the JSON value <paramref name="reader"/> is on into <paramref name="target"/>, which is being built.</summary>
    /// <param name="reader">On the value.</param>
    /// <param name="record">The record's text, which <paramref name="reader"/> reads.</param>
    /// <param name="state">The reader's caches and where the tokens are.</param>
    /// <param name="target">A grant not yet handed out; its properties are set here.</param>
    public abstract FieldRead Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> record, RecordReadState state, StoredGrant target);

    /// <summary>Back to the value a grant has without the field (a later null in the record overrides an earlier value).</summary>
    public abstract void Clear(StoredGrant target);

    /// <summary>The value (present) as the token file spells it.</summary>
    public abstract void Write(EntryBuffer buffer, StoredGrant grant, RecordLayout layout);

    /// <summary>The value (present) through Newtonsoft, the reference the file layout matches.</summary>
    public abstract void Write(JsonWriter writer, StoredGrant grant);

    /// <summary>The column's value; <see cref="DBNull.Value"/> when absent.</summary>
    public abstract object ToDatabase(StoredGrant grant);

    /// <summary>Sets <paramref name="target"/> from the column's value (<see cref="DBNull"/> when absent).</summary>
    public abstract void FromDatabase(StoredGrant target, object value);

    /// <summary>What is wrong with a value <see cref="Read"/> refused, phrased to follow "it".</summary>
    public virtual string Problem(ref Utf8JsonReader reader) =>
        $"has field '{Name}' of JSON type {GrantRecordReader.TypeName(ref reader)}, expected {Expected}";
}
