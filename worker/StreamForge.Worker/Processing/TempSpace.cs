using System.Globalization;

namespace StreamForge.Worker.Processing;

/// <summary>
/// A job's claim on the worker's temporary folder. A full disk part-way through a transcode wastes the download and
/// the encode and surfaces as an obscure ffmpeg error; checking before the download fails fast with a message an
/// owner and an admin can act on.
/// </summary>
public static class TempSpace
{
    private const int ENOSPC = 28;

    /// <summary>The readable reason a job needing room for <paramref name="sourceBytes"/> cannot start, or null.</summary>
    public static string? Shortfall(WorkerOptions options, long sourceBytes, string ownWorkDir)
    {
        var needed = (long)Math.Ceiling(Math.Max(0, sourceBytes) * Math.Max(1.0, options.TempSpaceFactor));
        var available = Available(options, ownWorkDir);
        if (needed <= available) return null;
        return $"Not enough temporary disk space on the worker: this video needs about {Format(needed)} " +
               $"({options.TempSpaceFactor.ToString("0.#", CultureInfo.InvariantCulture)} × its {Format(sourceBytes)} source), " +
               $"{Format(Math.Max(0, available))} is free in its temporary folder.";
    }

    /// <summary>Bytes a new job may still write: the filesystem's free space, capped by what the worker's budget has left.</summary>
    public static long Available(WorkerOptions options, string ownWorkDir)
    {
        var free = new DriveInfo(options.TempDirectory).AvailableFreeSpace;
        if (options.TempSpaceLimitBytes <= 0) return free;
        var used = UsedBytes(options.TempDirectory, ownWorkDir);
        return Math.Min(free, options.TempSpaceLimitBytes - used);
    }

    private static long UsedBytes(string root, string exclude)
    {
        long total = 0;
        var files = new DirectoryInfo(root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true });
        try
        {
            foreach (var file in files)
            {
                if (file.FullName.StartsWith(exclude + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
                try { total += file.Length; }
                catch (FileNotFoundException) { /* another job's file removed meanwhile */ }
            }
        }
        catch (DirectoryNotFoundException)
        {
            // Another job's folder went while it was listed: what it held is free again.
        }
        return total;
    }

    /// <summary>Whether a failure was the temporary folder's filesystem running full (our own writes or ffmpeg's).</summary>
    public static bool IsOutOfSpace(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is IOException io && (io.HResult == ENOSPC || io.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase))) return true;
            if (x is StreamForge.Media.MediaException { ToolOutput: { } output } && output.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private static string Format(long bytes) => bytes >= 1 << 20
        ? (bytes / 1048576.0).ToString("0.#", CultureInfo.InvariantCulture) + " MiB"
        : (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB";
}
