namespace ScimBridge.Model.Provisioning;

/// <summary>Base of the domain's refusals; the SCIM layer maps each kind to one RFC 7644 error.</summary>
public abstract class DirectoryException(string message) : Exception(message);

/// <summary>A unique value (userName, team name, extension) is already taken in the organization.</summary>
public sealed class UniquenessConflictException(string message) : DirectoryException(message)
{
    public static UniquenessConflictException UserName(string userName) => new($"userName '{userName}' is already taken in this organization.");

    public static UniquenessConflictException Extension(string extension) => new($"Extension '{extension}' is already taken in this organization.");
}

/// <summary>The addressed object does not exist in the caller's organization.</summary>
public sealed class ResourceNotFoundException(string message) : DirectoryException(message);

/// <summary>A value breaks a domain rule (e.g. an e-mail with spaces, a default team the user is not in).</summary>
public sealed class InvalidValueException(string message) : DirectoryException(message)
{
    /// <summary>Several values refused at once, each with the field it concerns, so a form can show each next to its field.</summary>
    public InvalidValueException(IReadOnlyList<Teams.ValueProblem> problems)
        : this(string.Join(" ", problems.Select(p => p.Message))) => Problems = problems;

    /// <summary>What is wrong, field by field; empty when the refusal concerns no particular field.</summary>
    public IReadOnlyList<Teams.ValueProblem> Problems { get; } = [];
}

/// <summary>Someone else changed the object since the caller read the version it wants to change (a stale form).</summary>
public sealed class StaleVersionException(string message) : DirectoryException(message);

/// <summary>An attempt to change something that may not be changed, such as an id.</summary>
public sealed class MutabilityException(string message) : DirectoryException(message);
