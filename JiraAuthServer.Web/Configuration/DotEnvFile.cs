using System.Text;

namespace JiraAuthServer.Web.Configuration;

/// <summary>
/// Reads a <c>.env</c> file as the old server's python-dotenv did: <c>NAME=value</c> or <c>export NAME=value</c>;
/// <c>#</c> comment lines; a value in single quotes taken as written (only <c>\'</c> and <c>\\</c> unescaped), in double
/// quotes with <c>\n</c>, <c>\t</c>, <c>\"</c>, <c>\\</c> and the like unescaped (both may span lines); a comment after a
/// quoted value, or after whitespace in an unquoted one, ignored. A line it cannot read (an unclosed quote, text after
/// the closing one) is skipped, as python-dotenv does. No <c>${VAR}</c> expansion.
/// </summary>
public static class DotEnvFile
{
    public static Dictionary<string, string> Read(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path)) : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Sets each value the process environment does not already have, as <c>load_dotenv()</c> does: everything that
    /// reads the environment (the host's <c>ASPNETCORE_*</c> and <c>DOTNET_*</c>, configuration, logging) sees it,
    /// and a real environment variable still wins.
    /// </summary>
    public static void LoadIntoEnvironment(string path)
    {
        foreach (var (name, value) in Read(path))
        {
            if (Environment.GetEnvironmentVariable(name) is null)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    public static Dictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Reader(text.Replace("\r\n", "\n", StringComparison.Ordinal));
        while (!reader.AtEnd)
        {
            if (ReadBinding(ref reader) is var (name, value))
            {
                values[name] = value;
            }

            reader.SkipLine();
        }

        return values;
    }

    private static (string Name, string Value)? ReadBinding(ref Reader reader)
    {
        reader.SkipBlanks();
        if (reader.Peek is '#' or '\n' or '\0')
        {
            return null;
        }

        if (reader.TrySkip("export ") || reader.TrySkip("export\t"))
        {
            reader.SkipBlanks();
        }

        var name = reader.Peek is '\'' ? reader.Quoted('\'', Unescape.None) : reader.Until(c => c is '=' or '#' or ' ' or '\t' or '\n');
        reader.SkipBlanks();
        if (string.IsNullOrEmpty(name) || !reader.TrySkip("="))
        {
            return null;
        }

        reader.SkipBlanks();
        if (reader.Peek is not ('\'' or '"'))
        {
            return (name, Unquoted(reader.Until(c => c is '\n')));
        }

        var value = reader.Quoted(reader.Peek, reader.Peek == '"' ? Unescape.Double : Unescape.Single);
        reader.SkipBlanks();
        // Only a comment may follow the closing quote; anything else makes the line unreadable, as in python-dotenv.
        return value is not null && reader.Peek is ('#' or '\n' or '\0') ? (name, value) : null;
    }

    /// <summary>Whitespace followed by <c>#</c> starts a comment; a <c>#</c> inside a word (<c>a#b</c>) does not.</summary>
    private static string Unquoted(string? raw)
    {
        var value = raw ?? string.Empty;
        for (var i = 1; i < value.Length; i++)
        {
            if (value[i] == '#' && value[i - 1] is ' ' or '\t')
            {
                value = value[..i];
                break;
            }
        }

        return value.Trim();
    }

    private enum Unescape
    {
        None,
        Single,
        Double,
    }

    private ref struct Reader(string text)
    {
        private int position;

        public readonly bool AtEnd => position >= text.Length;

        public readonly char Peek => AtEnd ? '\0' : text[position];

        public void SkipBlanks()
        {
            while (Peek is ' ' or '\t')
            {
                position++;
            }
        }

        public void SkipLine()
        {
            var end = text.IndexOf('\n', position);
            position = end < 0 ? text.Length : end + 1;
        }

        public bool TrySkip(string word)
        {
            if (string.CompareOrdinal(text, position, word, 0, word.Length) != 0)
            {
                return false;
            }

            position += word.Length;
            return true;
        }

        public string Until(Func<char, bool> stop)
        {
            var start = position;
            while (!AtEnd && !stop(text[position]))
            {
                position++;
            }

            return text[start..position];
        }

        /// <summary>The text between <paramref name="quote"/> and the next unescaped one, unescaped; null when it is never closed.</summary>
        public string? Quoted(char quote, Unescape unescape)
        {
            var value = new StringBuilder();
            for (var i = position + 1; i < text.Length; i++)
            {
                var c = text[i];
                if (c == quote)
                {
                    position = i + 1;
                    return value.ToString();
                }

                if (c == '\\' && i + 1 < text.Length && Escaped(text[i + 1], unescape) is { } escaped)
                {
                    value.Append(escaped);
                    i++;
                }
                else
                {
                    value.Append(c);
                }
            }

            return null;
        }

        private static char? Escaped(char next, Unescape unescape) => (unescape, next) switch
        {
            (Unescape.None, _) => null,
            (_, '\\') => '\\',
            (_, '\'') => '\'',
            (Unescape.Single, _) => null,
            (_, '"') => '"',
            (_, 'n') => '\n',
            (_, 't') => '\t',
            (_, 'r') => '\r',
            (_, 'a') => '\a',
            (_, 'b') => '\b',
            (_, 'f') => '\f',
            (_, 'v') => '\v',
            _ => null,
        };
    }
}
