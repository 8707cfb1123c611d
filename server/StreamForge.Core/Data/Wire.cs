using System.Collections.Frozen;

namespace StreamForge.Core.Data;

/// <summary>
/// The one mapping between the typed statuses/states/modes and the strings the database, the API JSON and the
/// events carry: the member name in snake_case (PendingUpload ⇄ "pending_upload"). The EF value converters, the
/// check constraints and the DTOs all go through here, so the wire strings never change by accident.
/// </summary>
public static class Wire
{
    public static string ToWire<T>(this T value) where T : struct, Enum => Names<T>.ToWire[value];

    public static T Parse<T>(string wire) where T : struct, Enum =>
        Names<T>.FromWire.TryGetValue(wire, out var value) ? value : throw new FormatException($"'{wire}' is not a {typeof(T).Name}.");

    public static bool TryParse<T>(string? wire, out T value) where T : struct, Enum
    {
        value = default;
        return wire is not null && Names<T>.FromWire.TryGetValue(wire, out value);
    }

    /// <summary>Every wire name of <typeparamref name="T"/>, in declaration order.</summary>
    public static string[] All<T>() where T : struct, Enum => Names<T>.All;

    private static class Names<T> where T : struct, Enum
    {
        public static readonly string[] All = Enum.GetValues<T>().Select(v => StreamForgeDbContext.ToSnakeCase(v.ToString())).ToArray();
        public static readonly FrozenDictionary<T, string> ToWire = Enum.GetValues<T>().ToFrozenDictionary(v => v, v => StreamForgeDbContext.ToSnakeCase(v.ToString()));
        public static readonly FrozenDictionary<string, T> FromWire = ToWire.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);
    }
}
