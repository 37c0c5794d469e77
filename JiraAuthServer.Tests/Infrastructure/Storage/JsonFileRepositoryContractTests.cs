using JiraAuthServer.Core.Storage;
using JiraAuthServer.Infrastructure.Storage;

namespace JiraAuthServer.Tests.Infrastructure.Storage;

public sealed class JsonFileRepositoryContractTests : TokenRepositoryContract
{
    private readonly List<JsonFileTokenRepository> opened = [];
    private TempFolder folder = null!;

    [SetUp]
    public void SetUp() => folder = new TempFolder();

    [TearDown]
    public async Task TearDown()
    {
        foreach (var repository in opened)
        {
            await repository.DisposeAsync();
        }

        folder.Dispose();
    }

    protected override Task<ITokenRepository> OpenAsync()
    {
        var repository = StoreFiles.Open(folder.TokensFile, Cipher);
        opened.Add(repository);
        return Task.FromResult<ITokenRepository>(repository);
    }

    protected override async Task<ITokenRepository> ReopenAsync(ITokenRepository previous)
    {
        await ((JsonFileTokenRepository)previous).DisposeAsync();
        return await OpenAsync();
    }

    /// <summary>A folder where the journal goes makes the next append fail, even for root.</summary>
    protected override Task BreakWritesAsync(ITokenRepository repository)
    {
        File.Delete(Journal);
        Directory.CreateDirectory(Journal);
        return Task.CompletedTask;
    }

    protected override Task RepairWritesAsync(ITokenRepository repository)
    {
        Directory.Delete(Journal);
        return Task.CompletedTask;
    }

    private string Journal => folder.TokensFile + ".journal";
}
