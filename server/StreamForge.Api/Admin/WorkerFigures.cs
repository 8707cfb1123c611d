namespace StreamForge.Api.Admin;

/// <summary>Scheduler nodes other than the answering API node that checked in lately, and how many of them run a job.</summary>
public sealed record WorkerFigures(int Online, int Busy);
