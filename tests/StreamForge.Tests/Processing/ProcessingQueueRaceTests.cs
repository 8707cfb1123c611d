using Quartz;
using StreamForge.Core.Processing;

namespace StreamForge.Tests.Processing;

/// <summary>
/// A waiting video's job gets a new trigger from the worker every few seconds (the running one re-enqueues it, and
/// its fired trigger is deleted when it completes) while its owner may cancel or delete it. Quartz's DeleteJob lists
/// the job's triggers, then unschedules each and throws when one is already gone: the cancel answered 500.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ProcessingQueueRaceTests(StackFixture stack)
{
    [Fact]
    public async Task Removing_a_job_whose_triggers_come_and_go_never_throws()
    {
        await using var api = stack.NewApi();
        await using var scope = api.Services.CreateAsyncScope();
        var queue = scope.ServiceProvider.GetRequiredService<IProcessingQueue>();
        var scheduler = await scope.ServiceProvider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        for (var round = 0; round < 20; round++)
        {
            var videoId = Guid.NewGuid();
            var key = ProcessingJobs.TranscodeKey(videoId);
            // An hour ahead: nothing here runs it.
            await queue.EnqueueAsync(videoId, TimeSpan.FromHours(1));
            using var stop = new CancellationTokenSource();
            // What a worker does to a waiting video: a new trigger, then the fired one completes and is deleted.
            var worker = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var fired = await scheduler.GetTriggersOfJob(key);
                    await queue.EnqueueAsync(videoId, TimeSpan.FromHours(1));
                    foreach (var trigger in fired) await scheduler.UnscheduleJob(trigger.Key);
                }
            });
            try
            {
                for (var i = 0; i < 5; i++) await queue.RemoveAsync(videoId);
            }
            finally
            {
                stop.Cancel();
                await worker;
            }
            await queue.RemoveAsync(videoId);
            Assert.Null(await scheduler.GetJobDetail(key));
        }
    }
}
