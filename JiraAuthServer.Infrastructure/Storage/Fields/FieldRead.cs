namespace JiraAuthServer.Infrastructure.Storage.Fields;

/// <summary>What reading one field's value gave.</summary>
internal enum FieldRead
{
    /// <summary>Not a value this field can hold: the record is damaged.</summary>
    Invalid,

    /// <summary>JSON null: as if the field were absent.</summary>
    Null,

    /// <summary>The value was read into the grant.</summary>
    Value,
}
