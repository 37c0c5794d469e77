using JiraAuthServer.Infrastructure.Postgres;
using Npgsql;

namespace JiraAuthServer.Tests.Infrastructure.Postgres;

/// <summary>DATABASE_URL in either form; no database needed.</summary>
public sealed class DatabaseUrlTests
{
    [Test]
    public void A_postgres_url_becomes_connection_settings()
    {
        Assert.That(DatabaseUrl.TryParse("postgres://jira:s%40cret%3Aw@db.internal:6543/jira_auth?sslmode=require&connect_timeout=7", out var settings, out _), Is.True);

        Assert.That(settings!.Host, Is.EqualTo("db.internal"));
        Assert.That(settings.Port, Is.EqualTo(6543));
        Assert.That(settings.Username, Is.EqualTo("jira"));
        Assert.That(settings.Password, Is.EqualTo("s@cret:w"));
        Assert.That(settings.Database, Is.EqualTo("jira_auth"));
        Assert.That(settings.SslMode, Is.EqualTo(SslMode.Require));
        Assert.That(settings.Timeout, Is.EqualTo(7));
        Assert.That(settings.ApplicationName, Is.EqualTo("jira-auth-server"));
    }

    [Test]
    public void A_postgresql_url_without_port_user_or_database_takes_the_defaults()
    {
        Assert.That(DatabaseUrl.TryParse("postgresql://[::1]", out var settings, out _), Is.True);

        Assert.That(settings!.Host, Is.EqualTo("::1"));
        Assert.That(settings.Port, Is.EqualTo(5432));
        Assert.That(settings.Database, Is.Null);
    }

    [Test]
    public void Every_supported_url_parameter_reaches_the_settings()
    {
        Assert.That(DatabaseUrl.TryParse("postgres://db/x?user=jira&password=p%40ss&application_name=app&sslrootcert=/etc/ca.pem&target_session_attrs=read-write&options=-c%20search_path%3Dauth", out var settings, out var problem), Is.True, problem);

        Assert.That(settings!.Username, Is.EqualTo("jira"));
        Assert.That(settings.Password, Is.EqualTo("p@ss"));
        Assert.That(settings.ApplicationName, Is.EqualTo("app"));
        Assert.That(settings.RootCertificate, Is.EqualTo("/etc/ca.pem"));
        Assert.That(settings.TargetSessionAttributes, Is.EqualTo("read-write"));
        Assert.That(settings.Options, Is.EqualTo("-c search_path=auth"));
    }

    [Test]
    public void A_connection_string_is_taken_as_it_is()
    {
        Assert.That(DatabaseUrl.TryParse("Host=db;Port=5433;Username=jira;Password=pw;Database=auth;Application Name=mine", out var settings, out _), Is.True);

        Assert.That(settings!.Host, Is.EqualTo("db"));
        Assert.That(settings.Port, Is.EqualTo(5433));
        Assert.That(settings.ApplicationName, Is.EqualTo("mine"));
    }

    [TestCase("", "is not set")]
    [TestCase("Username=jira;Password=hunter2", "names no host")]
    [TestCase("Hots=db;Password=hunter2", "unknown keyword or bad value: 'hots'")]
    [TestCase("Host=db;Port=hunter2", "unknown keyword or bad value: 'port'")]
    [TestCase("Host=db;Password=\"hunter2", "neither a postgres:// URL nor a valid connection string")]
    [TestCase("postgres://jira:hunter2@db/x?sslmode=sometimes", "sslmode that is not one of")]
    [TestCase("postgres://jira:hunter2@db/x?pool=hunter2", "the parameter 'pool', which is not supported")]
    [TestCase("postgres://jira:hunter2@db:port/x", "is not a valid postgres://")]
    public void A_bad_value_is_described_without_repeating_the_password(string text, string expected)
    {
        Assert.That(DatabaseUrl.TryParse(text, out _, out var problem), Is.False);

        Assert.That(problem, Does.Contain(expected));
        Assert.That(problem, Does.Not.Contain("hunter2"));
    }

    [Test]
    public void The_description_names_host_port_database_and_user_but_not_the_password()
    {
        Assert.That(DatabaseUrl.TryParse("postgres://jira:hunter2@db.internal/jira_auth", out var settings, out _), Is.True);

        Assert.That(DatabaseUrl.Describe(settings!), Is.EqualTo("PostgreSQL at db.internal:5432, database jira_auth, user jira"));
    }
}
