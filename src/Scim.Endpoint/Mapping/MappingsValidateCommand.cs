using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Scim.Mapping;

/// <summary><c>mappings validate [FILE]</c>: checks one file, or every file in the mappings folder; exit code 1 on errors.</summary>
public sealed class MappingsValidateCommand(ScimBridgeDbContext db, MappingStore store) : IAdminCommand
{
    public IReadOnlyList<string> Verb { get; } = ["mappings", "validate"];

    public string Usage => "mappings validate [FILE]   check mapping files (default: all in the mappings folder); errors as file:line:col: message";

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct)
    {
        var paths = arguments.Positional.Count > 0 ? [.. arguments.Positional] : MappingStore.FilesIn(store.Folder);
        if (paths.Count == 0)
        {
            await output.WriteLineAsync($"No mapping files (*.yaml, *.yml) in {store.Folder}.");
            return 0;
        }

        var organizations = (await db.Organizations.AsNoTracking().Select(o => o.Slug).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var claimed = new Dictionary<string, string>(StringComparer.Ordinal);
        var failed = 0;
        foreach (var path in paths)
        {
            var name = Shown(path);
            var errors = new List<MappingError>();
            MappingFile? file = null;
            if (!File.Exists(path))
            {
                errors.Add(new MappingError(name, 1, 1, "file not found"));
            }
            else
            {
                var result = MappingFileParser.Parse(name, await File.ReadAllTextAsync(path, ct));
                errors.AddRange(result.Errors);
                file = result.File;
            }

            if (file is not null)
            {
                if (!organizations.Contains(file.Organization))
                {
                    errors.Add(new MappingError(name, file.OrganizationLine, file.OrganizationColumn,
                        $"unknown organization '{file.Organization}' (create it with: tokens create --org {file.Organization})"));
                }
                else if (claimed.TryGetValue(file.Organization, out var other))
                {
                    errors.Add(new MappingError(name, file.OrganizationLine, file.OrganizationColumn,
                        $"organization '{file.Organization}' is already mapped by {other}; one file per organization"));
                }

                claimed.TryAdd(file.Organization, name);
            }

            foreach (var error in errors)
            {
                await output.WriteLineAsync(error.ToString());
            }

            if (errors.Count == 0)
            {
                await output.WriteLineAsync($"{name}: OK, organization {file!.Organization}, {file.Rules.Count} rules, " +
                    $"{file.OrganizationRoles.Count} organization role rules, version {file.ShortVersion}");
            }
            else
            {
                failed++;
            }
        }

        return failed == 0 ? 0 : 1;
    }

    /// <summary>A path as the user gave it, or relative to the current directory when it lies below it.</summary>
    private static string Shown(string path)
    {
        if (!Path.IsPathRooted(path))
        {
            return path;
        }

        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
