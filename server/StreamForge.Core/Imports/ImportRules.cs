using System.Globalization;

namespace StreamForge.Core.Imports;

/// <summary>The pure rules of an import from a URL: its size cap, its progress, what is retried and how failures read.</summary>
public static class ImportRules
{
    /// <summary>
    /// The smaller of the owner's free quota and the global file limit; an account without a quota (an admin by default)
    /// is held by the global limit alone.
    /// </summary>
    public static ImportCap Cap(long? quota, long used, long maxFileBytes)
    {
        if (quota is not { } q) return new(maxFileBytes, false);
        var free = Math.Max(0, q - used);
        return free < maxFileBytes ? new(free, true) : new(maxFileBytes, false);
    }

    /// <summary>Percent received when the source declared its length (a claim, used for display only), else 0; 100 is for ready.</summary>
    public static int Progress(long received, long? declared) =>
        declared is > 0 ? (int)Math.Clamp(received * 100 / declared.Value, 0, 99) : 0;

    /// <summary>Server errors and "try later" answers may pass; any other 4xx says the request itself is wrong.</summary>
    public static bool IsRetryable(int status) => status >= 500 || status is 408 or 429;

    public static string StatusFailure(int status, string? reason) =>
        $"The server answered {status}{(string.IsNullOrWhiteSpace(reason) ? "" : " " + reason.Trim())}; nothing was imported.";

    /// <summary>Delay before attempt <paramref name="attempt"/> (2, 3, …): the first delay, doubled each time.</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan first) => first * Math.Pow(2, Math.Max(0, attempt - 2));

    public static string Megabytes(long bytes) => (bytes / 1_000_000).ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"30 minutes", "1 minute", "5 seconds": how a time limit reads in a failure.</summary>
    public static string Duration(TimeSpan t) =>
        t.TotalMinutes >= 1 && t.TotalMinutes % 1 == 0 ? Plural((int)t.TotalMinutes, "minute")
        : t.TotalSeconds >= 1 ? Plural((int)Math.Round(t.TotalSeconds), "second")
        : Plural((int)t.TotalMilliseconds, "millisecond");

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n.ToString(CultureInfo.InvariantCulture)} {unit}s";
}
