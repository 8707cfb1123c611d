namespace StreamForge.Worker.Processing;

/// <summary>Why a video must wait before it runs, and for how long.</summary>
public sealed record AdmissionWait(string Reason, TimeSpan RetryAfter);
