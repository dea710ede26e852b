using System.Globalization;
using System.Text.Json.Serialization;

namespace ScimBridge.Scim.Errors;

/// <summary>The RFC 7644 error body. <c>status</c> is a string on the wire.</summary>
public sealed record ScimError(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("scimType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ScimType,
    [property: JsonPropertyName("detail")] string Detail)
{
    public const string Schema = "urn:ietf:params:scim:api:messages:2.0:Error";

    [JsonPropertyName("schemas")]
    public IReadOnlyList<string> Schemas { get; } = [Schema];

    public static ScimError Of(int status, string? scimType, string detail) =>
        new(status.ToString(CultureInfo.InvariantCulture), scimType, detail);

    /// <summary>Writes the error with the SCIM media type.</summary>
    public Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = int.Parse(Status, CultureInfo.InvariantCulture);
        return context.Response.WriteAsJsonAsync(this, ScimJson.Options, ScimJson.MediaType, context.RequestAborted);
    }
}
