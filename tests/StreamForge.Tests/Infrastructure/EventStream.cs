using System.Runtime.CompilerServices;
using System.Text.Json;

namespace StreamForge.Tests.Infrastructure;

/// <summary>Reads <c>/api/v1/events</c> as the tests need it: every named event with its raw data, and the video
/// events parsed. The stream's "ready" event carries no data; it is yielded with empty data because it means the
/// subscription exists, so nothing published after it can be missed.</summary>
public static class EventStream
{
    public static async IAsyncEnumerable<(string Event, string Data)> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var reader = new StreamReader(stream);
        string? name = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name is not null) yield return (name, line[6..]);
            else if (line.Length == 0 && name == "ready") { yield return ("ready", ""); name = null; }
            else if (line.Length == 0) name = null;
        }
    }

    /// <summary>The data of the "video" events only.</summary>
    public static async IAsyncEnumerable<JsonElement> VideoEventsAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var (name, data) in ReadAsync(stream, ct))
            if (name == "video") yield return JsonDocument.Parse(data).RootElement.Clone();
    }
}
