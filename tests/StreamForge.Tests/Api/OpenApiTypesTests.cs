using System.Diagnostics;

namespace StreamForge.Tests.Api;

/// <summary>
/// The SPA's API types (web/src/api/schema.d.ts) are generated from the API's OpenAPI document; this
/// regenerates them from the in-process API with the same script `npm run api:types` uses and fails
/// when the checked-in file differs, so a DTO change cannot land without the web seeing it.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class OpenApiTypesTests(StackFixture stack)
{
    private const string SchemaPath = "web/src/api/schema.d.ts";

    [Fact]
    public async Task Checked_in_web_api_types_match_the_openapi_document()
    {
        using var client = stack.Api.CreateClient();
        var document = await client.GetStringAsync("/swagger/v1/swagger.json");
        var dir = Directory.CreateTempSubdirectory("sf-openapi-");
        try
        {
            var input = Path.Combine(dir.FullName, "openapi.json");
            var output = Path.Combine(dir.FullName, "schema.d.ts");
            await File.WriteAllTextAsync(input, document);
            var (exit, stderr) = await RunNodeAsync("scripts/api-types.mjs", "--input", input, "--output", output);
            Assert.True(exit == 0, $"scripts/api-types.mjs exited {exit}:\n{stderr}");

            var generated = (await File.ReadAllTextAsync(output)).Split('\n');
            var checkedIn = (await File.ReadAllTextAsync(Path.Combine(StackFixture.RepoRoot, SchemaPath))).Split('\n');
            var firstDiff = Enumerable.Range(0, Math.Max(generated.Length, checkedIn.Length))
                .FirstOrDefault(i => i >= generated.Length || i >= checkedIn.Length || generated[i] != checkedIn[i], -1);
            Assert.True(firstDiff < 0,
                $"{SchemaPath} is out of date with the API's OpenAPI document: run `npm run api:types` and commit the result. " +
                $"First difference at line {firstDiff + 1}: checked in `{Line(checkedIn, firstDiff)}`, generated `{Line(generated, firstDiff)}`.");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Line(string[] lines, int i) => i >= 0 && i < lines.Length ? lines[i].Trim() : "(end of file)";

    private static async Task<(int Exit, string Stderr)> RunNodeAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("node", args)
        {
            WorkingDirectory = StackFixture.RepoRoot,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException("openapi-typescript did not finish within 2 minutes"); }
        await stdout;
        return (process.ExitCode, await stderr);
    }
}
