using ScimBridge.Model.Users;

namespace ScimBridge.Model.Tests.Builders;

public static class Profiles
{
    public static UserProfile Person(string userName, bool active = true) => new()
    {
        UserName = userName,
        Name = new PersonName(GivenName: "Ada", FamilyName: "Lovelace"),
        DisplayName = "Ada Lovelace",
        Active = active,
        Emails = [new EmailAddress(userName, "work", Primary: true)],
    };
}
