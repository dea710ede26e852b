namespace ScimBridge.Model.Commands;

/// <summary>
/// An expected failure of a command (a directory that is down, a refused change): the message is printed as one line
/// on standard error, without a stack trace, and the process exits with code 1.
/// </summary>
public sealed class CommandFailedException(string message, Exception? inner = null) : Exception(message, inner);
