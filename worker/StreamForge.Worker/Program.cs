using StreamForge.Worker;

if (args is [FfmpegPlanCommand.Name, .. var planArgs])
    return await FfmpegPlanCommand.RunAsync(planArgs, Console.Out, Console.Error);

var host = WorkerHost.CreateBuilder(args).Build();
await WorkerHost.MigrateAsync(host.Services);
await host.RunAsync();
return 0;
