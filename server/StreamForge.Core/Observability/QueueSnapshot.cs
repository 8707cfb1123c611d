namespace StreamForge.Core.Observability;

public sealed record QueueSnapshot(int Waiting, double OldestWaitSeconds, int Running);
