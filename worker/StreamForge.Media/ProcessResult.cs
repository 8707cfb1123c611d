namespace StreamForge.Media;

/// <summary>Exit code of a finished process and the last lines it wrote to stderr.</summary>
public sealed record ProcessResult(int ExitCode, string StderrTail);
