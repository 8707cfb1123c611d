namespace StreamForge.Api.Admin;

public static class JobStates
{
    public const string Scheduled = "scheduled";
    public const string Processing = "processing";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public static readonly string[] All = [Scheduled, Processing, Succeeded, Failed];
}
