namespace StreamForge.Core.Data;

public static class JobOutcome
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Retrying = "retrying";
    public const string Released = "released";
    public static readonly string[] All = [Running, Succeeded, Failed, Retrying, Released];
}
