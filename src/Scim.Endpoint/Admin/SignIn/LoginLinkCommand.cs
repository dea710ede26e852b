using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;

namespace ScimBridge.Scim.Admin.SignIn;

/// <summary>
/// <c>admin login-link --org SLUG --email ADDR</c>: the way into the console without an identity provider. Prints,
/// alone on its last line, a link that signs that person in once as Owner (the organization and user are created if needed).
/// </summary>
public sealed class LoginLinkCommand(ScimBridgeDbContext db, LoginLinks links, AuditLog audit, TimeProvider clock) : IAdminCommand
{
    public IReadOnlyList<string> Verb { get; } = ["admin", "login-link"];

    public string Usage => "admin login-link --org SLUG --email ADDR   print a one-time console sign-in link making that person an Owner";

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct)
    {
        var slug = Organization.NormalizeSlug(arguments.Required("org"));
        var email = arguments.Required("email").Trim();
        if (!System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            throw new CommandUsageException($"'{email}' is not an e-mail address.");
        }

        var actor = AuditActor.CommandLine("admin login-link");
        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Slug == slug, ct);
        if (organization is null)
        {
            organization = new Organization { Slug = slug, Name = slug, CreatedAt = clock.GetUtcNow() };
            db.Organizations.Add(organization);
            audit.Record(organization.Id, actor, "organization.created", "organization", organization.Id.ToString(), after: new { organization.Slug });
            await output.WriteLineAsync($"Created organization '{slug}'.");
        }

        try
        {
            var (url, user, created) = await links.IssueAsync(organization, email, actor, ct);
            await output.WriteLineAsync(created
                ? $"Created user '{user.UserName}' as Owner of '{slug}'. This link signs them in once, within a few minutes:"
                : $"'{user.UserName}' is an Owner of '{slug}'. This link signs them in once, within a few minutes:");
            await output.WriteLineAsync(url);
            return 0;
        }
        catch (InvalidValueException e)
        {
            await output.WriteLineAsync(e.Message);
            return 1;
        }
    }
}
