using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// A grant together with its exact lines in the token file (<c>  "id": {...}</c>, UTF-8), so a write copies unchanged
/// records instead of serializing them again, and records this version only read go back out as they came in.
/// </summary>
internal sealed record StoredEntry(StoredGrant Grant, byte[] Json);
