using JiraAuthServer.Core.Grants;

namespace JiraAuthServer.Infrastructure.Storage;

/// <summary>
/// A stored grant and, when its lines in the file are not what <see cref="EntryWriter"/> writes for it, the template
/// that reproduces them. Without a template the lines are written from the grant itself: nothing is held twice.
/// </summary>
internal sealed record StoredEntry(StoredGrant Grant, RecordTemplate? Template = null);
