namespace ScimBridge.Model.Reconcile;

/// <summary>What a source's connection test found: it signed in (bound) and counted the users in scope; nothing was written.</summary>
/// <param name="UsersInScope">Users the source's base DN and filter (or Graph filter) select, disabled ones included.</param>
/// <param name="Detail">One line saying what was reached and how, e.g. the URL and bind DN.</param>
public sealed record ConnectionCheck(int UsersInScope, string Detail);
