using System.Buffers.Text;
using System.Globalization;
using System.Text;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Resources;

/// <summary>
/// A cursor of RFC 9865 cursor-based pagination. Opaque to clients (base64url, RFC 3986 unreserved characters only);
/// inside it is either a position in the default order (creation time and id of the row to continue after, or before
/// when going back), which the database seeks to through an index, or, for lists sorted by <c>sortBy</c>, an offset.
/// Cursors never expire: they name a place in the order, not a server-side result set.
/// </summary>
public abstract record ScimCursor
{
    /// <summary>Continue after (<see cref="Backward"/>: before) the row with this creation time and id.</summary>
    public sealed record Keyset(long CreatedTicks, Guid Id, bool Backward) : ScimCursor;

    /// <summary>Continue at this zero-based offset (lists sorted by <c>sortBy</c>, and the root <c>/.search</c>).</summary>
    public sealed record Offset(int Skip) : ScimCursor;

    public string Encode()
    {
        var text = this switch
        {
            Keyset k => string.Create(CultureInfo.InvariantCulture, $"{(k.Backward ? 'p' : 'n')}.{k.CreatedTicks}.{k.Id:N}"),
            Offset o => string.Create(CultureInfo.InvariantCulture, $"o.{o.Skip}"),
            _ => throw new InvalidOperationException(),
        };
        return Base64Url.EncodeToString(Encoding.ASCII.GetBytes(text));
    }

    /// <summary>The cursor a client sent; null for the empty cursor that asks for the first page.</summary>
    public static ScimCursor? Decode(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        string text;
        try
        {
            text = value.Length <= 200 ? Encoding.ASCII.GetString(Base64Url.DecodeFromChars(value)) : "";
        }
        catch (FormatException)
        {
            text = "";
        }

        var parts = text.Split('.');
        if (parts is ["n" or "p", var ticks, var id]
            && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var created)
            && Guid.TryParseExact(id, "N", out var guid))
        {
            return new Keyset(created, guid, parts[0] == "p");
        }

        if (parts is ["o", var skip] && int.TryParse(skip, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return new Offset(offset);
        }

        throw InvalidCursor("The cursor is not one this service gave out; send an empty cursor for the first page, then nextCursor or previousCursor.");
    }

    public static ScimException InvalidCursor(string detail) => new(400, ScimErrorTypes.InvalidCursor, detail);
}
