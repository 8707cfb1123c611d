namespace StreamForge.Core.Data;

/// <summary>
/// How the bytes reach storage: one presigned PUT, an S3 multipart upload from the browser, or an import the worker
/// fetches from a URL into a multipart upload of its own; stored and sent as its <see cref="Wire"/> name.
/// </summary>
public enum UploadMode
{
    Single,
    Multipart,
    Import,
}
