using JiraAuthServer.Web.Configuration;

namespace JiraAuthServer.Tests.Web;

/// <summary>The <c>.env</c> rules of python-dotenv, which the old server's operators wrote their files for.</summary>
public sealed class DotEnvFileTests
{
    [TestCase("KEY=value", "value")]
    [TestCase("KEY = value ", "value")]
    [TestCase("export KEY=value", "value")]
    [TestCase("export   KEY=value", "value")]
    [TestCase("KEY=\"quoted value\"", "quoted value")]
    [TestCase("KEY='single quoted'", "single quoted")]
    [TestCase("KEY=\"quoted\" # a comment", "quoted")]
    [TestCase("KEY='quoted'   # a comment", "quoted")]
    [TestCase("KEY=\"has # inside\" # comment", "has # inside")]
    [TestCase("KEY=unquoted # a comment", "unquoted")]
    [TestCase("KEY=unquoted\t# a comment", "unquoted")]
    [TestCase("KEY=a#b", "a#b")]
    [TestCase("KEY=#not-a-comment", "#not-a-comment")]
    [TestCase("KEY=", "")]
    [TestCase("KEY=\"\"", "")]
    [TestCase("KEY=postgres://u:p@h/db?sslmode=require", "postgres://u:p@h/db?sslmode=require")]
    [TestCase("KEY=cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=,CXPtkOcESuC8qq6_-ZhbW0kY1WD6lZlxsDvqR921SEo=", "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=,CXPtkOcESuC8qq6_-ZhbW0kY1WD6lZlxsDvqR921SEo=")]
    public void A_value_is_read_as_python_dotenv_reads_it(string line, string expected)
    {
        Assert.That(DotEnvFile.Parse(line)["KEY"], Is.EqualTo(expected));
    }

    [TestCase("KEY=\"line1\\nline2\"", "line1\nline2")]
    [TestCase("KEY=\"say \\\"hi\\\"\"", "say \"hi\"")]
    [TestCase("KEY=\"back\\\\slash\"", "back\\slash")]
    [TestCase("KEY=\"tab\\there\"", "tab\there")]
    [TestCase("KEY=\"unknown \\q kept\"", "unknown \\q kept")]
    [TestCase("KEY='it\\'s'", "it's")]
    [TestCase("KEY='no \\n in single quotes'", "no \\n in single quotes")]
    [TestCase("KEY=unquoted\\nstays", "unquoted\\nstays")]
    public void Escapes_are_decoded_in_double_quotes_only_as_python_dotenv_does(string line, string expected)
    {
        Assert.That(DotEnvFile.Parse(line)["KEY"], Is.EqualTo(expected));
    }

    [Test]
    public void Comments_blank_lines_and_bare_names_are_skipped_and_the_next_lines_still_read()
    {
        var values = DotEnvFile.Parse("""
            # a comment line
               # an indented one

            BARE_NAME
            JUNK="quoted" then text
            AFTER=read
            MULTI="first
            second"
            LAST=wins
            LAST=really
            """);

        Assert.That(values.Keys, Is.EquivalentTo(new[] { "AFTER", "MULTI", "LAST" }));
        Assert.That(values["AFTER"], Is.EqualTo("read"));
        Assert.That(values["MULTI"], Is.EqualTo("first\nsecond"));
        Assert.That(values["LAST"], Is.EqualTo("really"));
    }

    [Test]
    public void An_unclosed_quote_is_skipped_and_what_came_before_kept()
    {
        var values = DotEnvFile.Parse("BEFORE='kept'\nBROKEN=\"never closed\n");

        Assert.That(values, Is.EquivalentTo(new Dictionary<string, string> { ["BEFORE"] = "kept" }));
    }

    [Test]
    public void Windows_line_ends_are_read_as_line_ends()
    {
        var values = DotEnvFile.Parse("A=1\r\nB=\"2\"\r\nC=3 # c\r\n");

        Assert.That(values, Is.EquivalentTo(new Dictionary<string, string> { ["A"] = "1", ["B"] = "2", ["C"] = "3" }));
    }

    [Test]
    public void Loading_sets_only_what_the_environment_does_not_have()
    {
        var file = Path.GetTempFileName();
        var own = $"DOTENV_TEST_OWN_{Guid.NewGuid():N}";
        var set = $"DOTENV_TEST_SET_{Guid.NewGuid():N}";
        try
        {
            Environment.SetEnvironmentVariable(set, "from the environment");
            File.WriteAllText(file, $"{own}=\"from .env\" # comment\n{set}=from .env\n");

            DotEnvFile.LoadIntoEnvironment(file);

            Assert.That(Environment.GetEnvironmentVariable(own), Is.EqualTo("from .env"));
            Assert.That(Environment.GetEnvironmentVariable(set), Is.EqualTo("from the environment"), "a real environment variable wins");
        }
        finally
        {
            Environment.SetEnvironmentVariable(own, null);
            Environment.SetEnvironmentVariable(set, null);
            File.Delete(file);
        }
    }

    [Test]
    public void A_missing_file_reads_as_empty()
    {
        Assert.That(DotEnvFile.Read(Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.env")), Is.Empty);
    }
}
