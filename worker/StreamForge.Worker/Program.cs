using StreamForge.Worker;

var host = WorkerHost.CreateBuilder(args).Build();
await WorkerHost.MigrateAsync(host.Services);
await host.RunAsync();
