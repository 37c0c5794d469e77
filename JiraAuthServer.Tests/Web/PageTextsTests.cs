using System.Collections;
using System.Globalization;
using System.Resources;
using JiraAuthServer.Core.Authorization;
using JiraAuthServer.Web.Controllers;
using JiraAuthServer.Web.Localization;

namespace JiraAuthServer.Tests.Web;

/// <summary>Every page text exists in every language, and every failure reason has its words and its own code.</summary>
public sealed class PageTextsTests
{
    private static readonly ResourceManager Texts = new("JiraAuthServer.Web.Localization.PageTexts", typeof(PageTexts).Assembly);

    private static IEnumerable<CallbackFailure> Failures => Enum.GetValues<CallbackFailure>();

    [TestCaseSource(nameof(Failures))]
    public void Every_failure_reason_has_a_title_an_explanation_and_a_next_step_that_mentions_auth(CallbackFailure failure)
    {
        foreach (var language in PageLocalization.Languages)
        {
            var culture = new CultureInfo(language);
            Assert.That(Texts.GetString($"Failure.{failure}.Title", culture), Is.Not.Null.And.Not.Empty, language);
            Assert.That(Texts.GetString($"Failure.{failure}.Text", culture), Is.Not.Null.And.Not.Empty, language);
            Assert.That(Texts.GetString($"Failure.{failure}.Next", culture), Does.Contain("/auth"), language);
        }
    }

    [Test]
    public void Every_reason_has_its_own_code()
    {
        var codes = Failures.Select(CallbackPages.ReasonCode).ToList();

        Assert.That(codes, Is.Unique);
        Assert.That(codes, Has.None.EqualTo("unknown"));
    }

    [TestCase("ru")]
    public void A_translation_has_exactly_the_English_keys_and_changes_each_sentence(string language)
    {
        var english = Entries(CultureInfo.InvariantCulture);
        var translated = Entries(new CultureInfo(language));

        Assert.That(translated.Keys, Is.EquivalentTo(english.Keys));
        Assert.That(translated.Where(pair => pair.Value == english[pair.Key] && pair.Value.Contains(' ', StringComparison.Ordinal)).Select(pair => pair.Key), Is.Empty, "sentences left in English");
        Assert.That(translated.Where(pair => pair.Value.Contains("{0}", StringComparison.Ordinal) != english[pair.Key].Contains("{0}", StringComparison.Ordinal)).Select(pair => pair.Key), Is.Empty, "placeholders kept");
    }

    private static Dictionary<string, string> Entries(CultureInfo culture)
    {
        var set = Texts.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!;
        return set.Cast<DictionaryEntry>().ToDictionary(entry => (string)entry.Key, entry => (string)entry.Value!);
    }
}
