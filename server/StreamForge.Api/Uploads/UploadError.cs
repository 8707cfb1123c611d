using StreamForge.Core.Videos;

namespace StreamForge.Api.Uploads;

/// <summary>A refused upload request: what kind, and the sentence the client gets.</summary>
public sealed record UploadError(UploadErrorKind Kind, string Detail, Dictionary<string, string[]>? Fields = null, int[]? MissingParts = null)
{
    public static readonly UploadError NotFound = new(UploadErrorKind.NotFound, "The upload does not exist or is not yours.");
    public static readonly UploadError Gone = new(UploadErrorKind.Gone, "This upload expired or was aborted; start a new one.");

    public static UploadError Conflict(string detail) => new(UploadErrorKind.Conflict, detail);
    public static UploadError BadRequest(string detail) => new(UploadErrorKind.BadRequest, detail);
    public static UploadError Invalid(string field, string message) => new(UploadErrorKind.Invalid, message, new() { [field] = [message] });
    public static UploadError Invalid(Dictionary<string, string[]> fields) =>
        new(UploadErrorKind.Invalid, string.Join(" ", fields.SelectMany(f => f.Value)), fields);

    /// <summary>A lifecycle transition this request lost.</summary>
    public static UploadError From(TransitionOutcome outcome) => outcome.Result switch
    {
        TransitionResult.NotFound => NotFound,
        TransitionResult.Gone => outcome.Detail is { } d ? new(UploadErrorKind.Gone, d) : Gone,
        TransitionResult.QuotaExceeded => new(UploadErrorKind.QuotaExceeded, outcome.Detail ?? "Your storage quota does not allow this."),
        _ => Conflict(outcome.Detail ?? "The upload changed meanwhile; reload it."),
    };
}
