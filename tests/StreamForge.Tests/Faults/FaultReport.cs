namespace StreamForge.Tests.Faults;

/// <summary>How one injected fault ended for the video it hit.</summary>
/// <param name="Recovered">The video reached the outcome the fault allows (ready, or failed with the clear error).</param>
/// <param name="Lost">The video was left in processing with nothing going to finish it.</param>
/// <param name="Duplicated">The video became ready more than once (more than one succeeded run).</param>
public sealed record FaultVerdict(bool Recovered, bool Lost, bool Duplicated, string Detail);

/// <summary>
/// Fault counts for the soak summary: every repetition appends one
/// "FAULTS &lt;fault&gt; runs=1 recovered=… lost=… duplicated=… failed=…" line to tests/artifacts/faults.log
/// (FAULTS_LOG overrides the path), which scripts/test.mjs adds up per fault at the end of a run.
/// </summary>
public static class FaultReport
{
    private static readonly object Gate = new();

    /// <summary>Repetitions of each fault: FAULT_REPEATS, else 5 under SOAK=1 (npm run test:soak), else 1.</summary>
    public static int Repeats
    {
        get
        {
            if (int.TryParse(Environment.GetEnvironmentVariable("FAULT_REPEATS"), out var n) && n > 0) return n;
            return Environment.GetEnvironmentVariable("SOAK") == "1" ? 5 : 1;
        }
    }

    /// <summary>Theory data: one case per repetition, so each shows (and fails) on its own.</summary>
    public static IEnumerable<object[]> Repetitions => Enumerable.Range(1, Repeats).Select(i => new object[] { i });

    public static string LogPath =>
        Environment.GetEnvironmentVariable("FAULTS_LOG") is { Length: > 0 } path ? path : Path.Combine(StackFixture.RepoRoot, "tests", "artifacts", "faults.log");

    public static void Record(string fault, FaultVerdict? verdict)
    {
        // A repetition that threw before it could judge its video counts as run and not recovered.
        var line = $"FAULTS {fault} runs=1 recovered={(verdict?.Recovered == true ? 1 : 0)} lost={(verdict?.Lost == true ? 1 : 0)} " +
                   $"duplicated={(verdict?.Duplicated == true ? 1 : 0)} failed={(verdict is null ? 1 : 0)}";
        Console.WriteLine(line);
        lock (Gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
            File.AppendAllText(LogPath, line + Environment.NewLine);
        }
    }

    /// <summary>Runs one repetition, records its counts whatever happens, then asserts nothing was lost or duplicated.</summary>
    public static async Task RunAsync(string fault, Func<Task<FaultVerdict>> repetition)
    {
        FaultVerdict verdict;
        try { verdict = await repetition(); }
        catch
        {
            Record(fault, null);
            throw;
        }
        Record(fault, verdict);
        Assert.False(verdict.Lost, $"{fault}: video lost. {verdict.Detail}");
        Assert.False(verdict.Duplicated, $"{fault}: video became ready more than once. {verdict.Detail}");
        Assert.True(verdict.Recovered, $"{fault}: not recovered. {verdict.Detail}");
    }
}
