namespace StreamForge.Core.Data;

/// <summary>How the bytes reach storage: one presigned PUT or an S3 multipart upload; stored and sent as its <see cref="Wire"/> name.</summary>
public enum UploadMode
{
    Single,
    Multipart,
}
