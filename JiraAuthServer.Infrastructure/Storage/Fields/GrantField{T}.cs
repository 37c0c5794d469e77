using System.Reflection;
using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Infrastructure.Storage.Fields;

/// <summary>A field bound to its <see cref="StoredGrant"/> property by name.</summary>
internal abstract class GrantField<T> : GrantField
{
    protected GrantField(string name, string property, bool required)
        : base(name, property, required)
    {
        var info = typeof(StoredGrant).GetProperty(property, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new ArgumentException($"StoredGrant has no property {property}.", nameof(property));
        Get = info.GetMethod!.CreateDelegate<Func<StoredGrant, T>>();

        // The init accessor, called only on a grant the reader is still building, before anyone else sees it.
        Set = info.SetMethod!.CreateDelegate<Action<StoredGrant, T>>();
    }

    public Func<StoredGrant, T> Get { get; }

    public Action<StoredGrant, T> Set { get; }

    public override void Clear(StoredGrant target) => Set(target, Get(Blank));

    private static StoredGrant Blank { get; } = GrantFields.NewTarget();
}
