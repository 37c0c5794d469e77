namespace JiraAuthServer.Infrastructure.Storage;

internal enum GrantChangeKind
{
    /// <summary>Stores a grant whole under a new revision.</summary>
    Save,

    /// <summary>Stores a grant under a new revision if the stored one still has the expected revision.</summary>
    Replace,

    Delete,

    /// <summary>Stores several grants as they are (revisions kept), as one change.</summary>
    SaveMany,

    /// <summary>New ciphertexts for grants whose revision has not changed, keeping it, as one change.</summary>
    Reencrypt,
}
