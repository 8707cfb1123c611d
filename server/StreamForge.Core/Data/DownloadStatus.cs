namespace StreamForge.Core.Data;

public static class DownloadStatus
{
    public const string Preparing = "preparing";
    public const string Ready = "ready";
    public const string Failed = "failed";
    public static readonly string[] All = [Preparing, Ready, Failed];
}
