namespace ScimBridge.Model.Teams;

/// <summary>A user's role within one team; the numeric order is the precedence (ADMIN &gt; MEMBER &gt; VIEWER).</summary>
public enum TeamRole
{
    Viewer = 1,
    Member = 2,
    Admin = 3,
}

/// <summary>How a team membership came about.</summary>
public enum MembershipOrigin
{
    /// <summary>Set by an admin by hand; never removed by the mapping engine.</summary>
    Manual,

    /// <summary>Derived from identity-provider groups through a mapping file.</summary>
    Mapping,
}
