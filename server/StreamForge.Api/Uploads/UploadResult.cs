namespace StreamForge.Api.Uploads;

/// <summary>What an upload use case produced, or why it refused.</summary>
public readonly record struct UploadResult<T>(T? Value, UploadError? Error)
{
    public static implicit operator UploadResult<T>(T value) => new(value, null);
    public static implicit operator UploadResult<T>(UploadError error) => new(default, error);
}
