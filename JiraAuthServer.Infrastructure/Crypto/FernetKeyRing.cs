namespace JiraAuthServer.Infrastructure.Crypto;

/// <summary>
/// The keys from <c>ENCRYPTION_KEY</c>, as Python's <c>MultiFernet</c> uses them: the first encrypts, all decrypt.
/// </summary>
public sealed class FernetKeyRing
{
    private readonly FernetKey[] _keys;

    public FernetKeyRing(IEnumerable<FernetKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = [.. keys];
        if (_keys.Length == 0)
        {
            throw new ArgumentException("a key ring needs at least one key", nameof(keys));
        }
    }

    /// <summary>The key new tokens are encrypted with.</summary>
    public FernetKey Primary => _keys[0];

    public IReadOnlyList<FernetKey> Keys => _keys;

    internal ReadOnlySpan<FernetKey> AsSpan() => _keys;

    /// <summary>Parses a comma-separated list of keys; whitespace around each key is ignored.</summary>
    /// <exception cref="EncryptionKeyException">The list is empty or a key is malformed; the message names its position.</exception>
    public static FernetKeyRing Parse(string? encryptionKey)
    {
        if (string.IsNullOrWhiteSpace(encryptionKey))
        {
            throw new EncryptionKeyException("ENCRYPTION_KEY is empty: set it to one or more comma-separated Fernet keys");
        }

        string[] entries = encryptionKey.Split(',', StringSplitOptions.TrimEntries);
        FernetKey[] keys = new FernetKey[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            keys[i] = ParseEntry(entries[i], i + 1, entries.Length);
        }

        return new FernetKeyRing(keys);
    }

    public override string ToString() => $"FernetKeyRing({_keys.Length} key{(_keys.Length == 1 ? "" : "s")})";

    private static FernetKey ParseEntry(string entry, int position, int count)
    {
        if (entry.Length == 0)
        {
            throw new EncryptionKeyException($"key {position} of {count} is empty", position);
        }

        return FernetKey.TryParse(entry, out FernetKey? key)
            ? key
            : throw new EncryptionKeyException($"key {position} of {count} {FernetKey.FormatError}", position);
    }
}
