using System.Buffers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace JiraAuthServer.Web.Security;

/// <summary>
/// The comparison of a presented <c>Authorization</c> header with <c>INTERNAL_API_KEY</c>: both as SHA-256 digests,
/// compared in constant time, so neither length nor content leaks through timing. No allocation for keys of usual size.
/// </summary>
public sealed class ApiKeyCheck(IOptions<ApiKeyOptions> options)
{
    /// <summary>The scheme's name, as the OpenAPI document and the <c>WWW-Authenticate</c> header give it.</summary>
    public const string SchemeName = "Bearer";

    private const string Prefix = SchemeName + " ";
    private const int StackLimit = 512;

    /// <summary>
    /// What a request with the right key is authenticated as. One shared instance: nothing writes to a principal
    /// after authentication, and the rate limiter only asks whether it is authenticated.
    /// </summary>
    public static readonly ClaimsPrincipal Bot = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "bot")], SchemeName));

    private readonly byte[] expectedDigest = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.InternalApiKey));

    public bool StartRequiresApiKey { get; } = options.Value.StartRequiresApiKey;

    /// <summary>Whether the header (non-empty) carries the key.</summary>
    public bool Matches(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var presented = header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? header.AsSpan(Prefix.Length).Trim() : [];
        if (presented.IsEmpty)
        {
            return false;
        }

        var byteCount = Encoding.UTF8.GetByteCount(presented);
        var rented = byteCount > StackLimit ? ArrayPool<byte>.Shared.Rent(byteCount) : null;
        try
        {
            var bytes = rented is null ? stackalloc byte[StackLimit] : rented;
            var written = Encoding.UTF8.GetBytes(presented, bytes);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes[..written], digest);
            return CryptographicOperations.FixedTimeEquals(digest, expectedDigest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }

    /// <summary>Whether the request authenticated with the key (set by <see cref="ApiKeyMiddleware"/>).</summary>
    public static bool IsAuthenticated(HttpContext context) => ReferenceEquals(context.User, Bot);
}
