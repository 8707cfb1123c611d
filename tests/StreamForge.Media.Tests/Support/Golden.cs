using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StreamForge.Media.Tests.Support;

/// <summary>
/// Tiny stand-in for Verify: compares JSON with <c>Golden/{name}.verified.json</c> beside the tests. Numbers whose
/// key is listed in <c>tolerances</c> may differ by that relative amount; start/duration compare rounded.
/// On a mismatch or a missing golden file, <c>{name}.received.json</c> is written next to it.
/// </summary>
public static class Golden
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void AssertMatches(
        string actualJson,
        string name,
        IReadOnlyDictionary<string, double>? relativeTolerances = null,
        int decimals = 2,
        [CallerFilePath] string callerFile = "")
    {
        var folder = Path.Combine(FindProjectDir(callerFile), "Golden");
        var verified = Path.Combine(folder, $"{name}.verified.json");
        var received = Path.Combine(folder, $"{name}.received.json");
        var actual = JsonNode.Parse(actualJson);

        if (!File.Exists(verified))
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(received, actual!.ToJsonString(Indented) + "\n");
            Assert.Fail($"Golden file missing: wrote {received}. Review it, then accept it by renaming it to {Path.GetFileName(verified)}.");
        }

        var diffs = new List<string>();
        Compare(JsonNode.Parse(File.ReadAllText(verified)), actual, "$", null, relativeTolerances ?? new Dictionary<string, double>(), decimals, diffs);
        if (diffs.Count == 0)
        {
            if (File.Exists(received))
            {
                File.Delete(received);
            }

            return;
        }

        File.WriteAllText(received, actual!.ToJsonString(Indented) + "\n");
        Assert.Fail($"{name} differs from {verified} ({diffs.Count} differences, received written to {received}; " +
            $"if the change is intended, replace the verified file with it):\n  " + string.Join("\n  ", diffs.Take(30)));
    }

    internal static void Compare(
        JsonNode? expected, JsonNode? actual, string path, string? key,
        IReadOnlyDictionary<string, double> tolerances, int decimals, List<string> diffs)
    {
        switch (expected, actual)
        {
            case (null, null):
                return;
            case (JsonObject e, JsonObject a):
                foreach (var name in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    if (!e.ContainsKey(name) || !a.ContainsKey(name))
                    {
                        diffs.Add($"{path}.{name}: {(e.ContainsKey(name) ? "missing" : "unexpected")}");
                        continue;
                    }

                    Compare(e[name], a[name], $"{path}.{name}", name, tolerances, decimals, diffs);
                }

                return;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count)
                {
                    diffs.Add($"{path}: {e.Count} items expected, {a.Count} found");
                }

                for (var i = 0; i < Math.Min(e.Count, a.Count); i++)
                {
                    Compare(e[i], a[i], $"{path}[{i}]", key, tolerances, decimals, diffs);
                }

                return;
            case (JsonValue e, JsonValue a) when e.GetValueKind() == JsonValueKind.Number && a.GetValueKind() == JsonValueKind.Number:
                var x = e.GetValue<double>();
                var y = a.GetValue<double>();
                var same = key is not null && tolerances.TryGetValue(key, out var tolerance)
                    ? Math.Abs(x - y) <= Math.Abs(x) * tolerance
                    : Math.Round(x, decimals) == Math.Round(y, decimals);
                if (!same)
                {
                    diffs.Add($"{path}: expected {x}, found {y}");
                }

                return;
            default:
                var left = expected?.ToJsonString() ?? "null";
                var right = actual?.ToJsonString() ?? "null";
                if (left != right)
                {
                    diffs.Add($"{path}: expected {left}, found {right}");
                }

                return;
        }
    }

    private static string FindProjectDir(string callerFile)
    {
        var dir = Path.GetDirectoryName(callerFile);
        while (dir is not null && !File.Exists(Path.Combine(dir, "StreamForge.Media.Tests.csproj")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException($"test project folder not found above {callerFile}");
    }
}
