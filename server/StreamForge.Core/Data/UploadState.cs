namespace StreamForge.Core.Data;

/// <summary>The state of an upload session; stored and sent as its <see cref="Wire"/> name ("active").</summary>
public enum UploadState
{
    Active,
    Completed,
    Aborted,
    Expired,
}
