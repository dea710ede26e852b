using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ScimBridge.Model.Persistence;

/// <summary>Stores instants as UTC ticks so that SQLite can compare and sort them.</summary>
public sealed class DateTimeOffsetTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
