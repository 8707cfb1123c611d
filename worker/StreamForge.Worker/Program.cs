using StreamForge.Worker;
using StreamForge.Worker.Health;

if (args is [FfmpegPlanCommand.Name, .. var planArgs])
    return await FfmpegPlanCommand.RunAsync(planArgs, Console.Out, Console.Error);

// First, before the host reads secrets into memory: a child process must not be able to read them back out.
if (!ProcessHardening.MakeNonDumpable(out var hardeningProblem))
    Console.Error.WriteLine($"StreamForge worker: could not make the process non-dumpable: {hardeningProblem}");

var host = WorkerHost.CreateBuilder(args).Build();
try
{
    await StartupChecks.RunAsync(host.Services);
}
catch (StartupCheckException e)
{
    // One readable line, no stack trace: this is a configuration problem, not a bug.
    Console.Error.WriteLine($"StreamForge worker cannot start: {e.Message}");
    return 2;
}
await WorkerHost.MigrateAsync(host.Services);
await host.RunAsync();
return 0;
