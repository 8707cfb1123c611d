namespace StreamForge.Tests.Infrastructure;

/// <summary>
/// For test classes that process videos: the fixture's shared API, one real worker process for the class, and a
/// plain HTTP client for reading what storage and the CDN serve.
/// </summary>
public abstract class WorkerTestBase(StackFixture stack) : IAsyncLifetime
{
    protected StackFixture Stack { get; } = stack;
    protected ApiFactory Api { get; } = stack.Api;
    protected HttpClient Http { get; } = new();
    protected WorkerProcess Worker { get; private set; } = null!;

    public virtual Task InitializeAsync()
    {
        Worker = WorkerProcess.Start(Stack, Api.ConnectionString);
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        Http.Dispose();
        await Worker.DisposeAsync();
    }
}
