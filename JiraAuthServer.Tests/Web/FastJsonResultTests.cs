using System.Text;
using System.Text.Json;
using JiraAuthServer.Web.Controllers;
using JiraAuthServer.Web.Models;
using Microsoft.AspNetCore.Mvc;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace JiraAuthServer.Tests.Web;

/// <summary>The hand-written token and status bodies say exactly what the Newtonsoft formatter says from the models.</summary>
public sealed class FastJsonResultTests
{
    private static readonly JsonSerializerSettings MvcSettings = new MvcNewtonsoftJsonOptions().SerializerSettings;

    private static IEnumerable<TestCaseData> Tokens()
    {
        yield return new TestCaseData(new TokenResponse
        {
            AccessToken = "eyJhbGciOi.payload.sig",
            JiraAccountId = "5b10ac8d82e05b22cc7d4ef5",
            JiraEmail = "ann@example.com",
            JiraCloudId = "11223344-a1b2-3b33-c444-def123456789",
            ExpiresAt = "2026-01-01T13:00:00+00:00",
            JiraSiteUrl = "https://acme.atlassian.net",
            JiraSiteName = "acme",
            ReauthorizationDueAt = "2027-01-01T12:00:00.123456+00:00",
        }).SetArgDisplayNames("every field");
        yield return new TestCaseData(new TokenResponse { AccessToken = "a", ExpiresAt = "2026-01-01T13:00:00+00:00" }).SetArgDisplayNames("nulls");
        yield return new TestCaseData(new TokenResponse
        {
            AccessToken = "quote \" backslash \\ tab \t newline \n nul \u0000",
            JiraEmail = "zoë@exämple.com <b>&amp;</b> 'x' 😀",
            JiraSiteName = "Café\u2028Ünïcode",
            ExpiresAt = "2026-01-01T13:00:00+00:00",
        }).SetArgDisplayNames("characters to escape");
    }

    private static IEnumerable<TestCaseData> Statuses()
    {
        yield return new TestCaseData(new StatusResponse { Authenticated = true, ExpiresAt = "2026-01-01T13:00:00+00:00", Scope = "read:jira-work offline_access" });
        yield return new TestCaseData(new StatusResponse { Authenticated = true, ExpiresAt = "2026-01-01T13:00:00+00:00", Scope = "read:jira-work", ReauthorizationDueAt = "2027-01-01T12:00:00.123456+00:00" });
        yield return new TestCaseData(new StatusResponse { Authenticated = true, ExpiresAt = "2026-01-01T13:00:00+00:00", Scope = string.Empty, Message = "Jira is temporarily unreachable" });
        yield return new TestCaseData(new StatusResponse { Authenticated = false, Message = "Authorize again", ReauthorizationRequired = true });
    }

    [TestCaseSource(nameof(Tokens))]
    public void Token_body_matches_the_Newtonsoft_formatter(TokenResponse token) =>
        AssertSameJson(Write(writer => FastJsonResult.Write(writer, token)), JsonConvert.SerializeObject(token, MvcSettings));

    [TestCaseSource(nameof(Statuses))]
    public void Status_body_matches_the_Newtonsoft_formatter(StatusResponse status) =>
        AssertSameJson(Write(writer => FastJsonResult.Write(writer, status)), JsonConvert.SerializeObject(status, MvcSettings));

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, FastJsonResult.WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void AssertSameJson(string actual, string expected)
    {
        var actualJson = JObject.Parse(actual);
        var expectedJson = JObject.Parse(expected);
        Assert.That(actualJson.Properties().Select(property => property.Name), Is.EqualTo(expectedJson.Properties().Select(property => property.Name)), "same fields in the same order");
        Assert.That(JToken.DeepEquals(actualJson, expectedJson), Is.True, $"{actual}\n{expected}");
    }
}
