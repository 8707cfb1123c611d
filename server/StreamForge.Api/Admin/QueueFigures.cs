namespace StreamForge.Api.Admin;

public sealed record QueueFigures(int Waiting, double OldestWaitSeconds, int Running);
