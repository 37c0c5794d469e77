namespace JiraAuthServer.Web.Localization;

/// <summary>
/// Names the resource files of the pages people see (<c>PageTexts.resx</c> in English, <c>PageTexts.ru.resx</c>, ...);
/// views read them through <c>IStringLocalizer&lt;PageTexts&gt;</c>.
/// </summary>
public sealed class PageTexts
{
    private PageTexts()
    {
    }
}
